"""The units of an XLIFF 2.0 or 1.2 file exported by Tilmash and translated elsewhere.

Our texts are plain: a target may carry wrapping markup a CAT tool adds
(``<mrk>``, ``<pc>``, ``<g>``: their text is kept, the markup dropped) and, in
2.0, code points XML cannot carry (``<cp>``); an inline *code* (``<ph>``,
``<x/>``, ``<bpt>`` …) stands for something plain text has no place for, so
the file is refused rather than the code silently dropped.
"""

from django.utils.translation import gettext as _

from . import formats as f
from .parsing import ParsedFile, ParsedUnit, XliffError, parse_int, xml_parse

HEX_DIGITS = set("0123456789abcdefABCDEF")
INLINE_20 = {"wrappers": {"mrk", "pc"}, "markers": {"sm", "em"}, "code_point": "cp"}
INLINE_12 = {"wrappers": {"mrk", "g"}, "markers": set(), "code_point": None}


def xliff_read(data, *, name=""):
    """Parse one file into a :class:`ParsedFile`, or raise :class:`XliffError`."""
    root = xml_parse(data, name=name)
    if root.tag == f.q(f.XLIFF_20, "xliff"):
        return _checked(_read_20(root, name=name))
    if root.tag == f.q(f.XLIFF_12, "xliff"):
        return _checked(_read_12(root, name=name))
    namespace, local = _split(root.tag)
    if local == "xliff":
        raise XliffError(
            _(
                "The root element is <xliff> in the namespace “%(namespace)s”; "
                "XLIFF 2.0 uses %(ns20)s and XLIFF 1.2 uses %(ns12)s."
            )
            % {"namespace": namespace[:80] or _("(none)"), "ns20": f.XLIFF_20, "ns12": f.XLIFF_12},
            name=name,
        )
    raise XliffError(
        _("This is not an XLIFF file: its root element is <%(tag)s>, not <xliff>.")
        % {"tag": local[:40]},
        name=name,
    )


def _split(tag):
    if tag.startswith("{"):
        namespace, _sep, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _one_file(root, namespace, name):
    files = root.findall(f.q(namespace, "file"))
    if len(files) != 1:
        raise XliffError(
            _("The file holds %(count)d <file> elements; a Tilmash export holds exactly one.")
            % {"count": len(files)},
            name=name,
        )
    return files[0]


def _read_20(root, *, name):
    file = _one_file(root, f.XLIFF_20, name)
    units = []
    for element in file.iter(f.q(f.XLIFF_20, "unit")):
        key = element.get("id") or ""
        units.append(
            ParsedUnit(
                key=key,
                target=_target_20(element, key, name),
                revision=parse_int(
                    element.get(f.q(f.TILMASH, "revision")), what=_("revision"), key=key, name=name
                ),
                source_revision=parse_int(
                    element.get(f.q(f.TILMASH, "source-revision")),
                    what=_("source revision"),
                    key=key,
                    name=name,
                ),
                target_hash=element.get(f.q(f.TILMASH, "target")) or "",
            )
        )
    return ParsedFile(
        name=name,
        xliff_version="2.0",
        export_id=root.get(f.q(f.TILMASH, "export")) or "",
        slug=file.get(f.q(f.TILMASH, "article")) or "",
        source_language=root.get("srcLang") or "",
        target_language=root.get("trgLang") or "",
        units=tuple(units),
    )


def _target_20(unit, key, name):
    """The unit's target: its segments' targets and ignorables joined, in order."""
    segment_tag, ignorable_tag = f.q(f.XLIFF_20, "segment"), f.q(f.XLIFF_20, "ignorable")
    pieces, translated, untranslated = [], False, False
    for part in unit:
        if part.tag not in (segment_tag, ignorable_tag):
            continue
        target = part.find(f.q(f.XLIFF_20, "target"))
        source = part.find(f.q(f.XLIFF_20, "source"))
        if target is not None:
            translated = True
            pieces.append(_content(target, INLINE_20, key, name))
        elif part.tag == ignorable_tag and source is not None:
            # Whitespace between segments is the same in both languages.
            pieces.append(_content(source, INLINE_20, key, name))
        else:
            untranslated = True
    if not translated:
        return None
    if untranslated:
        raise XliffError(
            _("Unit “%(key)s” is only partly translated: one of its segments has no target.")
            % {"key": key[:40]},
            name=name,
        )
    return "".join(pieces)


