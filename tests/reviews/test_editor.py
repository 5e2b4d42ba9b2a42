"""The translator's side-by-side editor: what it shows, what it saves, and that
no save loses anyone's work."""

import html
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from reviews.admin.editor.forms import row_digest
from reviews.models import Comment, Review, UnitEdit
from reviews.services.comments import comment_add, comment_resolve
from reviews.services.structure import source_units_save
from tests.factories import (
    UserFactory,
    article_with_paragraphs,
    assign,
    editor,
    publish,
    translate,
    translator,
)
from translations.models import Article, AuditEntry, Edition, EditionState, Paragraph
from translations.services import edition_get_or_create

from .helpers import submitted, translate_as

pytestmark = pytest.mark.django_db


def editor_url(edition):
    return reverse("admin:translations_edition_editor", args=[edition.pk])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    source = Edition.objects.get(article=article, language="en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice", is_staff=True, first_name="Alice", last_name="Aliyeva")
    bob = translator("bob", is_staff=True, first_name="Bob", last_name="Bekov")
    assign(edition, alice, bob)
    return {"article": article, "edition": edition, "source": source, "alice": alice, "bob": bob}


def manifest_of(response):
    return html.unescape(
        re.search(r'name="manifest" value="([^"]*)"', response.content.decode()).group(1)
    )


def text_areas(response):
    found = re.findall(
        r'name="text-([^"]+)"[^>]*>\n(.*?)</textarea>', response.content.decode(), re.S
    )
    return {key: html.unescape(text) for key, text in found}


def form_of(response, texts=None, *, button="_save", **extra):
    """The form as a browser without JavaScript posts it: every text area, changed or not."""
    data = {"manifest": manifest_of(response), button: "1"}
    data.update({f"text-{key}": text for key, text in text_areas(response).items()})
    data.update({f"text-{key}": text for key, text in (texts or {}).items()})
    data.update(extra)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def text_kk(article, key):
    if key == "title":
        return Article.objects.get(pk=article.pk).title_kk
    return Paragraph.objects.get(article=article, key=key).text_kk


