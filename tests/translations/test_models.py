import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import ContributorFactory, article_with_paragraphs, publish, translate
from translations import services
from translations.models import Credit, Edition, Paragraph, Version

pytestmark = pytest.mark.django_db


def test_two_editions_of_one_article_in_one_language_are_refused():
    article = article_with_paragraphs(count=1)
    Edition.objects.create(article=article, language="kk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(article=article, language="kk")


def test_two_paragraphs_at_one_position_are_refused():
    article = article_with_paragraphs(count=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.filter(article=article, position=2).update(position=1)


def test_an_approved_edition_must_point_at_a_live_version():
    article = article_with_paragraphs(count=1)
    edition = Edition.objects.create(article=article, language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(state="approved")


@pytest.mark.parametrize(
    "change",
    [{"title": "Rewritten"}, {"units": []}, {"number": 7}, {"created_at": timezone.now()}],
)
def test_a_version_cannot_be_changed_once_made(change):
    article = article_with_paragraphs(count=1)
    edition = services.edition_get_or_create(article=article, language="en")
    version = services.version_snapshot(edition=edition, user=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.filter(pk=version.pk).update(**change)
    version.refresh_from_db()
    assert version.title == article.title_en
    assert version.number == 1


def test_an_approval_cannot_be_undone():
    article = article_with_paragraphs(count=1)
    edition = publish(article, "en")
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.filter(pk=edition.live_version_id).update(approved_at=None)


def test_credits_of_an_approved_version_are_fixed():
    article = article_with_paragraphs(count=1)
    translator, outsider = ContributorFactory(), ContributorFactory()
    edition = publish(article, "en", translators=[translator])
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(
            version_id=edition.live_version_id, contributor=outsider, role="translator", order=9
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.filter(version_id=edition.live_version_id).update(contributor=outsider)


def test_snapshot_holds_title_and_paragraphs_with_their_source_revisions():
    article = article_with_paragraphs(texts=["One.", "Two."])
    translate(article, "kk", ["Бір.", "Екі."], title="Тақырып")
    edition = services.edition_get_or_create(article=article, language="kk")
    version = services.version_snapshot(edition=edition, user=None)
    assert version.number == 1
    assert version.title == "Тақырып"
    assert [(u["key"], u["text"], u["source"]) for u in version.units] == [
        ("title", "Тақырып", article.title_en),
        ("p1", "Бір.", "One."),
        ("p2", "Екі.", "Two."),
    ]
    assert [u["source_revision"] for u in version.units] == [1, 1, 1]
    assert services.version_snapshot(edition=edition, user=None).number == 2


def test_a_contributor_is_found_by_any_spelling_in_one_query(django_assert_num_queries):
    saniya = ContributorFactory(name="Saniya Sakenova", name_ru="Сания Сакенова")
    with django_assert_num_queries(1):
        assert services.contributor_by_name("Сания Сакенова", language="kk") == saniya
    assert services.contributor_by_name("Saniya Sakenova", language="en") == saniya
    newcomer = services.contributor_by_name("Assem Zhanmukhanova", language="en")
    assert newcomer.pk != saniya.pk
    assert newcomer.name_in("en") == "Assem Zhanmukhanova"
