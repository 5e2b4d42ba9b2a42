"""Word-level differences between two texts, for translators and editors.

Tokens are words, runs of spaces and single punctuation marks, so a changed
number or a moved comma shows as exactly that, in any script. The tokens are
matched in time near-linear in the texts' length (``translations.matching``);
results of long texts are kept in the cache under a hash of the pair
(``word_diffs_html``), so a page shown again does not diff again.
"""

import hashlib
import html
import logging
import re
import time

from django.core.cache import cache
from django.utils.safestring import mark_safe

from translations.matching import matching_blocks

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Pairs whose texts together are shorter than this are diffed, not cached:
# the diff costs less than a round trip to a shared cache.
CACHE_MIN_CHARS = 1000
CACHE_SECONDS = 7 * 24 * 3600
CACHE_PREFIX = "tilmash:diff:1"


def tokens(text):
    return TOKEN.findall(text or "")


def _slid_left(blocks, a, b):
    """A word inserted or deleted between equal runs carries the space before it, not the
    one after it (``a<ins> new</ins> b``): each pure insertion or deletion moves left
    while its last token repeats the one before it."""
    blocks = [list(block) for block in blocks]
    for n in range(1, len(blocks)):
        before, after = blocks[n - 1], blocks[n]
        i, j = before[0] + before[2], before[1] + before[2]
        if i == after[0] and j < after[1]:
            side, end, last = b, after[1], j
        elif j == after[1] and i < after[0]:
            side, end, last = a, after[0], i
        else:
            continue
        while before[2] > 1 and side[end - 1] == side[last - 1]:
            before[2] -= 1
            after[0] -= 1
            after[1] -= 1
            after[2] += 1
            end -= 1
            last -= 1
    return [tuple(block) for block in blocks]


def word_diff(old, new):
    """``[(op, text)]`` with op one of ``equal``, ``delete``, ``insert``, in reading order.

    Within a changed stretch, what was deleted comes before what was inserted.
    """
    before, after = tokens(old), tokens(new)
    blocks, _steps = matching_blocks(before, after)
    blocks = _slid_left(blocks, before, after)
    parts = []
    i0 = j0 = 0
    for i, j, size in [*blocks, (len(before), len(after), 0)]:
        if i > i0:
            parts.append(("delete", "".join(before[i0:i])))
        if j > j0:
            parts.append(("insert", "".join(after[j0:j])))
        if size:
            text = "".join(before[i : i + size])
            if parts and parts[-1][0] == "equal":
                parts[-1] = ("equal", parts[-1][1] + text)
            else:
                parts.append(("equal", text))
        i0, j0 = i + size, j + size
    return parts


MARKS = {"equal": ("", ""), "delete": ("<del>", "</del>"), "insert": ("<ins>", "</ins>")}
SPECIAL = "&<>\"'"


def _html(parts, escaped=True):
    """``parts`` as HTML; ``escaped=False`` when no part has a character to escape."""
    # The standard library's escape, which Django's wraps, without a SafeString per part.
    escape = html.escape if escaped else str
    return "".join(f"{MARKS[op][0]}{escape(text)}{MARKS[op][1]}" for op, text in parts)


def word_diff_html(old, new):
    """The diff as escaped HTML with ``<del>`` and ``<ins>`` marks."""
    return word_diffs_html([(old, new)])[(old, new)]


def pair_key(old, new):
    digest = hashlib.sha256()
    for text in (old or "", new or ""):
        data = text.encode()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return f"{CACHE_PREFIX}:{digest.hexdigest()}"


def word_diffs_html(pairs):
    """``{(old, new): html}`` for every pair, each diffed once: long pairs are read from
    and written to the cache in one round trip each."""
    pairs = set(pairs)
    keys = {
        pair: pair_key(*pair)
        for pair in pairs
        if len(pair[0] or "") + len(pair[1] or "") >= CACHE_MIN_CHARS
    }
    found = _cache_read(list(keys.values()))
    out, computed = {}, {}
    for pair in pairs:
        key = keys.get(pair)
        if key in found:
            out[pair] = mark_safe(found[key])
            continue
        special = any(char in text for text in pair if text for char in SPECIAL)
        marked = _html(word_diff(*pair), escaped=special)
        out[pair] = mark_safe(marked)
        if key:
            computed[key] = marked
    if computed:
        _cache_write(computed)
    return out


# The only two places that reach the cache. A failing cache costs a diff, never a page.
_last_cache_warning = [0.0]


def _cache_failed(error):
    now = time.monotonic()
    if now - _last_cache_warning[0] > 60:
        _last_cache_warning[0] = now
        logger.warning("diff cache unavailable, diffing without it: %r", error)


def _cache_read(keys):
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception as error:  # noqa: BLE001 - any backend failure means "not cached"
        _cache_failed(error)
        return {}


def _cache_write(entries):
    try:
        cache.set_many(entries, CACHE_SECONDS)
    except Exception as error:  # noqa: BLE001
        _cache_failed(error)