def row_html(response, key):
    page = response.content.decode()
    start = page.index(f'id="row-{key}"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else None]


def source_edit(article, key, text, *, user):
    """Change a source paragraph as its author would, through the source edition."""
    source = Edition.objects.get(article=article, language=article.source_language)
    Edition.objects.filter(pk=source.pk).update(state=EditionState.IN_PROGRESS)
    assign(source, user)
    paragraph = Paragraph.objects.get(article=article, key=key)
    return source_units_save(
        edition=Edition.objects.get(pk=source.pk),
        user=user,
        rows=[services.RowInput(key=key, text=text, revision=paragraph.revision_en)],
    )


# --- What the page shows ------------------------------------------------------------


def test_the_page_shows_source_left_and_working_copy_right_with_markers(desk):
    translate_as(desk["alice"], desk["edition"], ["Бір", "Екі", "Үш"])
    Paragraph.objects.filter(article=desk["article"], key="p3").update(text_kk="", revision_kk=2)
    response = client_for(desk["alice"]).get(editor_url(desk["edition"]))
    assert response.status_code == 200
    p1 = row_html(response, "p1")
    assert "Paragraph 1." in p1 and ">\nБір</textarea>" in p1
    assert 'data-status="translated"' in p1
    assert 'data-status="untranslated"' in row_html(response, "p3")
    page = response.content.decode()
    assert "English → Kazakh" in page
    assert "3 / 4" in page  # title, p1, p2 translated of four rows
    assert "Alice Aliyeva" in p1


def sent_back(desk, erin):
    """Version 1 sent back: a thread on p2 with a reply, a resolved one on p1."""
    version = submitted(desk["alice"], desk["edition"], ["Бір", "Екі", "Үш"])
    comment_add(version=version, unit_key="p2", user=erin, body="Use “екі” <b>here</b>.")
    reply = comment_add(
        version=version, unit_key="p2", user=desk["alice"], body="Which form?",
        parent=Comment.objects.get(unit_key="p2"),
    )
    done = comment_add(version=version, unit_key="p1", user=erin, body="Fine now.")
    comment_resolve(comment=done, user=erin)
    services.version_request_changes(version=version, user=erin, comment="See paragraph 2.")
    return version, reply


def test_after_changes_requested_the_editor_shows_the_decision_and_open_threads(desk):
    erin = editor("erin", is_staff=True, first_name="Erin", last_name="Esimova")
    version, _reply = sent_back(desk, erin)
    response = client_for(desk["alice"]).get(editor_url(desk["edition"]))
    page = response.content.decode()
    feedback = page[page.index('class="editor-feedback"') : page.index('id="editor-form"')]
    assert "Changes requested on version 1 by Erin Esimova:" in feedback
    assert "See paragraph 2." in feedback
    assert "1 open comment thread on the paragraphs below." in feedback
    review_url = reverse("admin:reviews_version_review", args=[version.pk])
    assert f'href="{review_url}"' in feedback
    p2 = row_html(response, "p2")
    thread = p2[p2.index('class="editor-thread"') :]
    assert "Use “екі” &lt;b&gt;here&lt;/b&gt;." in thread  # escaped, not markup
    assert thread.index("Use “екі”") < thread.index("Which form?")  # the reply follows
    assert "— Erin Esimova" in thread and "— Alice Aliyeva" in thread
    assert "editor-thread" not in row_html(response, "p1")  # resolved: not shown
    assert "Fine now." not in page


def test_the_feedback_goes_once_the_version_is_submitted_again(desk):
    erin = editor("erin", is_staff=True)
    sent_back(desk, erin)
    edition = Edition.objects.get(pk=desk["edition"].pk)
    translate_as(desk["alice"], edition, ["Бір", "Екі түзетілді", "Үш"])
    services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=desk["alice"])
    page = client_for(desk["alice"]).get(editor_url(edition)).content.decode()
    assert "editor-feedback" not in page and "editor-thread" not in page


def test_the_feedback_costs_the_same_queries_for_3_and_300_paragraphs():
    erin = editor("erin", is_staff=True)
    counts = []
    for length in (3, 300):
        article = article_with_paragraphs(count=length)
        publish(article, "en")
        edition = edition_get_or_create(article=article, language="kk")
        alice = translator(f"alice{length}", is_staff=True)
        assign(edition, alice)
        version = submitted(alice, edition)
        comment_add(version=version, unit_key="p2", user=erin, body="Check this.")
        services.version_request_changes(version=version, user=erin, comment="Two things.")
        client = client_for(alice)
        client.get(editor_url(edition))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(editor_url(edition))
        assert "Check this." in row_html(response, "p2")
        assert "Two things." in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_outdated_row_shows_what_changed_in_the_source_since(desk):
    translate_as(desk["alice"], desk["edition"], ["Бір", "Екі", "Үш"])
    services.version_submit(edition=desk["edition"], user=desk["alice"])
    services.version_withdraw(version=desk["edition"].versions.get(), user=desk["alice"])
    source_edit(desk["article"], "p2", "Paragraph two, corrected.", user=editor("erin"))
    response = client_for(desk["alice"]).get(editor_url(desk["edition"]))
    p2 = row_html(response, "p2")
    assert 'data-status="outdated"' in p2
    assert "Paragraph <del>2</del><ins>two, corrected</ins>." in p2
    assert 'name="confirm-p2"' in p2
    assert 'data-status="translated"' in row_html(response, "p1")
    assert re.search(r"data-editor-outdated>1<", response.content.decode())


def test_the_source_a_translation_was_made_from_is_found_without_any_version(desk):
    # Source edited twice with no snapshot in between: the audit kept the middle text.
    erin = editor("erin")
    source_edit(desk["article"], "p1", "First wording.", user=erin)
    translate_as(desk["alice"], desk["edition"], ["Бірінші", "Екі", "Үш"])
    source_edit(desk["article"], "p1", "Second wording.", user=erin)
    p1 = row_html(client_for(desk["alice"]).get(editor_url(desk["edition"])), "p1")
    assert "<del>First</del><ins>Second</ins> wording." in p1