def _read_12(root, *, name):
    file = _one_file(root, f.XLIFF_12, name)
    units = []
    for element in file.iter(f.q(f.XLIFF_12, "trans-unit")):
        key = element.get("id") or ""
        extra = f.extradata_parse(element.get("extradata"))
        target = element.find(f.q(f.XLIFF_12, "target"))
        units.append(
            ParsedUnit(
                key=key,
                target=None if target is None else _content(target, INLINE_12, key, name),
                revision=parse_int(extra["revision"], what=_("revision"), key=key, name=name),
                source_revision=parse_int(
                    extra["source-revision"], what=_("source revision"), key=key, name=name
                ),
                target_hash=extra["target"] or "",
            )
        )
    export_id = ""
    for phase in file.iter(f.q(f.XLIFF_12, "phase")):
        if phase.get("tool-id") == f.TOOL_ID and phase.get("process-name") == "export":
            export_id = phase.get("job-id") or ""
    return ParsedFile(
        name=name,
        xliff_version="1.2",
        export_id=export_id,
        slug=file.get("original") or "",
        source_language=file.get("source-language") or "",
        target_language=file.get("target-language") or "",
        units=tuple(units),
    )


def _content(element, inline, key, name):
    """The plain text of a source or target, walking nested markup without recursion."""
    namespace, _local = _split(element.tag)
    pieces = [element.text or ""]
    stack = [(element, iter(element))]
    while stack:
        parent, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                pieces.append(parent.tail or "")
            continue
        child_namespace, local = _split(child.tag)
        if child_namespace != namespace:
            local = child.tag
        if local in inline["wrappers"]:
            pieces.append(child.text or "")
            stack.append((child, iter(child)))
            continue
        if local == inline["code_point"]:
            pieces.append(_code_point(child.get("hex"), key, name))
        elif local not in inline["markers"]:
            raise XliffError(
                _(
                    "Unit “%(key)s” holds the inline code <%(tag)s>, which plain text "
                    "cannot keep; remove it in the CAT tool and export again."
                )
                % {"key": key[:40], "tag": local[:40]},
                name=name,
            )
        pieces.append(child.tail or "")
    # A line break written as a character reference (&#13;&#10;) survives XML's
    # own line-end normalisation; our texts hold "\n" only, as the article
    # importer keeps them. A lone CR stays, and is refused like in the editor.
    return "".join(pieces).replace("\r\n", "\n")


def _code_point(value, key, name):
    value = value or ""
    if value.isascii() and 1 <= len(value) <= 6 and all(c in HEX_DIGITS for c in value):
        code = int(value, 16)
        if code <= 0x10FFFF:
            return chr(code)
    raise XliffError(
        _("Unit “%(key)s” has an invalid <cp hex=“%(hex)s”>.")
        % {"key": key[:40], "hex": value[:10]},
        name=name,
    )


def _checked(parsed):
    name = parsed.name
    if not parsed.slug:
        raise XliffError(
            _("The file does not say which Tilmash article it is for; export it from Tilmash."),
            name=name,
        )
    if not parsed.source_language or not parsed.target_language:
        raise XliffError(
            _("The file does not name both its source and target language."), name=name
        )
    if not parsed.units:
        raise XliffError(_("The file holds no units."), name=name)
    seen, duplicates = set(), []
    for unit in parsed.units:
        if not unit.key:
            raise XliffError(_("A unit has no id."), name=name)
        if unit.key in seen and unit.key not in duplicates:
            duplicates.append(unit.key)
        seen.add(unit.key)
    if duplicates:
        raise XliffError(
            _("Unit ids appear more than once: %(keys)s. Each unit must be in the file once.")
            % {"keys": ", ".join(key[:40] for key in duplicates[:10])},
            name=name,
        )
    return parsed
