"""Structural edits of an article's source: keys stay stable, translations follow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from reviews.services import structure
from reviews.services.structure import source_texts_known
from tests.factories import article_with_paragraphs, assign, editor, publish, translate, translator
from translations.models import AuditEntry, Edition, EditionState, Paragraph
from translations.services import edition_get_or_create

from .test_editor import form_of, messages_of, row_html, text_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=4)
    publish(article, "en")
    translate(article, "kk")
    source = Edition.objects.get(article=article, language="en")
    Edition.objects.filter(pk=source.pk).update(state=EditionState.IN_PROGRESS)
    source.refresh_from_db()
    kk = edition_get_or_create(article=article, language="kk")
    author = translator("ayan", is_staff=True)  # an author: assigned to the source edition
    assign(source, author)
    alice = translator("alice", is_staff=True)
    assign(kk, alice)
    return {"article": article, "source": source, "kk": kk, "author": author, "alice": alice}


def order(article):
    return list(
        Paragraph.objects.filter(article=article).order_by("position").values_list("key", flat=True)
    )


def positions(article):
    return list(
        Paragraph.objects.filter(article=article)
        .order_by("position")
        .values_list("position", flat=True)
    )


def paragraph(article, key):
    return Paragraph.objects.get(article=article, key=key)


def test_insert_after_a_paragraph_keeps_every_other_key_and_translation(desk):
    new = structure.paragraph_insert(edition=desk["source"], user=desk["author"], after_key="p2")
    assert order(desk["article"]) == ["p1", "p2", new.key, "p3", "p4"]
    assert positions(desk["article"]) == [1, 2, 3, 4, 5]
    assert paragraph(desk["article"], "p3").text_kk == "[kk] Paragraph 3."
    entry = AuditEntry.objects.get(action="reviews.paragraph.insert")
    assert (entry.actor, entry.data["key"], entry.data["after"]) == (desk["author"], new.key, "p2")


def test_insert_after_the_title_puts_the_paragraph_first(desk):
    new = structure.paragraph_insert(
        edition=desk["source"], user=desk["author"], after_key="title", text="Lead."
    )
    assert order(desk["article"])[0] == new.key
    assert (new.text_en, new.revision_en) == ("Lead.", 1)


def test_delete_renumbers_and_the_audit_keeps_every_text(desk):
    structure.paragraph_delete(edition=desk["source"], user=desk["author"], key="p2")
    assert order(desk["article"]) == ["p1", "p3", "p4"]
    assert positions(desk["article"]) == [1, 2, 3]
    entry = AuditEntry.objects.get(action="reviews.paragraph.delete")
    assert entry.data["texts"]["en"] == "Paragraph 2."
    assert entry.data["texts"]["kk"] == "[kk] Paragraph 2."


def test_the_last_paragraph_is_not_deleted(desk):
    for key in ("p1", "p2", "p3"):
        structure.paragraph_delete(edition=desk["source"], user=desk["author"], key=key)
    with pytest.raises(ValidationError, match="at least one paragraph"):
        structure.paragraph_delete(edition=desk["source"], user=desk["author"], key="p4")
    assert order(desk["article"]) == ["p4"]


@pytest.mark.parametrize(
    "key, direction, expected",
    [
        ("p2", "up", ["p2", "p1", "p3", "p4"]),
        ("p2", "down", ["p1", "p3", "p2", "p4"]),
        ("p4", "up", ["p1", "p2", "p4", "p3"]),
    ],
)
def test_move_swaps_with_the_neighbour(desk, key, direction, expected):
    structure.paragraph_move(
        edition=desk["source"], user=desk["author"], key=key, direction=direction
    )
    assert order(desk["article"]) == expected
    assert positions(desk["article"]) == [1, 2, 3, 4]


@pytest.mark.parametrize("key, direction", [("p1", "up"), ("p4", "down")])
def test_move_past_the_ends_is_refused(desk, key, direction):
    with pytest.raises(ValidationError, match="already the"):
        structure.paragraph_move(
            edition=desk["source"], user=desk["author"], key=key, direction=direction
        )
    assert order(desk["article"]) == ["p1", "p2", "p3", "p4"]


def test_split_keeps_the_key_on_the_first_part_and_outdates_both_translations(desk):
    Paragraph.objects.filter(article=desk["article"], key="p2").update(
        text_en="First sentence. Second sentence."
    )
    first, second = structure.paragraph_split(
        edition=desk["source"], user=desk["author"], key="p2", offset=16
    )
    assert order(desk["article"]) == ["p1", "p2", second.key, "p3", "p4"]
    first, second = paragraph(desk["article"], "p2"), paragraph(desk["article"], second.key)
    assert (first.text_en, second.text_en) == ("First sentence.", "Second sentence.")
    assert first.is_outdated("kk", "en") and second.is_outdated("kk", "en")
    assert second.text_kk == first.text_kk == "[kk] Paragraph 2."
    known = source_texts_known(
        article=desk["article"],
        wanted={("p2", first.source_revision_kk), (second.key, second.source_revision_kk)},
    )
    assert set(known.values()) == {"First sentence. Second sentence."}
    entry = AuditEntry.objects.get(action="reviews.paragraph.split")
    assert (entry.data["key"], entry.data["new_key"]) == ("p2", second.key)


@pytest.mark.parametrize("offset", [0, 12, 999, "5"])
def test_split_outside_the_text_or_leaving_an_empty_part_is_refused(desk, offset):
    with pytest.raises(ValidationError):
        structure.paragraph_split(
            edition=desk["source"], user=desk["author"], key="p1", offset=offset
        )
    assert order(desk["article"]) == ["p1", "p2", "p3", "p4"]


def test_split_of_a_paragraph_changed_since_loading_is_refused(desk):
    with pytest.raises(ValidationError, match="changed paragraph 2 since you opened it"):
        structure.paragraph_split(
            edition=desk["source"], user=desk["author"], key="p2", offset=5, revision=0
        )
    assert paragraph(desk["article"], "p2").text_en == "Paragraph 2."


def test_merge_keeps_the_first_key_and_joins_every_language(desk):
    structure.paragraph_merge(edition=desk["source"], user=desk["author"], key="p2")
    assert order(desk["article"]) == ["p1", "p2", "p4"]
    merged = paragraph(desk["article"], "p2")
    assert merged.text_en == "Paragraph 2. Paragraph 3."
    assert merged.text_kk == "[kk] Paragraph 2. [kk] Paragraph 3."
    # Both halves were up to date, so the joined translation is too.
    assert not merged.is_outdated("kk", "en")
    assert merged.revision_kk == 2  # a page opened before the merge now conflicts
    entry = AuditEntry.objects.get(action="reviews.paragraph.merge")
    assert entry.data["merged_key"] == "p3"
    assert entry.data["texts"]["kk"] == "[kk] Paragraph 3."


def test_merge_with_an_outdated_half_is_outdated(desk):
    Paragraph.objects.filter(article=desk["article"], key="p3").update(revision_en=7)
    structure.paragraph_merge(edition=desk["source"], user=desk["author"], key="p2")
    assert paragraph(desk["article"], "p2").is_outdated("kk", "en")


def test_merging_the_last_paragraph_is_refused(desk):
    with pytest.raises(ValidationError, match="no next one"):
        structure.paragraph_merge(edition=desk["source"], user=desk["author"], key="p4")


@pytest.mark.parametrize(
    "move",
    [
        lambda e, u: structure.paragraph_insert(edition=e, user=u, after_key="p1"),
        lambda e, u: structure.paragraph_delete(edition=e, user=u, key="p1"),
        lambda e, u: structure.paragraph_move(edition=e, user=u, key="p1", direction="down"),
        lambda e, u: structure.paragraph_split(edition=e, user=u, key="p1", offset=3),
        lambda e, u: structure.paragraph_merge(edition=e, user=u, key="p1"),
    ],
    ids=["insert", "delete", "move", "split", "merge"],
)
def test_every_structural_edit_is_refused_on_a_translation(desk, move):
    with pytest.raises(ValidationError, match="in the source edition \\(en\\) only"):
        move(desk["kk"], desk["alice"])
    with pytest.raises(PermissionDenied, match="Only the article's authors and editors"):
        move(desk["source"], desk["alice"])
    assert order(desk["article"]) == ["p1", "p2", "p3", "p4"]
    assert not AuditEntry.objects.filter(action__startswith="reviews.paragraph").exists()


def test_structural_edits_wait_for_a_reopened_source(desk):
    Edition.objects.filter(pk=desk["source"].pk).update(state=EditionState.APPROVED)
    with pytest.raises(PermissionDenied, match="reopen it"):
        structure.paragraph_insert(edition=desk["source"], user=desk["author"], after_key="p1")


def test_an_editor_restructures_without_being_assigned(desk):
    structure.paragraph_move(
        edition=desk["source"], user=editor("erin"), key="p1", direction="down"
    )
    assert order(desk["article"])[:2] == ["p2", "p1"]


# --- Through the editor page --------------------------------------------------------------


def source_page(desk):
    client = Client()
    client.force_login(desk["author"])
    url = reverse("admin:translations_edition_editor", args=[desk["source"].pk])
    return client, url, client.get(url)


def test_the_source_edition_is_edited_in_one_column_with_structure_buttons(desk):
    client, url, response = source_page(desk)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="merge:p1"' in page and 'value="insert:title"' in page
    assert "editor-source" not in row_html(response, "p1").split("editor-target")[0]
    translator_page = Client()
    translator_page.force_login(desk["alice"])
    kk_url = reverse("admin:translations_edition_editor", args=[desk["kk"].pk])
    assert 'name="structure"' not in translator_page.get(kk_url).content.decode()
    assert translator_page.get(url).status_code == 404  # not her edition


def test_saving_source_text_outdates_the_translations_and_records_the_old_text(desk):
    client, url, response = source_page(desk)
    client.post(url, form_of(response, {"p1": "Paragraph one."}))
    changed = paragraph(desk["article"], "p1")
    assert changed.text_en == "Paragraph one." and changed.is_outdated("kk", "en")
    entry = AuditEntry.objects.get(action="reviews.source.edit")
    assert entry.data["source_texts"] == [["p1", 1, "Paragraph 1."]]


def test_a_dashes_line_splits_the_paragraph_when_saved(desk):
    client, url, response = source_page(desk)
    response = client.post(
        url, form_of(response, {"p3": "Paragraph 3,\n---\nand its second half."})
    )
    assert response.status_code == 302, messages_of(response)
    keys = order(desk["article"])
    assert keys[:3] == ["p1", "p2", "p3"] and len(keys) == 5
    assert paragraph(desk["article"], "p3").text_en == "Paragraph 3,"
    assert paragraph(desk["article"], keys[3]).text_en == "and its second half."


def test_buttons_move_insert_merge_and_delete_after_confirming(desk):
    client, url, response = source_page(desk)
    client.post(url, form_of(response, structure="down:p1"))
    assert order(desk["article"])[:2] == ["p2", "p1"]
    client.post(url, form_of(client.get(url), structure="merge:p3"))
    assert order(desk["article"]) == ["p2", "p1", "p3"]
    asked = client.post(url, form_of(client.get(url), structure="delete:p3"))
    assert asked.status_code == 200 and "Delete Paragraph 3?" in asked.content.decode()
    assert "p3" in order(desk["article"])
    client.post(url, form_of(asked, structure="delete-confirmed:p3"))
    assert order(desk["article"]) == ["p2", "p1"]
    response = client.post(url, form_of(client.get(url), structure="insert:p1"), follow=True)
    assert len(order(desk["article"])) == 3
    assert "Added an empty paragraph." in messages_of(response)


def test_typed_text_is_saved_before_a_structural_move(desk):
    client, url, response = source_page(desk)
    client.post(url, form_of(response, {"p2": "Edited before moving."}, structure="up:p2"))
    assert order(desk["article"])[0] == "p2"
    assert paragraph(desk["article"], "p2").text_en == "Edited before moving."


def test_a_refused_structural_move_says_why(desk):
    client, url, response = source_page(desk)
    response = client.post(url, form_of(response, structure="up:p1"), follow=True)
    assert "The paragraph is already the first one." in messages_of(response)


def test_two_split_markers_in_one_paragraph_are_refused_and_the_text_kept(desk):
    client, url, response = source_page(desk)
    text = "One\n---\nTwo\n---\nThree"
    response = client.post(url, form_of(response, {"p1": text}))
    assert response.status_code == 200
    assert any("more than one" in m for m in messages_of(response))
    assert text_areas(response)["p1"] == text
    assert len(order(desk["article"])) == 4
