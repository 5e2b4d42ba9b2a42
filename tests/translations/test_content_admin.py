"""The content admin: creating articles, starting translations, records that stay fixed."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import override_settings

from reviews.models import Assignment, LanguagePair
from tests.factories import (
    ALMATY,
    ContributorFactory,
    UserFactory,
    article_with_paragraphs,
    editor,
    publish,
    translate,
    translator,
)
from translations.models import Article, AuditEntry, Edition, EditionState, Paragraph
from translations.services import article_create, edition_get_or_create

pytestmark = pytest.mark.django_db
ARTICLES = "/admin/translations/article/"
DATELINE = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=ALMATY)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def nothing_written():
    return not (Article.objects.exists() or Paragraph.objects.exists() or Edition.objects.exists())


@pytest.fixture
def erin():
    return editor("erin", is_staff=True)


@pytest.fixture
def root():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


# --- The service ----------------------------------------------------------------------


def test_article_create_writes_the_source_and_its_edition(erin):
    article = article_create(
        source_language="ru",
        title="Трамвай дошёл до речного порта",
        dateline=DATELINE,
        paragraphs=["Первый абзац.", "Второй абзац."],
        user=erin,
    )
    assert article.slug == "tramvay-doshyol-do-rechnogo-porta"
    assert (article.title_ru, article.revision_ru, article.edited_by_ru) == (
        "Трамвай дошёл до речного порта",
        1,
        erin,
    )
    paragraphs = list(article.paragraphs.order_by("position"))
    assert [p.text_ru for p in paragraphs] == ["Первый абзац.", "Второй абзац."]
    assert {p.revision_ru for p in paragraphs} == {1}
    source = Edition.objects.get(article=article)
    assert (source.language, source.state) == ("ru", EditionState.IN_PROGRESS)
    entry = AuditEntry.objects.get(action="translations.article.create")
    assert (entry.actor, entry.edition, entry.to_state) == (erin, source, "in_progress")


def test_article_create_gives_a_repeated_title_its_own_slug(erin):
    kwargs = {"source_language": "en", "dateline": DATELINE, "user": erin}
    first = article_create(title="Exchange rates", paragraphs=["One."], **kwargs)
    second = article_create(title="Exchange rates", paragraphs=["Two."], **kwargs)
    assert (first.slug, second.slug) == ("exchange-rates", "exchange-rates-2")


@override_settings(TILMASH_MAX_PARAGRAPH_CHARS=50)
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "  "}, "The title is empty."),
        ({"title": "x" * 501}, "The title is 501 characters long; the limit is 500."),
        (
            {"paragraphs": ["Fine.", "y" * 51]},
            "Paragraph 2 is 51 characters long; the limit is 50.",
        ),
        ({"paragraphs": ["", "  "]}, "The article has no paragraphs."),
        ({"paragraphs": ["Bell \x07"]}, "Paragraph 1 contains a character that cannot be stored"),
        ({"source_language": "de"}, "Unknown language: de."),
    ],
)
def test_article_create_refuses_bad_input_and_writes_nothing(erin, changes, message):
    kwargs = {
        "source_language": "en",
        "title": "A title",
        "dateline": DATELINE,
        "paragraphs": ["A paragraph."],
        "user": erin,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        article_create(**kwargs)
    assert error.value.messages[0].startswith(message)
    assert nothing_written()
    assert not AuditEntry.objects.exists()


# --- The add page ---------------------------------------------------------------------


def post_article(client, **changes):
    data = {
        "source_language": "en",
        "title": "City opens a tram line",
        "dateline": "2026-03-02T09:30",
        "paragraphs": "The first paragraph.\r\nIts second line.\r\n\r\n  \r\nThe second paragraph.",
        **changes,
    }
    return client.post(f"{ARTICLES}add/", data)


def test_the_add_page_creates_the_article_and_assigns_its_author(client, erin):
    client.force_login(erin)
    response = post_article(client)
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == f"{ARTICLES}{article.pk}/change/"
    assert [p.text_en for p in article.paragraphs.order_by("position")] == [
        "The first paragraph.\nIts second line.",
        "The second paragraph.",
    ]
    assert article.dateline == DATELINE
    source = Edition.objects.get(article=article, language="en")
    assert list(Assignment.objects.filter(edition=source).values_list("user", flat=True)) == [
        erin.pk
    ]
    assert "Created “City opens a tram line” with 2 paragraphs." in messages_of(response)


def test_the_add_page_refuses_an_empty_title_and_writes_nothing(client, erin):
    client.force_login(erin)
    response = post_article(client, title="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert nothing_written()


@override_settings(TILMASH_MAX_PARAGRAPH_CHARS=100)
def test_the_add_page_turns_an_oversize_paragraph_into_a_message(client, erin):
    client.force_login(erin)
    response = post_article(client, paragraphs="Short.\n\n" + "z" * 101)
    assert response.status_code == 200
    assert messages_of(response) == ["Paragraph 2 is 101 characters long; the limit is 100."]
    assert response.context["form"]["paragraphs"].value().endswith("z" * 101)
    assert nothing_written()
    assert not Assignment.objects.exists() and not AuditEntry.objects.exists()


def test_translators_cannot_add_or_change_articles(client):
    article = article_with_paragraphs(count=1)
    tina = translator("tina", is_staff=True)
    client.force_login(tina)
    assert client.get(f"{ARTICLES}add/").status_code == 403
    assert post_article(client).status_code == 403
    page = client.get(f"{ARTICLES}{article.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(f"{ARTICLES}{article.pk}/change/", {"dateline_0": "2030-01-01"})
    article.refresh_from_db()
    assert article.dateline.year == 2022


def test_the_article_page_shows_the_source_text_read_only(client, erin):
    article = article_with_paragraphs(texts=["First.", "Second."])
    client.force_login(erin)
    page = client.get(f"{ARTICLES}{article.pk}/change/")
    assert page.context["paragraphs"] == ["First.", "Second."]
    form_fields = set(page.context["adminform"].form.fields)
    assert form_fields == {"dateline"}


def test_the_article_list_shows_editions_and_their_states(client, erin):
    article = article_with_paragraphs(count=1, slug="harvest")
    translate(article, "kk")
    publish(article, "kk")
    edition_get_or_create(article=article, language="ru")
    client.force_login(erin)
    page = client.get(ARTICLES, {"q": "harvest"}).content.decode()
    assert "kk: Approved" in page and "ru: Not started" in page


def test_start_translation_opens_editions_and_skips_the_source_language(client, erin):
    english = article_with_paragraphs(count=1, source_language="en")
    kazakh = article_with_paragraphs(count=1, source_language="kk")
    client.force_login(erin)
    response = client.post(
        ARTICLES,
        {"action": "start_translation_kk", "_selected_action": [english.pk, kazakh.pk]},
    )
    assert list(Edition.objects.values_list("article", "language")) == [(english.pk, "kk")]
    assert "1 new Kazakh edition(s) wait for a translator." in messages_of(response)
    entry = AuditEntry.objects.get(action="translations.edition.start")
    assert (entry.actor, entry.to_state) == (erin, "not_started")
    client.post(ARTICLES, {"action": "start_translation_kk", "_selected_action": [english.pk]})
    assert Edition.objects.count() == 1


def test_translators_have_no_start_translation_action(client):
    article_with_paragraphs(count=1)
    client.force_login(translator("tina", is_staff=True))
    action_form = client.get(ARTICLES).context["action_form"]
    actions = action_form.fields["action"].choices if action_form else []
    assert not any(name.startswith("start_translation") for name, _label in actions)


def test_articles_cannot_be_deleted_in_the_admin(client, root):
    article = article_with_paragraphs(count=1)
    client.force_login(root)
    assert client.get(f"{ARTICLES}{article.pk}/delete/").status_code == 403


# --- Records --------------------------------------------------------------------------


def test_audit_entries_are_read_only_for_a_superuser_too(client, root):
    article = article_with_paragraphs(count=1)
    translate(article, "kk")
    publish(article, "kk")
    entry = AuditEntry.objects.get(action="tests.publish")
    client.force_login(root)
    base = "/admin/translations/auditentry/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{entry.pk}/delete/").status_code == 403
    page = client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(f"{base}{entry.pk}/change/", {"action": "forged", "comment": "forged"})
    client.post(base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    entry.refresh_from_db()
    assert (entry.action, entry.comment) == ("tests.publish", "")


def test_the_version_page_shows_its_units_as_a_table(client, root):
    article = article_with_paragraphs(texts=["Source one.", "Source two."])
    translate(article, "kk", ["Бірінші.", "Екінші."], user=root)
    edition = publish(article, "kk", translators=[ContributorFactory(name="Aida Kassen")])
    client.force_login(root)
    page = client.get(f"/admin/translations/version/{edition.live_version_id}/change/")
    assert [unit["text"] for unit in page.context["units"]][1:] == ["Бірінші.", "Екінші."]
    html = page.content.decode()
    assert "Source two." in html and "Екінші." in html and "Aida Kassen" in html
    assert 'name="_save"' not in html


def test_translators_see_only_versions_of_editions_on_their_desk(client):
    seen = article_with_paragraphs(count=1)
    hidden = article_with_paragraphs(count=1, source_language="ru")
    for article, language in ((seen, "kk"), (hidden, "en")):
        translate(article, language)
        publish(article, language)
    tina = translator("tina", pairs=[("en", "kk")], is_staff=True)
    client.force_login(tina)
    versions = client.get("/admin/translations/version/").context["cl"].result_list
    assert [version.edition.article_id for version in versions] == [seen.pk]


def test_contributor_names_are_edited_per_language(client, erin):
    client.force_login(erin)
    form = client.get("/admin/translations/contributor/add/").context["adminform"].form
    assert {"name_kk", "name_ru", "name_en", "user"} <= set(form.fields)


def test_working_language_pairs_are_edited_on_the_user_page(client, root):
    tina = translator("tina", pairs=[("en", "kk")])
    client.force_login(root)
    page = client.get(f"/admin/auth/user/{tina.pk}/change/")
    formsets = [formset.formset for formset in page.context["inline_admin_formsets"]]
    pairs = next(f for f in formsets if f.model is LanguagePair)
    assert [(form.instance.source_language, form.instance.target_language) for form in pairs] == [
        ("en", "kk")
    ]
