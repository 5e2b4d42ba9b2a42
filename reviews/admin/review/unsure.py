"""A derived version on the version page: the text it was transliterated from, as
its source, and the words the transliteration was unsure of, marked.

A derived version (``reviews.services.deriving``) records its doubts in the
audit entry of the move that put it in review: per unit, ``[start, end,
reason]`` in the version's text, which never changes after, so the offsets
stay right.
"""

from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reviews.services.deriving import DERIVE_ACTION
from translations.languages import language_derived_from
from translations.models import AuditEntry, Version
from translations.transliteration import HIATUS, LOANWORD, MIXED


@dataclass
class Derivation:
    """Where a derived version came from: its doubts, and the text it was made from."""

    unsure: dict = field(default_factory=dict)  # {unit key: [[start, end, reason], …]}
    source_language: str = ""
    source_units: dict = field(default_factory=dict)  # {unit key: text}


def version_derivation(version):
    """The :class:`Derivation` of a derived version; an empty one for any other.

    Two queries for a derived version, none for a language that is not derived.
    """
    source_language = language_derived_from(version.edition.language)
    if not source_language:
        return Derivation()
    entry = (
        AuditEntry.objects.filter(version=version, action=DERIVE_ACTION)
        .order_by("-id")
        .only("data")
        .first()
    )
    if entry is None:  # written by hand on the desk, not derived
        return Derivation()
    data = entry.data or {}
    origin = Version.objects.filter(pk=data.get("from_version")).only("units").first()
    return Derivation(
        unsure=data.get("unsure", {}),
        source_language=source_language if origin else "",
        source_units={unit["key"]: unit["text"] for unit in origin.units} if origin else {},
    )


def _reasons():
    return {
        LOANWORD: _(
            "Transliteration unsure: a letter Kazakh writes only in loanwords; "
            "check the word's Latin spelling."
        ),
        HIATUS: _("Transliteration unsure: И after a vowel reads like Й; check the word."),
        MIXED: _("Transliteration unsure: Cyrillic and Latin letters in one word."),
    }


def unsure_html(text, spans):
    """``text`` escaped, each unsure word in a ``<mark>`` saying why; ``""`` without spans."""
    if not spans:
        return ""
    reasons = _reasons()
    parts, position = [], 0
    for start, end, reason in sorted(spans):
        if start < position or end > len(text):
            continue  # not this text's offsets: show the word unmarked
        parts.append(escape(text[position:start]))
        parts.append(
            format_html(
                '<mark class="translit-unsure" title="{}">{}</mark>',
                reasons.get(reason, reasons[LOANWORD]),
                text[start:end],
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))
