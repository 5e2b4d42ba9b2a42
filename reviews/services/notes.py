"""The public note of an update or a correction in the working copy, and opening one.

Shared by ``corrections`` and ``updates``: both make one move on a live
edition (the live version stays public) that turns its working copy into an
update or a correction with its note; the note is then written like the
text, by whoever may edit the working copy, and becomes part of the next
version, reviewed and approved with it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from translations.audit import audit_record
from translations.states import edition_state_move

from ..workflow import Permission, edition_actions
from .comments import remark_validate
from .common import edition_lock, require

# A public note is a line or two, not an article.
NOTE_MAX_CHARS = 1000


def note_clean(note):
    """The note stripped, or a ``ValidationError`` saying what is wrong with it."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write the public note: it is required."), code="required")
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError(
            _("The note is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(note), "limit": NOTE_MAX_CHARS},
            code="too_long",
        )
    return remark_validate(note, label=_("The note"))


def lifecycle_open(*, edition, user, note, move, kind, action):
    """Make ``move`` on the live ``edition``: its working copy becomes ``kind`` with ``note``."""
    note = note_clean(note)
    with transaction.atomic():
        edition = edition_lock(edition)
        require(move, edition_actions(edition=edition, user=user))
        edition_state_move(
            edition=edition,
            move=move,
            user=user,
            action=action,
            comment=note,
            data={"live_version": edition.live_version_id},
            also={"working_kind": kind, "working_note": note},
        )
    return edition


def edition_note_save(*, edition, user, note):
    """Write the public note of ``edition``'s update or correction (translated, or
    rewritten before submission)."""
    note = note_clean(note)
    with transaction.atomic():
        edition = edition_lock(edition)
        require(Permission.EDIT_NOTE, edition_actions(edition=edition, user=user))
        if edition.working_note == note:
            return edition
        edition.working_note = note
        edition.save(update_fields=["working_note", "updated_at"])
        audit_record(
            action="reviews.edition.note",
            actor=user,
            edition=edition,
            comment=note,
            data={"kind": edition.working_kind},
        )
    return edition