def test_changed_since_last_submission_compares_with_the_latest_version(desk):
    version = services.version_submit(
        edition=translate_as(desk["alice"], desk["edition"]) and desk["edition"],
        user=desk["alice"],
    )
    services.version_request_changes(version=version, user=editor("erin"), comment="p1")
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    assert "changed since last submission" not in response.content.decode()
    client.post(editor_url(desk["edition"]), form_of(response, {"p1": "Жаңа"}))
    response = client.get(editor_url(desk["edition"]))
    assert "changed since last submission" in row_html(response, "p1")
    assert "changed since last submission" not in row_html(response, "p2")


def test_text_is_escaped_everywhere(desk):
    evil = '<script>alert("x")</script> & <b>'
    Paragraph.objects.filter(article=desk["article"], key="p1").update(text_en=evil)
    translate_as(desk["alice"], desk["edition"], [evil, "Екі", "Үш"])
    response = client_for(desk["alice"]).get(editor_url(desk["edition"]))
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    assert text_areas(response)["p1"] == evil


# --- Access -----------------------------------------------------------------------------


def test_someone_not_on_the_edition_gets_404_like_a_missing_one(desk):
    stranger = translator("carol", pairs=[("en", "ru")], is_staff=True)
    client = client_for(stranger)
    assert client.get(editor_url(desk["edition"])).status_code == 404
    assert client.post(editor_url(desk["edition"]), {"manifest": ""}).status_code == 404
    missing = reverse("admin:translations_edition_editor", args=[10**9])
    assert client_for(desk["alice"]).get(missing).status_code == 404


