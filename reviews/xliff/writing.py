"""The XML of an export: XLIFF 2.0 or 1.2 from a list of units (see :mod:`.export`).

Indentation is added to the structure only, never inside a source, target or
note, so that every character of a text is written exactly as stored.
"""

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from translations.services import text_hash

from . import formats as f

NMTOKEN = re.compile(r"^[\w.\-:\u00b7\u0300-\u036f\u203f-\u2040]+$")
# Elements whose text is content: never re-indented.
CONTENT_ELEMENTS = {"source", "target", "note"}


def target_digest(text):
    """Short digest of a unit's exported target: enough to see whether a file changed it."""
    return text_hash(text)[:16]


def document_write(xliff_version, edition, units, *, export_id, exported_at, context):
    """The serialised file (bytes) of ``units`` of ``edition``."""
    writer = _write_20 if xliff_version == "2.0" else _write_12
    root = writer(edition, units, export_id=export_id, exported_at=exported_at, context=context)
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


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
