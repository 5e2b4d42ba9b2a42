"""Word-level differences between two texts, for translators and editors.

Tokens are words, runs of spaces and single punctuation marks, so a changed
number or a moved comma shows as exactly that, in any script.

The work is bounded by the texts' length. A general diff (difflib, Myers) costs
up to the product of the lengths or the length times the number of changes,
which for a rewritten 10,000-character paragraph is minutes of one worker.
Here instead, as in patience diff:

1. the common beginning and end are matched directly;
2. tokens that occur exactly once in each text are anchors; the longest run of
   anchors in the same order on both sides (a longest increasing subsequence,
   O(k log k)) is matched, and each gap between two anchors is diffed the same
   way, where tokens repeated in the whole text are often unique again;
3. a gap with no unique token is anchored on unique runs of tokens (a few words
   together: in text with a small vocabulary, single words repeat but phrases
   do not);
4. small gaps left without an anchor are compared exactly (difflib on at most
   ``SMALL_GAP`` token pairs); larger ones are shown as deleted and inserted.

Every pass over a gap counts its tokens against a budget proportional to the
two texts' length (``BUDGET_PER_TOKEN``); once it is spent, the gaps left are
shown as deleted and inserted. So a diff costs O(n log n) whatever the input,
and the result is exact where it matters most, a few changed words in a long
paragraph. Results of long texts are kept in the cache under a hash of the
pair (``word_diffs_html``), so a page shown again does not diff again.
"""

import difflib
import hashlib
import logging
import re
import time
from bisect import bisect_left
from collections import Counter

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Gaps of at most this many token pairs (len(a) * len(b)) are compared exactly.
SMALL_GAP = 400
# Token visits allowed per token of input, beyond the first pass.
BUDGET_PER_TOKEN = 24
# Widths of the token runs tried as anchors when no single token is unique.
RUN_WIDTHS = (1, 5, 9)
# Pairs whose texts together are shorter than this are diffed, not cached:
# the diff costs less than a round trip to a shared cache.
CACHE_MIN_CHARS = 1000
CACHE_SECONDS = 7 * 24 * 3600
CACHE_PREFIX = "tilmash:diff:1"


def tokens(text):
    return TOKEN.findall(text or "")


def _anchors(a, alo, ahi, b, blo, bhi, width):
    """Matching ``(i, j)`` starts of runs of ``width`` tokens unique on both sides, in order."""
    if width == 1:
        keys_a, keys_b = a[alo:ahi], b[blo:bhi]
    else:
        keys_a = list(zip(*(a[alo + k : ahi] for k in range(width)), strict=False))
        keys_b = list(zip(*(b[blo + k : bhi] for k in range(width)), strict=False))
    count_a, count_b = Counter(keys_a), Counter(keys_b)
    where_b = {key: j for j, key in enumerate(keys_b) if count_b[key] == 1}
    pairs = [
        (i, where_b[key])
        for i, key in enumerate(keys_a)
        if count_a[key] == 1 and key in where_b
    ]
    if not pairs:
        return []
    # Longest increasing subsequence of the b positions (patience sorting).
    tails, tail_index, back = [], [], [None] * len(pairs)
    for n, (_i, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        back[n] = tail_index[k - 1] if k else None
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k] = j
            tail_index[k] = n
    chain, n = [], tail_index[-1]
    while n is not None:
        i, j = pairs[n]
        chain.append((alo + i, blo + j))
        n = back[n]
    chain.reverse()
    return chain


def matching_blocks(a, b):
    """``(blocks, steps)``: matched ``(i, j, size)`` runs of ``a`` and ``b`` in order, and
    the token visits it took (bounded by ``BUDGET_PER_TOKEN`` per token of input)."""
    budget = BUDGET_PER_TOKEN * (len(a) + len(b)) + SMALL_GAP
    steps = 0
    blocks = []
    # A stack of gaps to diff and runs already matched, in reading order from the top.
    todo = [(False, 0, len(a), 0, len(b))]
    while todo:
        item = todo.pop()
        if item[0]:
            blocks.append(item[1:])
            continue
        _gap, alo, ahi, blo, bhi = item
        start = alo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        if alo > start:
            blocks.append((start, blo - (alo - start), alo - start))
        end = ahi
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
        if end > ahi:
            todo.append((True, ahi, bhi, end - ahi))
        n, m = ahi - alo, bhi - blo
        steps += (end - start) - n
        if not (n and m):
            continue
        if n * m <= SMALL_GAP:
            steps += n * m
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            blocks.extend(
                (alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size
            )
            continue
        if steps >= budget:
            continue  # shown as deleted and inserted
        chain = []
        for width in RUN_WIDTHS:
            if width > min(n, m):
                break
            steps += (n + m) * width
            chain = _anchors(a, alo, ahi, b, blo, bhi, width)
            if chain:
                break
        # The gaps between anchors (strictly increasing on both sides); an anchor's
        # run is the common start of the gap after it, matched there.
        gaps = []
        i0, j0 = alo, blo
        for i, j in chain:
            gaps.append((False, i0, i, j0, j))
            i0, j0 = i, j
        if gaps:
            gaps.append((False, i0, ahi, j0, bhi))
            todo.extend(reversed(gaps))
    return blocks, steps


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
    ids = {}
    a = [ids.setdefault(token, len(ids)) for token in before]
    b = [ids.setdefault(token, len(ids)) for token in after]
    blocks, _steps = matching_blocks(a, b)
    blocks = _slid_left(blocks, a, b)
    parts = []
    i0 = j0 = 0
    for i, j, size in [*blocks, (len(a), len(b), 0)]:
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


def _html(parts):
    html = []
    for op, text in parts:
        if op == "equal":
            html.append(escape(text))
        elif op == "delete":
            html.append(f"<del>{escape(text)}</del>")
        else:
            html.append(f"<ins>{escape(text)}</ins>")
    return "".join(html)


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
        html = _html(word_diff(*pair))
        out[pair] = mark_safe(html)
        if key:
            computed[key] = html
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
