"""Suggestions from the translation memory for the paragraph being translated.

The paragraph is looked up whole and sentence by sentence (a sentence reused
inside a new paragraph is found on its own). Candidates come from one query:

- PostgreSQL: ``source_hash = ANY(hashes) OR bands && query_bands`` on the
  hash's B-tree and the bands' GIN index, ordered by how many bands each
  candidate shares, the best CANDIDATES of them;
- elsewhere (SQLite): the exact matches by hash, plus a scan of the language
  pair's band lists in Python (correct, and slow on a large memory).

The candidates are then ranked by :func:`~aids.memory.fingerprint.similarity`.
"""

import difflib
import heapq

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from ..models import TMSegment
from .fingerprint import source_hash, text_bands, words
from .segmentation import sentence_split

# How many candidates are re-ranked by real similarity.
CANDIDATES = 25
# Below this similarity a suggestion costs the translator more than it saves.
MIN_SIMILARITY = 50
SHARED_BANDS_SQL = (
    "(SELECT count(*) FROM unnest(aids_tmsegment.bands) AS band "
    "WHERE band = ANY(%s::integer[]))"
)


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

    Returns up to ``limit`` dicts ``{"source", "target", "similarity" (0-100),
    "article", "exact", "segment"}``: ``segment`` is the part of ``text`` the
    suggestion is for (the whole paragraph or one of its sentences), ``exact``
    says the stored source equals it (after normalising spaces and quotes).
    Segments of ``exclude_article`` (the article being translated) are left
    out. The same pair stored from several articles is suggested once.
    """
    queries = [
        _Query(segment, source_language, target_language)
        for segment in _query_segments(text, source_language)
    ]
    if not queries:
        return []
    hashes = sorted({query.hash for query in queries})
    bands = sorted({band for query in queries for band in query.bands})
    pair = TMSegment.objects.filter(source_language=source_language,
                                    target_language=target_language)
    if exclude_article is not None:
        pair = pair.exclude(article=exclude_article)
    if connection.vendor == "postgresql":
        candidates = _candidates_indexed(pair, hashes, bands)
    else:
        candidates = _candidates_scanned(pair, hashes, bands)
    return _ranked(candidates, queries, limit, min_similarity)


def _query_segments(text, language):
    text = (text or "").strip()
    if not text:
        return []
    sentences = sentence_split(text, language)
    return [text] + (sentences if len(sentences) > 1 else [])


def _candidates_indexed(pair, hashes, bands):
    found = Q(source_hash__in=hashes)
    if bands:
        found |= Q(bands__overlap=bands)
    return list(
        pair.filter(found)
        .annotate(
            exact=Case(
                When(source_hash__in=hashes, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            shared=RawSQL(SHARED_BANDS_SQL, (bands,), output_field=IntegerField()),
        )
        .select_related("article")
        .order_by("-exact", "-shared", "-id")[:CANDIDATES]
    )


def _candidates_scanned(pair, hashes, bands):
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
    return list(TMSegment.objects.select_related("article").filter(pk__in=ids[:CANDIDATES]))


class _Query:
    """One segment of the paragraph looked up, with what ranking needs of it."""

    def __init__(self, text, source_language, target_language):
        self.text = text
        self.hash = source_hash(text)
        self.bands = set(text_bands(text, source_language, target_language))
        # difflib caches the second sequence: compare every candidate against it.
        self.matcher = difflib.SequenceMatcher(None, autojunk=False)
        self.matcher.set_seq2(words(text))

    def similarity(self, segment):
        if segment.source_hash == self.hash:
            return 100, True
        self.matcher.set_seq1(words(segment.source_text))
        # Only a normalised-equal text is 100%: anything else stays below.
        return min(99, round(100 * self.matcher.ratio())), False


def _closest_query(segment, queries):
    """The query a candidate is for: the one it equals, else the one sharing most bands."""
    for query in queries:
        if segment.source_hash == query.hash:
            return query
    bands = set(segment.bands or ())
    return max(queries, key=lambda query: (len(query.bands & bands), len(query.text)))


def _ranked(candidates, queries, limit, min_similarity):
    scored = []
    for segment in candidates:
        query = _closest_query(segment, queries)
        percent, exact = query.similarity(segment)
        if percent >= min_similarity:
            scored.append(((percent, len(query.text), segment.pk), segment, query.text, exact))
    scored.sort(key=lambda entry: entry[0], reverse=True)
    suggestions, seen = [], set()
    for (percent, _length, _pk), segment, query, exact in scored:
        if (segment.source_text, segment.target_text) in seen:
            continue
        seen.add((segment.source_text, segment.target_text))
        suggestions.append({
            "source": segment.source_text,
            "target": segment.target_text,
            "similarity": percent,
            "article": segment.article,
            "exact": exact,
            "segment": query,
        })
        if len(suggestions) == limit:
            break
    return suggestions
