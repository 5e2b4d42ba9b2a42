"""Suggestions from the translation memory for the paragraph being translated.

The paragraph is looked up whole and sentence by sentence (a sentence reused
inside a new paragraph is found on its own). Candidates come from:

- PostgreSQL: one query, ``source_hash = ANY(hashes)`` on the hash's B-tree
  and ``bands && query_bands`` on the bands' GIN index, the exact matches
  first and then the CANDIDATES sharing most bands. It is a SQL function
  (``aids_tm_candidates``, migration 0003, which says why) rather than a
  queryset, also because compiling the queryset cost more than running it.
- elsewhere (SQLite): the exact matches by hash, plus a scan of the language
  pair's band lists in Python: correct, and slow on a large memory.

The candidates are then ranked by word-sequence similarity (difflib's ratio,
computed by ``translations.matching`` in bounded time), the cheap upper bounds
first so that a candidate that cannot make the list is never compared in full;
the suggested segments' articles are read in one more query.
"""

import difflib
import heapq
from dataclasses import dataclass

from django.db import connection

from translations.matching import match_ratio
from translations.models import Article

from ..models import TMSegment
from .fingerprint import source_hash, text_bands, words
from .segmentation import sentence_split

# How many candidates are re-ranked by real similarity.
CANDIDATES = 25
# Below this similarity a suggestion costs the translator more than it saves.
MIN_SIMILARITY = 50
# The query itself is a PostgreSQL function (migration 0003 says why): the
# exact matches by hash first, then those sharing most bands.
CANDIDATES_SQL = (
    "SELECT * FROM aids_tm_candidates(%s, %s, %s::text[], %s::integer[], %s::bigint, %s)"
)


@dataclass(frozen=True)
class _Candidate:
    pk: int
    source_text: str
    target_text: str
    source_hash: str
    bands: list
    article_id: int


def tm_suggestions(
    *,
    text,
    source_language,
    target_language,
    exclude_article=None,
    limit=5,
    min_similarity=MIN_SIMILARITY,
):
    """Approved translations of texts like ``text``, best first.

    Best first means covering most of the paragraph most closely: a match of
    the whole paragraph before a match of one of its sentences unless the
    sentence match is much closer (similarity times the matched share).

    Returns up to ``limit`` dicts ``{"source", "target", "similarity" (0-100),
    "article", "exact", "segment"}``: ``segment`` is the part of ``text`` the
    suggestion is for (the whole paragraph or one of its sentences), ``exact``
    says the stored source equals it (after normalising spaces and quotes).
    Segments of ``exclude_article`` (the article being translated) are left
    out. The same pair stored from several articles is suggested once. A
    constant number of queries, whatever the text's length.
    """
    queries = [
        _Query(segment, source_language, target_language)
        for segment in _query_segments(text, source_language)
    ]
    if not queries:
        return []
    hashes = sorted({query.hash for query in queries})
    bands = sorted({band for query in queries for band in query.bands})
    exclude = getattr(exclude_article, "pk", exclude_article)
    if connection.vendor == "postgresql":
        candidates = _candidates_indexed(source_language, target_language, hashes, bands, exclude)
    else:
        candidates = _candidates_scanned(source_language, target_language, hashes, bands, exclude)
    ranked = _ranked(candidates, queries, limit, min_similarity)
    # Unordered: compiling the articles' default ordering cost more than the query.
    articles = Article.objects.order_by().in_bulk(
        {candidate.article_id for _s, candidate, _q, _e in ranked}
    )
    return [
        {
            "source": candidate.source_text,
            "target": candidate.target_text,
            "similarity": percent,
            "article": articles.get(candidate.article_id),
            "exact": exact,
            "segment": query,
        }
        for percent, candidate, query, exact in ranked
    ]


def _query_segments(text, language):
    text = (text or "").strip()
    if not text:
        return []
    sentences = sentence_split(text, language)
    return [text] + (sentences if len(sentences) > 1 else [])