def test_anonymous_users_are_sent_to_the_login(desk):
    response = Client().get(editor_url(desk["edition"]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_pool_translator_may_read_but_not_save(desk):
    pool = edition_get_or_create(article=desk["article"], language="ru")
    dana = translator("dana", pairs=[("en", "ru")], is_staff=True)
    client = client_for(dana)
    response = client.get(editor_url(pool))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Read only" in page and 'name="_save"' not in page
    response = client.post(editor_url(pool), form_of(response, {"p1": "Раз"}), follow=True)
    assert "you may not change its text now" in " ".join(messages_of(response))
    assert not UnitEdit.objects.exists()


def test_while_in_review_the_page_is_read_only_and_links_the_review(desk):
    translate_as(desk["alice"], desk["edition"])
    version = services.version_submit(edition=desk["edition"], user=desk["alice"])
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    page = response.content.decode()
    assert "readonly" in row_html(response, "p1")
    assert "In review" in page and f"version {version.number}" in page
    assert reverse("admin:reviews_version_review", args=[version.pk]) in page
    before = UnitEdit.objects.count()
    response = client.post(editor_url(desk["edition"]), form_of(response, {"p1": "X"}))
    assert response.status_code == 302
    assert UnitEdit.objects.count() == before


# --- Saving -----------------------------------------------------------------------------


def test_only_the_changed_rows_are_saved(desk):
    translate_as(desk["alice"], desk["edition"], ["Бір", "Екі", "Үш"])
    client = client_for(desk["bob"])
    response = client.get(editor_url(desk["edition"]))
    before = UnitEdit.objects.count()
    response = client.post(editor_url(desk["edition"]), form_of(response, {"p2": "Екінші"}))
    assert response.status_code == 302
    assert "Saved 1 row." in messages_of(response)
    assert UnitEdit.objects.count() == before + 1
    paragraphs = {p.key: p for p in desk["article"].paragraphs.all()}
    assert paragraphs["p2"].text_kk == "Екінші" and paragraphs["p2"].edited_by_kk == desk["bob"]
    assert paragraphs["p1"].edited_by_kk == desk["alice"]  # untouched: still Alice's


def test_line_breaks_posted_as_crlf_are_not_a_change(desk):
    translate_as(desk["alice"], desk["edition"], ["Бір\nекі", "Екі", "Үш"])
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    data = {key: value.replace("\n", "\r\n") for key, value in form_of(response).items()}
    response = client.post(editor_url(desk["edition"]), data)
    assert "Nothing to save: no text changed." in messages_of(response)
    assert text_kk(desk["article"], "p1") == "Бір\nекі"


def test_rows_left_out_by_the_script_count_as_unchanged(desk):
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    data = {"manifest": manifest_of(response), "_save": "1", "text-p3": "Үшінші"}
    client.post(editor_url(desk["edition"]), data)
    assert text_kk(desk["article"], "p3") == "Үшінші"
    assert UnitEdit.objects.filter(edition=desk["edition"]).count() == 1


def test_save_and_submit_makes_a_version(desk):
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    source = text_areas(response) | {"title": desk["article"].title_en}
    texts = {
        key: f"[kk] {text or Paragraph.objects.get(key=key).text_en}"
        for key, text in source.items()
    }
    response = client.post(editor_url(desk["edition"]), form_of(response, texts, button="_submit"))
    assert "Submitted as version 1 for review." in messages_of(response)
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert edition.state == EditionState.IN_REVIEW
    assert [u["text"] for u in edition.versions.get().units] == list(texts.values())


def test_submission_problems_come_back_as_messages_and_the_text_is_saved(desk):
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    response = client.post(
        editor_url(desk["edition"]), form_of(response, {"p1": "Бір"}, button="_submit")
    )
    messages = messages_of(response)
    assert "Saved 1 row." in messages
    assert "Not translated yet: Title, Paragraph 2, Paragraph 3." in messages
    assert text_kk(desk["article"], "p1") == "Бір"
    assert not Review.objects.exists()


def test_still_correct_clears_the_outdated_mark_and_keeps_the_text(desk):
    translate_as(desk["alice"], desk["edition"], ["Бір", "Екі", "Үш"])
    source_edit(desk["article"], "p2", "Paragraph 2 (same meaning).", user=editor("erin"))
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    response = client.post(editor_url(desk["edition"]), form_of(response, **{"confirm-p2": "1"}))
    assert "Saved 1 row." in messages_of(response)
    paragraph = Paragraph.objects.get(article=desk["article"], key="p2")
    assert paragraph.text_kk == "Екі"
    assert not paragraph.is_outdated("kk", "en")
    assert UnitEdit.objects.get(unit_key="p2", confirmed_only=True).user == desk["alice"]


def test_a_translation_saved_against_an_older_source_stays_outdated(desk):
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    source_edit(desk["article"], "p1", "Paragraph 1, rewritten.", user=editor("erin"))
    client.post(editor_url(desk["edition"]), form_of(response, {"p1": "Бір"}))
    paragraph = Paragraph.objects.get(article=desk["article"], key="p1")
    assert paragraph.text_kk == "Бір"
    assert paragraph.is_outdated("kk", "en")


# --- No lost work: two people on one edition -----------------------------------------------


def test_two_translators_on_different_paragraphs_both_save(desk):
    alice, bob = client_for(desk["alice"]), client_for(desk["bob"])
    page_alice = alice.get(editor_url(desk["edition"]))
    page_bob = bob.get(editor_url(desk["edition"]))
    alice.post(editor_url(desk["edition"]), form_of(page_alice, {"p1": "Алиса"}))
    response = bob.post(editor_url(desk["edition"]), form_of(page_bob, {"p2": "Боб"}))
    assert response.status_code == 302
    assert text_kk(desk["article"], "p1") == "Алиса"
    assert text_kk(desk["article"], "p2") == "Боб"


def test_the_same_paragraph_gives_the_second_a_conflict_and_overwrites_nothing(desk):
    alice, bob = client_for(desk["alice"]), client_for(desk["bob"])
    page_alice = alice.get(editor_url(desk["edition"]))
    page_bob = bob.get(editor_url(desk["edition"]))
    alice.post(editor_url(desk["edition"]), form_of(page_alice, {"p1": "Алиса жазды."}))
    response = bob.post(
        editor_url(desk["edition"]), form_of(page_bob, {"p1": "Боб жазды.", "p2": "Екі"})
    )
    assert response.status_code == 200
    assert text_kk(desk["article"], "p1") == "Алиса жазды."
    assert text_kk(desk["article"], "p2") == "Екі"  # the other row was saved
    conflict = row_html(response, "p1")
    assert 'data-status="conflict"' in conflict
    assert "Alice Aliyeva saved this after you opened the page" in conflict
    assert "Алиса жазды." in conflict
    assert text_areas(response)["p1"] == "Боб жазды."
    assert any("Someone else saved 1 row" in m for m in messages_of(response))


def test_resolving_a_conflict_by_keeping_mine_or_merging_saves_it(desk):
    alice, bob = client_for(desk["alice"]), client_for(desk["bob"])
    page_alice = alice.get(editor_url(desk["edition"]))
    page_bob = bob.get(editor_url(desk["edition"]))
    alice.post(editor_url(desk["edition"]), form_of(page_alice, {"p1": "Алиса."}))
    conflict_page = bob.post(editor_url(desk["edition"]), form_of(page_bob, {"p1": "Боб."}))
    merged = "Алиса. Боб."
    response = bob.post(editor_url(desk["edition"]), form_of(conflict_page, {"p1": merged}))
    assert response.status_code == 302
    assert text_kk(desk["article"], "p1") == merged
    paragraph = Paragraph.objects.get(article=desk["article"], key="p1")
    assert paragraph.edited_by_kk == desk["bob"]


def test_resolving_a_conflict_by_taking_theirs_leaves_their_text(desk):
    alice, bob = client_for(desk["alice"]), client_for(desk["bob"])
    page_alice = alice.get(editor_url(desk["edition"]))
    page_bob = bob.get(editor_url(desk["edition"]))
    alice.post(editor_url(desk["edition"]), form_of(page_alice, {"p1": "Алиса."}))
    conflict_page = bob.post(editor_url(desk["edition"]), form_of(page_bob, {"p1": "Боб."}))
    response = bob.post(
        editor_url(desk["edition"]), form_of(conflict_page, **{"resolve-p1": "theirs"})
    )
    assert response.status_code == 302
    paragraph = Paragraph.objects.get(article=desk["article"], key="p1")
    assert (paragraph.text_kk, paragraph.edited_by_kk) == ("Алиса.", desk["alice"])


def test_a_conflict_page_saved_again_after_a_third_save_conflicts_again(desk):
    alice, bob = client_for(desk["alice"]), client_for(desk["bob"])
    page_bob = bob.get(editor_url(desk["edition"]))
    alice.post(
        editor_url(desk["edition"]), form_of(alice.get(editor_url(desk["edition"])), {"p1": "A1"})
    )
    conflict_page = bob.post(editor_url(desk["edition"]), form_of(page_bob, {"p1": "B"}))
    alice.post(
        editor_url(desk["edition"]), form_of(alice.get(editor_url(desk["edition"])), {"p1": "A2"})
    )
    response = bob.post(editor_url(desk["edition"]), form_of(conflict_page))
    assert response.status_code == 200
    assert text_kk(desk["article"], "p1") == "A2"
    assert "A2" in row_html(response, "p1")


# --- Forged and broken posts -------------------------------------------------------------------


def forged_cases(desk):
    other = article_with_paragraphs(count=1)
    Paragraph.objects.filter(article=other).update(key="elsewhere1")
    return {
        "unknown key": lambda data: (
            data
            | {
                "manifest": data["manifest"] + "|nosuchkey:0::0123456789abcdef",
                "text-nosuchkey": "Жоқ",
            }
        ),
        "other edition's key": lambda data: (
            data
            | {
                "manifest": data["manifest"] + "|elsewhere1:0::0123456789abcdef",
                "text-elsewhere1": "Бөтен",
            }
        ),
        "text for a row not loaded": lambda data: data | {"text-elsewhere1": "Бөтен"},
        "revision not a number": lambda data: (
            data | {"manifest": data["manifest"].replace("p1:0:", "p1:zero:")}
        ),
        "negative revision": lambda data: (
            data | {"manifest": data["manifest"].replace("p1:0:", "p1:-1:")}
        ),
        "missing manifest": lambda data: {k: v for k, v in data.items() if k != "manifest"},
        "duplicate row": lambda data: (
            data | {"manifest": data["manifest"] + "|" + data["manifest"].split("|")[1]}
        ),
        "oversize text": lambda data: (
            data | {"text-p2": "ы" * (settings.TILMASH_MAX_PARAGRAPH_CHARS + 1)}
        ),
        "control character": lambda data: data | {"text-p2": "Екі\x00\x1b"},
        "oversize title": lambda data: data | {"text-title": "Т" * 501},
        "title with a line break": lambda data: data | {"text-title": "Бір\nЕкі"},
        "damaged structure button": lambda data: data | {"structure": "explode:p1"},
    }


@pytest.mark.parametrize(
    "case",
    [
        "unknown key",
        "other edition's key",
        "text for a row not loaded",
        "revision not a number",
        "negative revision",
        "missing manifest",
        "duplicate row",
        "oversize text",
        "control character",
        "oversize title",
        "title with a line break",
        "damaged structure button",
    ],
)
def test_forged_posts_get_a_message_and_write_nothing(desk, case):
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    data = forged_cases(desk)[case](form_of(response, {"p1": "Бір"}))
    response = client.post(editor_url(desk["edition"]), data)
    assert response.status_code == 200
    assert messages_of(response)
    assert all(m != "Saved 1 row." for m in messages_of(response))
    assert not UnitEdit.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="reviews.").exists()
    assert text_kk(desk["article"], "p1") in ("", None)
    assert Paragraph.objects.get(key="elsewhere1").text_kk in ("", None)
    if case not in ("missing manifest", "revision not a number", "negative revision"):
        assert text_areas(response)["p1"] == "Бір"  # what was typed is shown again


def test_a_lone_surrogate_in_a_raw_body_is_refused(desk):
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    body = (
        "&".join(f"{quote(key)}={quote(value)}" for key, value in form_of(response).items())
        + "&text-p1=%ED%A0%80abc"
    )
    response = client.post(
        editor_url(desk["edition"]), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert any("U+FFFD" in m for m in messages_of(response))
    assert not UnitEdit.objects.exists()


def test_a_paragraph_deleted_meanwhile_keeps_the_typed_text_on_the_page(desk):
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    Paragraph.objects.filter(article=desk["article"], key="p3").delete()
    response = client.post(
        editor_url(desk["edition"]), form_of(response, {"p1": "Бір", "p3": "Үшінші сөз"})
    )
    assert response.status_code == 200
    assert "Үшінші сөз" in response.content.decode()
    assert any("deleted from the article" in m for m in messages_of(response))
    assert not UnitEdit.objects.exists()


# --- Long articles: constant queries, few fields ----------------------------------------------


def long_desk(count):
    article = article_with_paragraphs(count=count)
    alice = UserFactory._meta.model.objects.filter(username="alice").first() or translator(
        "alice", is_staff=True
    )
    edition = edition_get_or_create(article=article, language="kk")
    assign(edition, alice)
    translate(article, "kk", user=alice)
    publish(article, "kk", user=alice)
    Edition.objects.filter(pk=edition.pk).update(state=EditionState.IN_PROGRESS)  # reopened
    # One outdated row and one untranslated, so every part of the page is drawn.
    Paragraph.objects.filter(article=article, key="p1").update(revision_en=5)
    Paragraph.objects.filter(article=article, key="p2").update(text_kk="")
    return edition, alice


def test_the_page_makes_as_many_queries_for_300_paragraphs_as_for_3(django_assert_num_queries):
    short, alice = long_desk(3)
    long, _alice = long_desk(300)
    client = client_for(alice)
    client.get(editor_url(short))  # session and roles warmed the same way for both
    with CaptureQueriesContext(connection) as short_queries:
        assert client.get(editor_url(short)).status_code == 200
    with django_assert_num_queries(len(short_queries)):
        response = client.get(editor_url(long))
    assert response.content.decode().count('class="editor-row ') == 301


def test_a_300_paragraph_post_with_one_change_stays_under_the_field_limit(desk):
    long, alice = long_desk(300)
    client = client_for(alice)
    response = client.get(editor_url(long))
    data = form_of(response, {"p150": "Жүз елуінші."})
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert len(data) == 301 + 2  # a text area per row, the manifest, the button
    response = client.post(editor_url(long), data)
    assert response.status_code == 302
    assert "Saved 1 row." in messages_of(response)
    assert Paragraph.objects.get(article=long.article, key="p150").text_kk == "Жүз елуінші."


def test_the_manifest_carries_what_each_row_was_loaded_with(desk):
    translate_as(desk["alice"], desk["edition"], ["Бір", "Екі", "Үш"])
    response = client_for(desk["alice"]).get(editor_url(desk["edition"]))
    rows = manifest_of(response).split("|")
    assert rows[1] == f"p1:1:1:{row_digest('Бір')}"


# --- The translator's aids on the page -------------------------------------------------------


def test_a_failing_check_shows_on_its_row_and_is_dismissed_with_a_reason(desk):
    Paragraph.objects.filter(article=desk["article"], key="p2").update(text_en="It cost 250 tenge.")
    translate_as(desk["alice"], desk["edition"], ["Бір 1.", "Ол қымбат болды.", "Үш 3."])
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    p2 = row_html(response, "p2")
    check_id = re.search(r'name="reason" form="dismiss-p2-([a-z_]+)"', p2).group(1)
    assert "issue-error" in p2 and "250" in p2
    dismiss = reverse("admin:translations_edition_editor_dismiss", args=[desk["edition"].pk])
    response = client.post(dismiss, {"unit_key": "p2", "check_id": check_id, "reason": ""})
    assert "Say why this check does not apply." in messages_of(response)
    response = client.post(
        dismiss, {"unit_key": "p2", "check_id": check_id, "reason": "Written out in words."}
    )
    assert response["Location"].endswith("#row-p2")
    p2 = row_html(client.get(editor_url(desk["edition"])), "p2")
    assert "dismissed: Written out in words." in p2
    assert 'name="reason"' not in p2


def test_only_someone_who_may_edit_dismisses_checks(desk):
    dana = translator("dana", pairs=[("en", "ru")], is_staff=True)
    pool = edition_get_or_create(article=desk["article"], language="ru")
    dismiss = reverse("admin:translations_edition_editor_dismiss", args=[pool.pk])
    response = client_for(dana).post(
        dismiss, {"unit_key": "p1", "check_id": "numbers", "reason": "Because."}
    )
    assert "You may not dismiss checks on this edition now." in messages_of(response)
    stranger = client_for(translator("carol", pairs=[("en", "ru")], is_staff=True))
    kk_dismiss = reverse("admin:translations_edition_editor_dismiss", args=[desk["edition"].pk])
    assert stranger.post(kk_dismiss, {"unit_key": "p1"}).status_code == 404


def test_glossary_terms_are_marked_in_the_source_with_their_rendering(desk):
    from aids.models import GlossaryTerm

    GlossaryTerm.objects.create(term_en="Paragraph", term_kk="Абзац<>")
    p1 = row_html(client_for(desk["alice"]).get(editor_url(desk["edition"])), "p1")
    assert '<mark class="term" title="Glossary: Абзац&lt;&gt;">Paragraph</mark> 1.' in p1


def test_suggestions_come_from_approved_translations_of_other_articles(
    desk, django_capture_on_commit_callbacks
):
    other = article_with_paragraphs(count=1, texts=["Paragraph 1."])
    translate(other, "kk", ["Бірінші абзац."])
    with django_capture_on_commit_callbacks(execute=True):  # the memory learns on commit
        publish(other, "kk")
    client = client_for(desk["alice"])
    url = reverse("admin:translations_edition_editor_suggest", args=[desk["edition"].pk, "p1"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Бірінші абзац." in page.content.decode()
    fragment = client.get(url + "?fragment=1").content.decode()
    assert "Бірінші абзац." in fragment and "<html" not in fragment
    assert "data-editor-suggest" in row_html(client.get(editor_url(desk["edition"])), "p1")


@pytest.mark.parametrize("case", ["unknown key", "source edition", "stranger"])
def test_suggestions_for_what_is_not_yours_or_not_there_are_404(desk, case):
    user, edition, key = desk["alice"], desk["edition"], "p1"
    if case == "unknown key":
        key = "nope"
    elif case == "source edition":
        user, edition = editor("erin", is_staff=True), desk["source"]
    else:
        user = translator("carol", pairs=[("en", "ru")], is_staff=True)
    url = reverse("admin:translations_edition_editor_suggest", args=[edition.pk, key])
    assert client_for(user).get(url).status_code == 404


# --- Check results are reused only for what they were made of ---------------------------------


def test_a_row_fixed_or_a_glossary_changed_is_checked_again(desk):
    from aids.models import GlossaryTerm

    Paragraph.objects.filter(article=desk["article"], key="p2").update(text_en="It cost 250 tenge.")
    translate_as(desk["alice"], desk["edition"], ["Бір 1.", "Ол қымбат болды.", "Үш 3."])
    client = client_for(desk["alice"])
    response = client.get(editor_url(desk["edition"]))
    assert "issue-error" in row_html(response, "p2")
    assert "issue-" not in row_html(response, "p3")
    client.post(editor_url(desk["edition"]), form_of(response, {"p2": "Ол 250 теңге болды."}))
    response = client.get(editor_url(desk["edition"]))
    assert "issue-" not in row_html(response, "p2")
    GlossaryTerm.objects.create(term_en="Paragraph", term_kk="Абзац")  # p3 unchanged
    issues = row_html(client.get(editor_url(desk["edition"])), "p3").split("</textarea>")[1]
    assert "issue-error" in issues and "Абзац" in issues


def test_check_results_are_the_same_from_the_cache_as_computed(desk):
    from django.core.cache import cache

    from aids.services import edition_check_report, version_check_report

    Paragraph.objects.filter(article=desk["article"], key="p2").update(text_en="It cost 250 tenge.")
    translate_as(desk["alice"], desk["edition"], ["Бір 1.", "Ол 250 теңге болды.", " Үш 3."])
    version = services.version_submit(edition=desk["edition"], user=desk["alice"])
    for report in (
        lambda: edition_check_report(edition=desk["edition"]),
        lambda: version_check_report(version=version),
    ):
        computed = report()
        assert report() == computed
        cache.clear()
        assert report() == computed
    assert [i.check_id for i in edition_check_report(edition=desk["edition"])["p3"]] == [
        "whitespace"
    ]


def test_check_messages_follow_the_interface_language(desk):
    from django.utils import translation

    from aids.checks import REGISTRY, WARNING, Check, check_register
    from aids.services import edition_check_report

    class SaysLanguage(Check):
        id = "test_says_language"
        name = "Says language"
        description = "Test check."
        severity = WARNING

        def check(self, source, target, source_language, target_language, context):
            return [self.issue(translation.get_language())]

    translate_as(desk["alice"], desk["edition"], ["Бір", "Екі", "Үш"])
    check_register(SaysLanguage())
    try:
        messages = {}
        for language in ("en", "ru", "en"):
            with translation.override(language):
                report = edition_check_report(edition=desk["edition"])
            messages[language] = [i.message for i in report["p1"] if i.check_id == SaysLanguage.id]
    finally:
        REGISTRY.pop(SaysLanguage.id)
    assert messages == {"en": ["en"], "ru": ["ru"]}
    report = edition_check_report(edition=desk["edition"])
    assert not [i for i in report["p1"] if i.check_id == SaysLanguage.id]
