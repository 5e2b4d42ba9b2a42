"""Saving the working copy: the rows an editor posts, each conflict-checked on its own."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from translations import services as content
from translations.models import EditionState, Version

from ..models import UnitEdit
from ..workflow import (
    Move,
    Permission,
    edition_actions,
)
from .common import edition_lock, edition_move, require


@dataclass
class RowInput:
    """One row of the editor as posted: the text and the revision it was loaded at."""

    key: str
    text: str
    revision: int
    source_revision: int | None = None
    confirm: bool = False  # "still correct": clear the outdated mark, keep the text


@dataclass
class RowResult:
    key: str
    status: str  # saved | unchanged | conflict | confirmed | unknown
    mine: str = ""
    theirs: str = ""
    their_revision: int = 0
    their_author_id: int | None = None


@dataclass
class SaveReport:
    rows: list = field(default_factory=list)

    def with_status(self, status):
        return [row for row in self.rows if row.status == status]

    @property
    def saved(self):
        return self.with_status("saved") + self.with_status("confirmed")

    @property
    def conflicts(self):
        return self.with_status("conflict")


def units_save(*, edition, user, rows):
    """Save the posted rows of ``edition``'s working copy, in one transaction.

    A row whose unit someone else saved since it was loaded is not written:
    it comes back as a conflict with both texts. The other rows are saved.
    Text that no paragraph may hold refuses the whole save, with nothing written.
    All the rows are written together (``units_text_save``: one statement for
    the paragraphs, one for the title), each still compared with the revision
    it was loaded at.
    """
    report = SaveReport()
    with transaction.atomic():
        edition = edition_lock(edition)
        require(Permission.EDIT, edition_actions(edition=edition, user=user))
        article = edition.article
        units = {p.key: p for p in article.paragraphs.filter(key__in=[r.key for r in rows])}
        units[Version.TITLE_KEY] = article
        writes = []
        for row in rows:
            label = _("Paragraph %(key)s") % {"key": row.key}
            if row.key not in units:
                # Refused like any other text, though no paragraph is left to hold it.
                if not row.confirm:
                    content.text_validate(row.text, label=label)
                continue
            writes.append(
                content.UnitWrite(
                    unit=units[row.key],
                    text=row.text,
                    loaded_revision=row.revision,
                    source_revision=row.source_revision,
                    confirm_only=row.confirm,
                    label=label,
                )
            )
        results = iter(content.units_text_save(writes=writes, language=edition.language, user=user))
        edits = []
        for row in rows:
            if row.key not in units:
                report.rows.append(RowResult(key=row.key, status="unknown", mine=row.text))
                continue
            result = next(results)
            report.rows.append(_row_result(row, result, edition.language))
            if result.saved:
                edits.append(
                    UnitEdit(
                        edition=edition,
                        unit_key=row.key,
                        user=user,
                        revision=result.unit.revision_in(edition.language),
                        confirmed_only=row.confirm,
                    )
                )
        UnitEdit.objects.bulk_create(edits)
        if edits and edition.state == EditionState.NOT_STARTED:
            edition_move(edition, Move.START, user=user)
    return report


def _row_result(row, result, language):
    unit = result.unit
    if unit is None:  # deleted by someone else between the read and the write
        return RowResult(key=row.key, status="unknown", mine=row.text)
    if result.saved:
        status = "confirmed" if row.confirm else "saved"
    elif result.unchanged:
        status = "unchanged"
    else:
        status = "conflict"
    return RowResult(
        key=row.key,
        status=status,
        mine=row.text,
        theirs=unit.text_in(language) if status == "conflict" else "",
        their_revision=unit.revision_in(language),
        their_author_id=unit.edited_by_id_in(language),
    )