def _candidates_indexed(source_language, target_language, hashes, bands, exclude):
    with connection.cursor() as cursor:
        cursor.execute(
            CANDIDATES_SQL,
            [source_language, target_language, hashes, bands, exclude, CANDIDATES],
        )
        found = cursor.fetchall()
    rows = {row[0]: row for row in reversed(found)}  # an exact one also shares bands
    return [_Candidate(*row) for row in reversed(rows.values())]


def _candidates_scanned(source_language, target_language, hashes, bands, exclude):
    pair = TMSegment.objects.filter(source_language=source_language,
                                    target_language=target_language)
    if exclude is not None:
        pair = pair.exclude(article_id=exclude)
    exact_ids = list(pair.filter(source_hash__in=hashes)
                     .order_by("-id").values_list("id", flat=True)[:CANDIDATES])
    wanted = set(bands)
    scored = []
    if wanted:
        rows = pair.filter(bands__isnull=False).values_list("id", "bands")
        scored = heapq.nlargest(
            CANDIDATES,
            ((len(wanted.intersection(row_bands)), row_id)
             for row_id, row_bands in rows.iterator(chunk_size=5000) if row_bands),
        )
    ids = exact_ids + [row_id for shared, row_id in scored if shared and row_id not in exact_ids]
    rows = TMSegment.objects.filter(pk__in=ids[:CANDIDATES]).values_list(
        "id", "source_text", "target_text", "source_hash", "bands", "article_id"
    )
    return [_Candidate(*row) for row in rows]


class _Query:
    """One segment of the paragraph looked up, with what ranking needs of it."""

    def __init__(self, text, source_language, target_language):
        self.text = text
        self.hash = source_hash(text)
        self.bands = set(text_bands(text, source_language, target_language))
        # difflib caches the second sequence: compare every candidate against it.
        self.matcher = difflib.SequenceMatcher(None, autojunk=False)
        self.matcher.set_seq2(words(text))

    def similarity(self, candidate, floor):
        """(percent, exact), or None when the candidate cannot reach ``floor`` percent."""
        if candidate.source_hash == self.hash:
            return 100, True
        self.matcher.set_seq1(words(candidate.source_text))
        bound = floor / 100
        if self.matcher.real_quick_ratio() < bound or self.matcher.quick_ratio() < bound:
            return None
        # Only a normalised-equal text is 100%: anything else stays below. The full
        # ratio is difflib's in bounded time (difflib's own took seconds on 10,000
        # characters half alike).
        ratio = match_ratio(self.matcher.a, self.matcher.b)
        return min(99, round(100 * ratio)), False


def _closest_query(candidate, queries):
    """The query a candidate is for: the one it equals, else the one sharing most bands."""
    for query in queries:
        if candidate.source_hash == query.hash:
            return query
    bands = set(candidate.bands or ())
    return max(queries, key=lambda query: (len(query.bands & bands), len(query.text)))


def _ranked(candidates, queries, limit, min_similarity):
    """The best ``limit`` distinct pairs: (percent, candidate, query text, exact).

    Best means covering most of the paragraph most closely: similarity times
    the matched segment's share of the paragraph, so that a 93% match of the
    whole paragraph comes before a 100% match of one of its eight sentences.
    """
    paragraph_length = len(queries[0].text)
    best = {}  # (source, target) -> ((coverage, percent, pk), candidate, query, exact)
    for candidate in candidates:
        query = _closest_query(candidate, queries)
        share = len(query.text) / paragraph_length
        ranks = sorted((entry[0][0] for entry in best.values()), reverse=True)
        needed = ranks[limit - 1] / share if len(ranks) >= limit else 0
        floor = max(min_similarity, needed)
        if floor > 100:
            continue
        scored = query.similarity(candidate, floor)
        if scored is None or scored[0] < floor:
            continue
        percent, exact = scored
        key = (percent * share, percent, candidate.pk)
        pair = (candidate.source_text, candidate.target_text)
        if pair not in best or key > best[pair][0]:
            best[pair] = (key, candidate, query.text, exact)
    ranked = sorted(best.values(), key=lambda entry: entry[0], reverse=True)[:limit]
    return [(key[1], candidate, query, exact) for key, candidate, query, exact in ranked]
