"""The words a transliteration was unsure of, marked on the version page.

A derived version (``reviews.services.deriving``) records its doubts in the
audit entry of the move that put it in review: per unit, ``[start, end,
reason]`` in the version's text, which never changes after, so the offsets
stay right.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reviews.services.deriving import DERIVE_ACTION
from translations.languages import language_derived_from
from translations.models import AuditEntry
from translations.transliteration import HIATUS, LOANWORD, MIXED


def unsure_spans(version):
    """``{unit key: [[start, end, reason], …]}`` for a derived version, else ``{}``.

    One query, and none for a language that is not derived.
    """
    if not language_derived_from(version.edition.language):
        return {}
    entry = (
        AuditEntry.objects.filter(version=version, action=DERIVE_ACTION)
        .order_by("-id")
        .only("data")
        .first()
    )
    return (entry.data or {}).get("unsure", {}) if entry else {}


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
