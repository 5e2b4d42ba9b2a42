"""Word-level differences between two texts, for translators and editors.

Tokens are words, runs of spaces and single punctuation marks, so a changed
number or a moved comma shows as exactly that, in any script.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def tokens(text):
    return TOKEN.findall(text or "")


def word_diff(old, new):
    """``[(op, text)]`` with op one of ``equal``, ``delete``, ``insert``, in reading order."""
    before, after = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("equal", "".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(("delete", "".join(before[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(("insert", "".join(after[b1:b2])))
    return parts


def word_diff_html(old, new):
    """The diff as escaped HTML with ``<del>`` and ``<ins>`` marks."""
    html = []
    for op, text in word_diff(old, new):
        if op == "equal":
            html.append(escape(text))
        elif op == "delete":
            html.append(f"<del>{escape(text)}</del>")
        else:
            html.append(f"<ins>{escape(text)}</ins>")
    return mark_safe("".join(html))
