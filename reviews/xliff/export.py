"""Writing an edition's working copy as XLIFF 2.0 or 1.2, for a CAT tool.

One unit per paragraph plus the title (unit id ``title``), the source text,
the working copy as target, a state mapped from ours, and notes that give the
translator the article's title and dateline and say when a unit is outdated.
Each unit also carries the revisions it was exported at and a digest of the
exported target, which is how the import tells "someone saved newer text since
the export" from "the file changed this unit" (see :mod:`.formats`).
"""

import io
import uuid
import zipfile
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from translations.models import Edition, Paragraph, Version
from translations.services import audit_record

from ..models import Review, ReviewState
from ..workflow import Permission, edition_actions
from . import formats as f
from .writing import NMTOKEN, document_write

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


@dataclass(frozen=True)
class ExportUnit:
    key: str
    label: str
    source: str
    target: str
    revision: int
    source_revision: int
    state: f.UnitState
    outdated: bool


@dataclass(frozen=True)
class XliffExport:
    edition: Edition
    export_id: str
    xliff_version: str
    filename: str
    content: bytes
    units: tuple


def xliff_export(*, edition, user=None, xliff_version=f.DEFAULT_VERSION, record=True):
    """The working copy of ``edition`` as one XLIFF file (:class:`XliffExport`).

    ``user`` must be allowed to see the edition (``None``: an operator's
    command, no desk rules). A source edition has nothing to translate and is
    refused. The export is recorded in the audit with its id.
    """
    if xliff_version not in f.VERSIONS:
        raise ValidationError(
            _("Unknown XLIFF version “%(version)s”; choose one of: %(versions)s.")
            % {"version": str(xliff_version)[:20], "versions": ", ".join(f.VERSIONS)}
        )
    edition = _edition_load(edition)
    if user is not None and Permission.VIEW not in edition_actions(edition=edition, user=user):
        raise PermissionDenied(_("You may not see this edition."))
    article = edition.article
    if edition.language == article.source_language:
        raise ValidationError(
            _("“%(edition)s” is the source text; export one of its translations.")
            % {"edition": edition}
        )
    units = export_units(edition)
    export_id = uuid.uuid4().hex
    exported_at = timezone.now()
    context = _context_note(article)
    content = document_write(
        xliff_version, edition, units, export_id=export_id, exported_at=exported_at, context=context
    )
    if record:
        audit_record(
            action="reviews.xliff.export",
            actor=user,
            edition=edition,
            data={"export": export_id, "xliff": xliff_version, "units": len(units)},
        )
    filename = f"{article.slug}_{article.source_language}-{edition.language}.xlf"
    return XliffExport(edition, export_id, xliff_version, filename, content, tuple(units))


def xliff_export_batch(*, editions, user=None, xliff_version=f.DEFAULT_VERSION):
    """Several editions as one zip of XLIFF files; all or none (any refusal raises)."""
    editions = list(editions)
    if not editions:
        raise ValidationError(_("Choose at least one edition to export."))
    exports = [
        xliff_export(edition=edition, user=user, xliff_version=xliff_version)
        for edition in editions
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for export in exports:
            archive.writestr(export.filename, export.content)
    return buffer.getvalue(), exports


def _edition_load(edition):
    pk = edition.pk if isinstance(edition, Edition) else edition
    return Edition.objects.select_related("article", "live_version").get(pk=pk)


def export_units(edition):
    """The units of ``edition`` as exported: title first, then paragraphs in order."""
    article = edition.article
    language, source_language = edition.language, article.source_language
    live = edition.live_version.unit_map() if edition.live_version_id else {}
    review = (
        Review.objects.filter(edition=edition, state=ReviewState.OPEN)
        .select_related("version")
        .first()
    )
    in_review = review.version.unit_map() if review else {}
    paragraphs = list(Paragraph.objects.filter(article=article).order_by("position"))
    labelled = [(Version.TITLE_KEY, _("Title"), article)] + [
        (
            paragraph.key,
            _("Paragraph %(number)d of %(count)d") % {"number": number, "count": len(paragraphs)},
            paragraph,
        )
        for number, paragraph in enumerate(paragraphs, start=1)
    ]
    units = []
    for key, label, unit in labelled:
        if not NMTOKEN.match(key):
            raise ValidationError(
                _("The paragraph key “%(key)s” cannot be an XLIFF unit id.") % {"key": key}
            )
        target = unit.text_in(language)
        outdated = unit.is_outdated(language, source_language)
        units.append(
            ExportUnit(
                key=key,
                label=label,
                source=unit.text_in(source_language),
                target=target,
                revision=unit.revision_in(language),
                source_revision=unit.revision_in(source_language),
                state=_state(key, target, outdated, live, in_review),
                outdated=outdated,
            )
        )
    return units


def _state(key, target, outdated, live, in_review):
    if not target:
        return f.UnitState.UNTRANSLATED
    if outdated:
        return f.UnitState.TRANSLATED
    if key in live and live[key]["text"] == target:
        return f.UnitState.LIVE
    if key in in_review and in_review[key]["text"] == target:
        return f.UnitState.IN_REVIEW
    return f.UnitState.TRANSLATED


def _context_note(article):
    dateline = timezone.localtime(article.dateline, ALMATY)
    return _("Article “%(title)s”, %(dateline)s (Almaty time); Tilmash article %(slug)s.") % {
        "title": article.title_in_source(),
        "dateline": dateline.strftime("%d.%m.%Y, %H:%M"),
        "slug": article.slug,
    }
