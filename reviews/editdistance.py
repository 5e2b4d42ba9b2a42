"""How much a person changed the machine's text: a word-level edit distance, bounded.

:func:`changed_share` answers the share of words a human inserted, deleted or
replaced (Levenshtein distance on words over the longer text's word count).
The cost stays bounded at the longest paragraph: the common beginning and end
are set aside first (most edits are local), then a banded dynamic programme
runs with a band doubled until it holds the distance, up to a budget of
``CELL_BUDGET`` cells. A distance beyond the band is not computed: the answer
is then a lower bound (the bag-of-words distance, which never exceeds the
true one), marked approximate. Nothing here grows faster than the text's
length times a constant.
"""

import re
from collections import Counter
from dataclasses import dataclass

WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)
CELL_BUDGET = 60_000


def words(text):
    return WORD.findall(text or "")


@dataclass(frozen=True)
class Change:
    distance: int  # words inserted, deleted or replaced (a lower bound when approximate)
    length: int  # words in the longer text
    approximate: bool = False

    @property
    def percent(self):
        if not self.length:
            return 0
        return min(100, round(100 * self.distance / self.length))


def _trim(a, b):
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    limit -= start
    while end < limit and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    return a[start : len(a) - end], b[start : len(b) - end]


def _banded(a, b, band):
    """The Levenshtein distance of ``a`` and ``b`` if it is at most ``band``, else None."""
    n, m = len(a), len(b)
    if abs(n - m) > band:
        return None
    over = band + 1
    previous = [over] * (m + 1)
    for j in range(min(m, band) + 1):
        previous[j] = j
    current = [over] * (m + 1)
    for i in range(1, n + 1):
        low, high = max(1, i - band), min(m, i + band)
        current[low - 1] = i if low == 1 else over
        row_best = current[low - 1]
        ai = a[i - 1]
        left = current[low - 1]
        for j in range(low, high + 1):
            cost = previous[j - 1] + (ai != b[j - 1])
            up = previous[j] + 1
            if up < cost:
                cost = up
            if left + 1 < cost:
                cost = left + 1
            current[j] = left = cost
            if cost < row_best:
                row_best = cost
        if high < m:
            current[high + 1] = over
        if row_best > band:
            return None
        previous, current = current, previous
    return previous[m] if previous[m] <= band else None


def _bag_distance(a, b):
    left, right = Counter(a), Counter(b)
    return max(sum((left - right).values()), sum((right - left).values()))


def changed_share(machine, human, *, budget=CELL_BUDGET):
    """A :class:`Change` from the machine's text to the human's."""
    a, b = words(machine), words(human)
    length = max(len(a), len(b))
    a, b = _trim(a, b)
    if not a or not b:
        return Change(distance=max(len(a), len(b)), length=length)
    longest = max(len(a), len(b))
    cap = max(1, min(longest, budget // (2 * longest)))
    band = max(1, abs(len(a) - len(b)))
    while True:
        band = min(band, cap)
        distance = _banded(a, b, band)
        if distance is not None:
            return Change(distance=distance, length=length)
        if band == cap:
            break
        band *= 2
    if cap >= longest:  # the band held every alignment: the distance is exact at the cap
        return Change(distance=longest, length=length)
    lower = max(cap + 1, _bag_distance(a, b))
    return Change(distance=min(lower, longest), length=length, approximate=True)
