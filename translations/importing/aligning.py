"""Lining up an article's old and new paragraphs, so keys and translations survive."""

import difflib

from ..matching import match_ratio

UNCHANGED, MOVED, CHANGED, ADDED, REMOVED = "unchanged", "moved", "changed", "added", "removed"
# A paragraph counts as an edit of another (keeping its key) from this much alike
# (difflib's ratio over words: "Prices rose." → "Prices fell sharply." is 0.4).
SIMILAR = 0.4
# Beyond this many pairs a rewritten stretch is paired in order, not by likeness;
# also beyond this many words compared in all (long paragraphs: 50 × 50 of 1,500
# words each would be 7.5 million).
MAX_PAIRING_CELLS = 2500
MAX_PAIRING_WORDS = 500_000


def paragraphs_align(old, new):
    """``(old index, new index, kind)`` for every paragraph of ``old`` and ``new`` texts.

    difflib finds the unchanged runs. Between them, old and new paragraphs are
    paired in order by likeness: a new paragraph sharing at least ``SIMILAR`` of
    its words with an old one is an edit of it (same key, its translations now
    outdated); the rest are insertions and removals. Finally a removed
    paragraph whose exact text was inserted elsewhere has moved: it keeps its
    key, and with it its translations.
    """
    pairs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
        else:
            pairs += _pair_stretch(old, new, range(i1, i2), range(j1, j2))
    removed = {}
    for i, j in pairs:
        if j is None:
            removed.setdefault(old[i], []).append(i)
    result, moved = [], set()
    for i, j in pairs:
        if i is None and removed.get(new[j]):
            i = removed[new[j]].pop(0)
            moved.add(i)
            result.append((i, j, MOVED))
        elif i is None:
            result.append((None, j, ADDED))
        elif j is None:
            if i not in moved:
                result.append((i, None, REMOVED))
        else:
            result.append((i, j, UNCHANGED if old[i] == new[j] else CHANGED))
    # A removal listed before the insertion that turned out to be its move.
    return [row for row in result if not (row[2] == REMOVED and row[0] in moved)]


def _pair_stretch(old, new, olds, news):
    words = len(news) * sum(len(old[i].split()) for i in olds) + len(olds) * sum(
        len(new[j].split()) for j in news
    )
    if len(olds) * len(news) > MAX_PAIRING_CELLS or words > MAX_PAIRING_WORDS:
        paired = min(len(olds), len(news))
        return (
            list(zip(olds[:paired], news[:paired], strict=True))
            + [(i, None) for i in olds[paired:]]
            + [(None, j) for j in news[paired:]]
        )
    # Monotone pairing that maximises the summed likeness (a tiny Needleman-Wunsch).
    likeness = [[_likeness(old[i], new[j]) for j in news] for i in olds]
    score = [[0.0] * (len(news) + 1) for _ in range(len(olds) + 1)]
    for a in range(1, len(olds) + 1):
        for b in range(1, len(news) + 1):
            pair = likeness[a - 1][b - 1]
            diagonal = score[a - 1][b - 1] + pair if pair >= SIMILAR else -1.0
            score[a][b] = max(score[a - 1][b], score[a][b - 1], diagonal)
    pairs, a, b = [], len(olds), len(news)
    while a and b:
        pair = likeness[a - 1][b - 1]
        if pair >= SIMILAR and score[a][b] == score[a - 1][b - 1] + pair:
            pairs.append((olds[a - 1], news[b - 1]))
            a, b = a - 1, b - 1
        elif score[a][b] == score[a - 1][b]:
            pairs.append((olds[a - 1], None))
            a -= 1
        else:
            pairs.append((None, news[b - 1]))
            b -= 1
    pairs += [(olds[i], None) for i in range(a)] + [(None, news[j]) for j in range(b)]
    return pairs


def _likeness(first, second):
    first, second = first.split(), second.split()
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    # difflib's ratio in time linear in the words (its own is quadratic on long
    # paragraphs, and a stretch may compare MAX_PAIRING_CELLS of them).
    return match_ratio(first, second) if matcher.quick_ratio() >= SIMILAR else 0.0
