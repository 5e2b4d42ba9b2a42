"""Matching two sequences in time near-linear in their length.

``matching_blocks(a, b)`` finds runs of equal items in the same order in both
(what ``difflib.SequenceMatcher.get_matching_blocks`` finds), for the word diff
the desk shows (``reviews.diffing``), the importer's pairing of old and new
paragraphs and the translation memory's similarity. difflib and Myers' diff
cost up to the product of the lengths, or the length times the number of
changes: minutes of one worker for a rewritten 10,000-character paragraph.
Here instead, as in patience diff:

1. the common beginning and end are matched directly;
2. items that occur exactly once in each sequence are anchors; the longest run
   of anchors in the same order on both sides (a longest increasing
   subsequence, O(k log k)) is matched, and each gap between two anchors is
   matched the same way, where items repeated in the whole sequence are often
   unique again;
3. a gap with no unique item is anchored on unique runs of items (a few words
   together: in text with a small vocabulary, single words repeat but phrases
   do not);
4. small gaps left without an anchor are compared exactly (difflib on at most
   ``SMALL_GAP`` item pairs); larger ones are left unmatched.

Every pass over a gap counts its items against a budget proportional to the two
sequences' length (``BUDGET_PER_TOKEN``); once it is spent, the gaps left are
left unmatched. So a match costs O(n log n) whatever the input, and is exact
where it matters most, a few changed words in a long paragraph.
"""

import difflib
from bisect import bisect_left
from collections import Counter

# Gaps of at most this many token pairs (len(a) * len(b)) are compared exactly.
SMALL_GAP = 400
# Token visits allowed per token of input, beyond the first pass.
BUDGET_PER_TOKEN = 24
# Widths of the token runs tried as anchors when no single token is unique.
RUN_WIDTHS = (1, 5, 9)
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
        small = n * m <= SMALL_GAP
        if small and set(a[alo:ahi]).isdisjoint(b[blo:bhi]):
            steps += n + m
            continue  # nothing in common: all deleted and inserted
        if steps >= budget and not small:
            continue  # shown as deleted and inserted
        chain = []
        for width in RUN_WIDTHS:
            if width > min(n, m) or (small and width > 1):
                break
            steps += (n + m) * width
            chain = _anchors(a, alo, ahi, b, blo, bhi, width)
            if chain:
                break
        if small and not chain:
            steps += n * m
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            blocks.extend(
                (alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size
            )
            continue
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




def match_ratio(a, b):
    """Like ``difflib.SequenceMatcher(None, a, b).ratio()``: twice the matched items over
    all items, 1.0 for two empty sequences; bounded time (see the module)."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    blocks, _steps = matching_blocks(a, b)
    return 2.0 * sum(size for _i, _j, size in blocks) / total
