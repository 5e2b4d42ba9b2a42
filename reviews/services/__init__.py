"""The desk's writes. Each checks :mod:`reviews.workflow` again, runs in one
transaction with the edition's row locked, and writes an audit entry; a move
of the edition's state goes through ``translations.states.edition_state_move``.

- ``assignment``: assign, claim. ``saving``: the working copy's rows.
- ``decisions``: submit, withdraw, request changes, approve, reopen.
- ``credits``: a version's credits. ``comments``: comments and checked marks.
- ``structure``: the source's paragraphs (insert, delete, move, split, merge).
- ``lifecycle``: embargo, withdrawal and reinstatement of an article.
- ``corrections``, ``updates``, ``notes``: opening a correction or a running update
  on a live edition, and writing its public note.
- ``importing``: an article file's preview, then its confirmed import.
- ``checks``: dismissing a QA check. ``common``: the lock, the permission check, a move.

Callers (admin views, commands, tests) turn ``PermissionDenied`` and
``ValidationError`` into messages.
"""

from .assignment import edition_assign, edition_claim
from .checks import check_dismiss
from .corrections import correction_open
from .credits import credits_propose, version_credits_set
from .decisions import (
    edition_reopen,
    submission_problems,
    version_approve,
    version_request_changes,
    version_submit,
    version_withdraw,
)
from .importing import article_import_confirm, article_import_preview
from .lifecycle import article_reinstate, article_withdraw, embargo_lift, embargo_set
from .notes import edition_note_save
from .saving import RowInput, RowResult, SaveReport, units_save
from .updates import update_open

__all__ = [
    "article_import_confirm",
    "article_import_preview",
    "article_reinstate",
    "article_withdraw",
    "check_dismiss",
    "embargo_lift",
    "embargo_set",
    "correction_open",
    "edition_note_save",
    "update_open",
    "RowInput",
    "RowResult",
    "SaveReport",
    "credits_propose",
    "edition_assign",
    "edition_claim",
    "edition_reopen",
    "submission_problems",
    "units_save",
    "version_approve",
    "version_credits_set",
    "version_request_changes",
    "version_submit",
    "version_withdraw",
]
