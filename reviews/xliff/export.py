"""Writing an edition's working copy as XLIFF 2.0 or 1.2, for a CAT tool.

One unit per paragraph plus the title (unit id ``title``), the source text,
the working copy as target, a state mapped from ours, and notes that give the
translator the article's title and dateline and say when a unit is outdated.
Each unit also carries the revisions it was exported at and a digest of the
exported target, which is how the import tells "someone saved newer text since
the export" from "the file changed this unit" (see :mod:`.formats`).
"""

import io
import re
import uuid
import zipfile
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from translations.models import Edition, Paragraph, Version
from translations.services import audit_record, text_hash

from ..models import Review, ReviewState
from ..workflow import Action, edition_actions
from . import formats as f

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
NMTOKEN = re.compile(r"^[\w.\-:\u00b7\u0300-\u036f\u203f-\u2040]+$")
# Elements whose text is content: never re-indented.
CONTENT_ELEMENTS = {"source", "target", "note"}


def target_digest(text):
    """Short digest of a unit's exported target: enough to see whether a file changed it."""
    return text_hash(text)[:16]


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
    if user is not None and Action.VIEW not in edition_actions(edition=edition, user=user):
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
    writer = _write_20 if xliff_version == "2.0" else _write_12
    root = writer(edition, units, export_id=export_id, exported_at=exported_at, context=context)
    _indent(root)
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
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


def _unit_note(unit, article):
    return _("%(unit)s of “%(title)s”.") % {"unit": unit.label, "title": article.title_in_source()}


def _outdated_note():
    return _(
        "Outdated: the source text changed after this translation was made. "
        "Check it against the new source."
    )


def _set_text(element, text, *, code_point=None):
    """Write ``text`` as the content of ``element``; characters XML cannot
    carry become ``<cp hex=…/>`` (XLIFF 2.0) or refuse the export (1.2)."""
    pieces = [""]
    for char in text:
        if f.xml_unsafe(char):
            if code_point is None:
                raise ValidationError(
                    _(
                        "The text contains U+%(code)04X, which XLIFF 1.2 cannot carry; "
                        "export as XLIFF 2.0."
                    )
                    % {"code": ord(char)}
                )
            pieces += [char, ""]
        else:
            pieces[-1] += char
    element.text = pieces[0]
    for index in range(1, len(pieces), 2):
        marker = etree.SubElement(element, code_point, hex=f"{ord(pieces[index]):04X}")
        marker.tail = pieces[index + 1]


def _stamp(moment):
    return moment.astimezone(zoneinfo.ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_20(edition, units, *, export_id, exported_at, context):
    article = edition.article

    def x(name):
        return f.q(f.XLIFF_20, name)

    def t(name):
        return f.q(f.TILMASH, name)

    root = etree.Element(
        x("xliff"),
        nsmap={None: f.XLIFF_20, "tilmash": f.TILMASH},
        version="2.0",
        srcLang=article.source_language,
        trgLang=edition.language,
    )
    root.set(t("export"), export_id)
    root.set(t("exported"), _stamp(exported_at))
    file_id = article.slug if NMTOKEN.match(article.slug) else "article"
    file = etree.SubElement(root, x("file"), id=file_id, original=article.slug)
    file.set("canResegment", "no")
    file.set(t("article"), article.slug)
    notes = etree.SubElement(file, x("notes"))
    etree.SubElement(notes, x("note"), category="context").text = context
    for unit in units:
        element = etree.SubElement(file, x("unit"), id=unit.key)
        element.set(t("revision"), str(unit.revision))
        element.set(t("source-revision"), str(unit.source_revision))
        element.set(t("target"), target_digest(unit.target))
        notes = etree.SubElement(element, x("notes"))
        etree.SubElement(notes, x("note"), category="context").text = _unit_note(unit, article)
        if unit.outdated:
            etree.SubElement(notes, x("note"), category="tilmash:outdated").text = _outdated_note()
        segment = etree.SubElement(element, x("segment"), state=f.STATE_20[unit.state])
        if unit.outdated:
            segment.set("subState", f.OUTDATED_SUBSTATE_20)
        source = etree.SubElement(segment, x("source"))
        source.set(f.q(f.XML, "space"), "preserve")
        _set_text(source, unit.source, code_point=x("cp"))
        if unit.target:
            target = etree.SubElement(segment, x("target"))
            target.set(f.q(f.XML, "space"), "preserve")
            _set_text(target, unit.target, code_point=x("cp"))
    return root


def _write_12(edition, units, *, export_id, exported_at, context):
    article = edition.article

    def x(name):
        return f.q(f.XLIFF_12, name)

    stamp = _stamp(exported_at)
    root = etree.Element(x("xliff"), nsmap={None: f.XLIFF_12}, version="1.2")
    file = etree.SubElement(
        root,
        x("file"),
        {
            "original": article.slug,
            "source-language": article.source_language,
            "target-language": edition.language,
            "datatype": "plaintext",
            "tool-id": f.TOOL_ID,
            "date": stamp,
        },
    )
    header = etree.SubElement(file, x("header"))
    phases = etree.SubElement(header, x("phase-group"))
    etree.SubElement(
        phases,
        x("phase"),
        {
            "phase-name": "export",
            "process-name": "export",
            "tool-id": f.TOOL_ID,
            "job-id": export_id,
            "date": stamp,
        },
    )
    etree.SubElement(header, x("tool"), {"tool-id": f.TOOL_ID, "tool-name": "Tilmash"})
    etree.SubElement(header, x("note"), {"from": f.TOOL_ID}).text = context
    body = etree.SubElement(file, x("body"))
    for unit in units:
        extradata = f.extradata_format(
            revision=unit.revision,
            source_revision=unit.source_revision,
            target_hash=target_digest(unit.target),
        )
        element = etree.SubElement(
            body, x("trans-unit"), {"id": unit.key, "resname": unit.key, "extradata": extradata}
        )
        source = etree.SubElement(element, x("source"))
        source.set(f.q(f.XML, "space"), "preserve")
        _set_text(source, unit.source)
        target = etree.SubElement(element, x("target"), state=f.STATE_12[unit.state])
        target.set(f.q(f.XML, "space"), "preserve")
        if unit.outdated:
            target.set("state-qualifier", f.OUTDATED_QUALIFIER_12)
        _set_text(target, unit.target)
        etree.SubElement(element, x("note"), {"from": f.TOOL_ID}).text = _unit_note(unit, article)
        if unit.outdated:
            etree.SubElement(element, x("note"), {"from": f.TOOL_ID}).text = _outdated_note()
    return root


def _indent(element, level=0):
    """Indent the structure for people who open the file, never inside text."""
    children = list(element)
    if not children or etree.QName(element).localname in CONTENT_ELEMENTS:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in children:
        _indent(child, level + 1)
        child.tail = inner
    children[-1].tail = "\n" + "  " * level
