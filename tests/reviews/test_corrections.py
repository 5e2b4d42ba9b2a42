"""Corrections and running updates on the desk: opening them, their notes, four eyes,
and every other language getting them as work."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation

from reviews import services
from reviews.workflow import Move, Permission, edition_actions
from tests.factories import article_with_paragraphs
from tests.lifecycle import newsroom
from translations.models import (
    AuditEntry,
    EditionState,
    Paragraph,
    Priority,
    Version,
    VersionKind,
)
from translations.services import edition_get_or_create

pytestmark = pytest.mark.django_db

NOTE = "An earlier version of this article gave the opening month as April."


@pytest.fixture
def room():
    return newsroom()


def corrected_source(room, note=NOTE):
    """The source corrected by ed1 (who writes it) and approved by ed2."""
    services.correction_open(edition=room.edition("en"), user=room.editors[0], note=note)
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    version = room.submit("en", room.editors[0])
    return room.approve(version, who=1)


def test_an_editor_opens_a_correction_and_the_live_version_stays(room):
    edition = room.edition("en")
    live = edition.live_version_id
    services.correction_open(edition=edition, user=room.editors[0], note=f"  {NOTE} ")
    edition = room.edition("en")
    assert edition.state == EditionState.IN_PROGRESS
    assert (edition.working_kind, edition.working_note) == (VersionKind.CORRECTION, NOTE)
    assert edition.live_version_id == live
    entry = AuditEntry.objects.get(action="reviews.correction.open")
    assert (entry.edition_id, entry.from_state, entry.to_state, entry.comment) == (
        edition.pk, "approved", "in_progress", NOTE,
    )  # fmt: skip


@pytest.mark.parametrize(
    "who, note, error",
    [
        ("translator", NOTE, PermissionDenied),
        ("author", NOTE, PermissionDenied),
        ("editor", "", ValidationError),
        ("editor", "   ", ValidationError),
        ("editor", "x" * 1001, ValidationError),
        ("editor", "bad \x00 note", ValidationError),
    ],
)
def test_a_correction_is_refused_without_permission_or_a_note(room, who, note, error):
    user = {"translator": room.translator, "author": room.author, "editor": room.editors[0]}[who]
    with translation.override("en"), pytest.raises(error):
        services.correction_open(edition=room.edition("en"), user=user, note=note)
    edition = room.edition("en")
    assert (edition.state, edition.working_kind) == (EditionState.APPROVED, "")
    assert not AuditEntry.objects.filter(action="reviews.correction.open").exists()


def test_no_correction_on_an_edition_never_published_or_in_review(room):
    kk = room.edition("kk")
    services.edition_reopen(edition=kk, user=room.translator)
    room.save("kk", room.translator, {"p2": "Қымбат болды."})
    room.submit("kk", room.translator)
    with pytest.raises(PermissionDenied):
        services.correction_open(edition=room.edition("kk"), user=room.editors[0], note=NOTE)
    draft = edition_get_or_create(article=article_with_paragraphs(slug="draft"), language="kk")
    assert Move.OPEN_CORRECTION not in edition_actions(edition=draft, user=room.editors[0])
    with pytest.raises(PermissionDenied):
        services.correction_open(edition=draft, user=room.editors[0], note=NOTE)
    assert not AuditEntry.objects.filter(action="reviews.correction.open").exists()


def test_the_correction_is_a_version_with_its_note_under_four_eyes(room):
    services.correction_open(edition=room.edition("en"), user=room.editors[0], note=NOTE)
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    version = room.submit("en", room.editors[0])
    assert (version.kind, version.public_note) == (VersionKind.CORRECTION, NOTE)
    with pytest.raises(PermissionDenied):
        room.approve(version, who=0)
    room.approve(version, who=1)
    edition = room.edition("en")
    assert edition.live_version_id == version.pk
    assert (edition.working_kind, edition.working_note) == ("", "")


def test_a_correction_cannot_be_submitted_without_its_note(room):
    services.correction_open(edition=room.edition("en"), user=room.editors[0], note=NOTE)
    edition = room.edition("en")
    type(edition).objects.filter(pk=edition.pk).update(working_note="")
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    with translation.override("en"), pytest.raises(ValidationError, match="correction note"):
        room.submit("en", room.editors[0])


def test_every_other_language_gets_the_correction_as_urgent_work(room):
    corrected_source(room)
    for language in ("kk", "ru"):
        edition = room.edition(language)
        assert edition.state == EditionState.IN_PROGRESS
        assert edition.follows == VersionKind.CORRECTION
        assert edition.working_kind == VersionKind.CORRECTION
        assert edition.working_note == ""
        assert edition.priority == Priority.URGENT
        p1, p2 = Paragraph.objects.filter(article=room.article).order_by("position")[:2]
        assert p1.is_outdated(language, "en") and not p2.is_outdated(language, "en")
        entry = edition.audit_entries.get(action="translations.edition.follow_correction")
        assert (entry.from_state, entry.to_state, entry.comment) == (
            "approved", "in_progress", NOTE,
        )  # fmt: skip


def test_a_breaking_story_stays_breaking_when_corrected(room):
    type(room.edition("kk")).objects.filter(pk=room.edition("kk").pk).update(
        priority=Priority.BREAKING
    )
    corrected_source(room)
    assert room.edition("kk").priority == Priority.BREAKING


def test_the_translated_correction_needs_its_note_then_goes_live(room):
    corrected_source(room)
    room.save("kk", room.translator, {"p1": "Көпір маусымда ашылады."})
    with translation.override("en"), pytest.raises(ValidationError, match="correction note"):
        room.submit("kk", room.translator)
    services.edition_note_save(
        edition=room.edition("kk"), user=room.translator, note="Түзету: ай маусым."
    )
    version = room.submit("kk", room.translator)
    assert (version.kind, version.public_note) == (VersionKind.CORRECTION, "Түзету: ай маусым.")
    room.approve(version)
    edition = room.edition("kk")
    assert (edition.follows, edition.follows_since, edition.state) == (
        "", None, EditionState.APPROVED,
    )  # fmt: skip
    assert room.edition("ru").follows == VersionKind.CORRECTION


def test_a_version_made_before_the_correction_keeps_the_edition_following(room):
    services.edition_reopen(edition=room.edition("kk"), user=room.translator)
    room.save("kk", room.translator, {"p2": "Қымбат болды."})
    old = room.submit("kk", room.translator)
    corrected_source(room)
    assert room.edition("kk").state == EditionState.IN_REVIEW
    room.approve(old)
    edition = room.edition("kk")
    assert edition.live_version_id == old.pk
    assert (edition.state, edition.follows) == (EditionState.IN_PROGRESS, VersionKind.CORRECTION)


def test_earlier_corrections_travel_with_later_versions(room):
    corrected_source(room, note="First note.")
    services.correction_open(edition=room.edition("en"), user=room.editors[1], note="Second.")
    room.save("en", room.author, {"p2": "It cost less."})
    version = room.submit("en", room.author)
    room.approve(version, who=1)
    version = Version.objects.get(pk=version.pk)
    assert [entry["note"] for entry in version.earlier_notes] == ["First note."]


def test_the_note_is_written_only_by_who_may_edit_and_only_when_one_is_open(room):
    with pytest.raises(PermissionDenied):
        services.edition_note_save(edition=room.edition("kk"), user=room.translator, note="x")
    corrected_source(room)
    with pytest.raises(PermissionDenied):
        services.edition_note_save(edition=room.edition("kk"), user=room.author, note="x")
    services.edition_note_save(edition=room.edition("kk"), user=room.translator, note="Иә.")
    assert room.edition("kk").working_note == "Иә."
    assert AuditEntry.objects.filter(action="reviews.edition.note").count() == 1


def test_the_author_opens_an_update_of_the_source_only(room):
    assert Move.OPEN_UPDATE in edition_actions(edition=room.edition("en"), user=room.author)
    with pytest.raises(PermissionDenied):
        services.update_open(edition=room.edition("kk"), user=room.translator, note="Adds.")
    services.update_open(
        edition=room.edition("en"), user=room.author, note="Adds the minister's reaction."
    )
    edition = room.edition("en")
    assert (edition.working_kind, edition.state) == (VersionKind.UPDATE, EditionState.IN_PROGRESS)
    assert Permission.EDIT_NOTE in edition_actions(edition=edition, user=room.author)
    assert AuditEntry.objects.filter(action="reviews.update.open").count() == 1


def test_an_approved_update_is_work_with_the_articles_priority(room):
    type(room.edition("en")).objects.filter(pk=room.edition("en").pk).update(
        priority=Priority.URGENT
    )
    services.update_open(edition=room.edition("en"), user=room.author, note="Adds p3.")
    room.save("en", room.author, {"p3": "Traffic will change in June."})
    version = room.submit("en", room.author)
    assert version.kind == VersionKind.UPDATE
    room.approve(version)
    for language in ("kk", "ru"):
        edition = room.edition(language)
        assert (edition.follows, edition.working_kind, edition.priority, edition.state) == (
            VersionKind.UPDATE, VersionKind.UPDATE, Priority.URGENT, EditionState.IN_PROGRESS,
        )  # fmt: skip


def test_a_versions_kind_and_note_cannot_change(room):
    version = corrected_source(room)
    for change in ({"kind": "standard"}, {"public_note": "Other."}, {"earlier_notes": [1]}):
        with pytest.raises(DatabaseError), transaction.atomic():
            Version.objects.filter(pk=version.pk).update(**change)


def test_an_update_that_adds_a_paragraph_leaves_only_that_one_to_translate(room):
    from reviews.services.structure import paragraph_insert

    services.update_open(edition=room.edition("en"), user=room.author, note="Adds paragraph 4.")
    paragraph_insert(
        edition=room.edition("en"), user=room.author, after_key="p3",
        text="The minister welcomed the bridge.",
    )  # fmt: skip
    room.approve(room.submit("en", room.author))
    kk = room.edition("kk")
    with translation.override("en"):
        problems = services.submission_problems(kk)
    assert problems[0] == "An update needs its advisory line (in this language)."
    assert problems[1] == "Not translated yet: Paragraph 4."
    assert not any("source changed" in problem for problem in problems)  # nothing outdated


def test_the_structured_data_selector_gives_every_correction_newest_first_without_a_query(
    room, django_assert_num_queries
):
    from translations.lifecycle.notes import correction_notes

    corrected_source(room, note="First note.")
    services.update_open(edition=room.edition("en"), user=room.author, note="Adds p3.")
    room.save("en", room.author, {"p3": "Traffic will change soon."})
    room.approve(room.submit("en", room.author))
    services.correction_open(edition=room.edition("en"), user=room.editors[1], note="Second.")
    room.save("en", room.author, {"p2": "It cost less."})
    room.approve(room.submit("en", room.author), who=1)
    live = room.edition("en").live_version
    with django_assert_num_queries(0):
        notes = correction_notes(live)
    assert [note.note for note in notes] == ["Second.", "First note."]
    assert notes[0].at == live.approved_at and notes[0].at > notes[1].at
