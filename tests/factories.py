"""Test data. Factories, not fixtures: a new language adds columns, not edits."""

import datetime
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from translations import services
from translations.languages import localized_field
from translations.models import Article, Contributor, Edition, EditionState, Paragraph

ALMATY = ZoneInfo("Asia/Almaty")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("pw")


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Contributor {n}")
    name_en = factory.SelfAttribute("name")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"article-{n}")
    source_language = "en"
    dateline = factory.LazyFunction(lambda: datetime.datetime(2022, 1, 7, 15, 23, tzinfo=ALMATY))
    revision_en = 1
    revision_kk = 1
    revision_ru = 1

    @factory.post_generation
    def title(article, create, extracted, **kwargs):
        text = extracted if extracted is not None else f"Title of {article.slug}"
        setattr(article, localized_field("title", article.source_language), text)
        if create:
            article.save()


def article_with_paragraphs(*, count=3, source_language="en", texts=None, **kwargs):
    """An article whose source has ``count`` paragraphs ("Paragraph 1." …)."""
    article = ArticleFactory(source_language=source_language, **kwargs)
    texts = texts or [f"Paragraph {n}." for n in range(1, count + 1)]
    Paragraph.objects.bulk_create(
        Paragraph(
            article=article,
            key=f"p{n}",
            position=n,
            **{
                localized_field("text", source_language): text,
                localized_field("revision", source_language): 1,
            },
        )
        for n, text in enumerate(texts, start=1)
    )
    return article


def translate(article, language, texts=None, *, user=None, title=None):
    """Fill ``language``'s working copy as if a translator had saved it."""
    paragraphs = list(article.paragraphs.order_by("position"))
    texts = texts or [f"[{language}] {p.text_in(article.source_language)}" for p in paragraphs]
    now = timezone.now()
    for paragraph, text in zip(paragraphs, texts, strict=True):
        setattr(paragraph, localized_field("text", language), text)
        setattr(paragraph, localized_field("revision", language), 1)
        setattr(
            paragraph,
            localized_field("source_revision", language),
            paragraph.revision_in(article.source_language),
        )
        setattr(paragraph, localized_field("edited_by", language), user)
        setattr(paragraph, localized_field("edited_at", language), now)
        paragraph.save()
    title_text = title or f"[{language}] {article.title_in_source()}"
    setattr(article, localized_field("title", language), title_text)
    setattr(article, localized_field("revision", language), 1)
    setattr(
        article,
        localized_field("source_revision", language),
        article.revision_in(article.source_language),
    )
    setattr(article, localized_field("edited_by", language), user)
    article.save()
    return article


def publish(article, language, *, translators=(), editors=(), user=None):
    """An approved, live version of ``article`` in ``language`` with credits."""
    edition = services.edition_get_or_create(article=article, language=language)
    version = services.version_snapshot(edition=edition, user=user)
    credits = [(c, "translator") for c in translators] + [(c, "editor") for c in editors]
    services.credits_replace(version=version, credits=credits)
    services.version_go_live(version=version, user=user, action="tests.publish")
    edition.refresh_from_db()
    return edition


def edition_in_state(article, language, state):
    edition = services.edition_get_or_create(article=article, language=language)
    Edition.objects.filter(pk=edition.pk).update(state=state)
    edition.refresh_from_db()
    return edition


__all__ = [
    "ALMATY",
    "ArticleFactory",
    "ContributorFactory",
    "EditionState",
    "UserFactory",
    "article_with_paragraphs",
    "edition_in_state",
    "publish",
    "translate",
]


def translator(username=None, pairs=(("en", "kk"), ("en", "ru")), **kwargs):
    """A member of the Translators group with the given working language pairs."""
    from django.contrib.auth.models import Group

    from reviews.models import LanguagePair

    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    user.groups.add(Group.objects.get(name="Translators"))
    for source_language, target_language in pairs:
        LanguagePair.objects.get_or_create(
            user=user, source_language=source_language, target_language=target_language
        )
    return user


def editor(username=None, **kwargs):
    from django.contrib.auth.models import Group

    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def assign(edition, *users):
    from reviews.models import Assignment

    for user in users:
        Assignment.objects.get_or_create(edition=edition, user=user)
    return edition
