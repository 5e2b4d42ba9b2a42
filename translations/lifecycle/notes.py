"""Public notes of updates and corrections: made with a version, read from the live one.

A version's ``kind`` and ``public_note`` come from its edition's working copy
(``Edition.working_kind`` and ``working_note``) when it is made, and its
``earlier_notes`` from the edition's earlier approved updates and
corrections, so that the public page finds every note in the one row of the
live version it reads anyway: no query of its own, and never a note that
was not approved with its version.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..models import VersionKind

K = VersionKind


def notes_snapshot(*, edition):
    """``{"kind", "public_note", "earlier_notes"}`` for the next version of ``edition``."""
    earlier = (
        edition.versions.filter(approved_at__isnull=False)
        .exclude(kind=K.STANDARD)
        .order_by("-approved_at", "-id")
        .values_list("kind", "public_note", "approved_at")
    )
    return {
        "kind": edition.working_kind or K.STANDARD,
        "public_note": edition.working_note if edition.working_kind else "",
        "earlier_notes": [
            {"kind": kind, "note": note, "at": at.isoformat()} for kind, note, at in earlier
        ],
    }


def note_problems(edition):
    """What keeps an update or a correction from being submitted without its note."""
    if edition.working_kind == K.CORRECTION and not edition.working_note.strip():
        return [_("A correction needs its public correction note (in this language).")]
    if edition.working_kind == K.UPDATE and not edition.working_note.strip():
        return [_("An update needs its advisory line (in this language).")]
    return []


@dataclass(frozen=True)
class Note:
    kind: str
    note: str
    at: object  # an aware datetime: when the version carrying it was approved


@dataclass(frozen=True)
class PublicNotes:
    """What a public page says of updates and corrections, newest first."""

    updated: Note | None = None  # the latest update
    corrections: list = field(default_factory=list)
    follows: str = ""  # the source's approved change this translation has still to follow


def version_notes(version):
    """Every approved note ``version`` carries (its own, then earlier ones), newest first.

    Reads only the version's own columns; ``version`` must be approved.
    """
    notes = []
    if version.kind != K.STANDARD and version.public_note:
        notes.append(Note(version.kind, version.public_note, version.approved_at))
    for entry in version.earlier_notes or []:
        notes.append(Note(entry["kind"], entry["note"], parse_datetime(entry["at"])))
    return notes


def correction_notes(version):
    """The correction notes of ``version`` (a live version), newest first: for pages and
    for structured data (schema.org ``correction``)."""
    return [note for note in version_notes(version) if note.kind == K.CORRECTION]


def public_notes(edition):
    """The notes the public page of ``edition`` shows, from its live version and its row.

    ``edition`` is as ``selectors.edition_published_get`` reads it: no query here.
    """
    version = edition.live_version
    notes = version_notes(version)
    updated = next((note for note in notes if note.kind == K.UPDATE), None)
    follows = edition.follows
    if follows == K.UPDATE and not settings.TILMASH_TRANSLATION_FOLLOWS_NOTICE:
        follows = ""
    return PublicNotes(
        updated=updated,
        corrections=[note for note in notes if note.kind == K.CORRECTION],
        follows=follows,
    )
