"""Public full-text search over live versions.

Each published edition has a :class:`~translations.models.SearchEntry`: its
live version's title and paragraphs as one text, written when the version
goes live (``entry_write``) and read only while that version is still the
edition's live one. Searches never touch the working copy.

On PostgreSQL each language gets a partial GIN index over
``to_tsvector('<config>', document)`` with the text-search configuration of
that language (Russian and English stemming; ``simple`` for Kazakh, which
PostgreSQL ships no dictionary for), created after every ``migrate`` for the
languages in ``settings.LANGUAGES`` (``indexes_ensure``), so adding a language
indexes it too. A query is parsed with ``websearch_to_tsquery`` (words,
"quoted phrases", ``-excluded``, ``or``), ranked by ``ts_rank_cd`` and then
by dateline. Elsewhere (SQLite) every word must occur in the text, newest
first: correct, not fast.
"""

import re

from django.db import connection
from django.db.models import F, Func, TextField
from django.utils import timezone

from .languages import language_codes

# PostgreSQL text-search configurations per language; others use "simple".
CONFIGS = {"ru": "russian", "en": "english"}
QUERY_MAX_CHARS = 200
INDEX_PREFIX = "translations_search_"
_SAFE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")


CASEFOLD = "tilmash_casefold"


def sqlite_functions(sender, connection, **kwargs):
    """Give each SQLite connection ``tilmash_casefold(text)`` (``connection_created``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            CASEFOLD, 1, lambda text: text.casefold() if text else text, deterministic=True
        )


def config_for(language):
    return CONFIGS.get(language, "simple")


def document_of(version):
    """The text an edition is found by: its live version's title and paragraphs."""
    texts = [version.title] + [unit.get("text") or "" for unit in version.paragraphs]
    return "\n".join(text for text in texts if text)


def entry_write(*, edition, version):
    """Make ``version`` (live, approved) what ``edition`` is found by. Call it inside
    the transaction that makes the version live."""
    from .models import SearchEntry

    entry = _entry(edition, version)
    SearchEntry.objects.update_or_create(
        edition=edition,
        defaults={
            "version": version,
            "article_id": entry.article_id,
            "language": entry.language,
            "document": entry.document,
        },
    )


def _entry(edition, version):
    from .models import SearchEntry

    return SearchEntry(
        edition=edition,
        version=version,
        article_id=edition.article_id,
        language=edition.language,
        document=document_of(version),
    )


def entries_rebuild(*, batch_size=500):
    """Write every live edition's entry afresh and drop the others; returns the count.

    For data written around the services (a restored dump of another
    release, a bulk load such as ``bench_corpus``). Each batch is one
    ``INSERT … ON CONFLICT DO UPDATE``, so a large archive is not held in one
    transaction.
    """
    from .models import Edition, SearchEntry

    live = (
        Edition.objects.filter(live_version__isnull=False, live_version__approved_at__isnull=False)
        .select_related("live_version")
        .order_by("pk")
    )
    written, last = 0, 0
    while True:
        editions = list(live.filter(pk__gt=last)[:batch_size])
        if not editions:
            break
        SearchEntry.objects.bulk_create(
            [_entry(edition, edition.live_version) for edition in editions],
            update_conflicts=True,
            unique_fields=["edition"],
            update_fields=["version", "article", "language", "document"],
        )
        written += len(editions)
        last = editions[-1].pk
    SearchEntry.objects.exclude(edition__live_version_id=F("version_id")).delete()
    return written


def _index_name(language):
    return INDEX_PREFIX + language.replace("-", "_")


def _tsvector_sql(language):
    return f"to_tsvector('{config_for(language)}'::regconfig, document)"


def indexes_ensure(using="default", **kwargs):
    """Create the per-language GIN indexes that are missing (PostgreSQL only).

    Connected to ``post_migrate``; idempotent (``IF NOT EXISTS``).
    """
    from django.db import connections

    from .models import SearchEntry

    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    if SearchEntry._meta.db_table not in conn.introspection.table_names():
        return  # migrated back before the table (post_migrate runs then too)
    table = conn.ops.quote_name(SearchEntry._meta.db_table)
    with conn.cursor() as cursor:
        for language in language_codes():
            if not _SAFE.fullmatch(language):
                continue
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {_index_name(language)} ON {table} "
                f"USING gin ({_tsvector_sql(language)}) WHERE language = '{language}'"
            )


def query_clean(raw):
    """The query as searched: whitespace collapsed, at most ``QUERY_MAX_CHARS``."""
    return " ".join((raw or "").split())[:QUERY_MAX_CHARS]


def matching_edition_ids(*, language, query, limit, offset):
    """Ids of live editions in ``language`` whose live text matches ``query``, best first."""
    from .models import Article, Edition, SearchEntry
    from .selectors import embargo_passed

    if connection.vendor == "postgresql":
        if not _SAFE.fullmatch(language):
            return []
        quote = connection.ops.quote_name
        config = config_for(language)
        sql = (
            f"SELECT s.edition_id "
            f"FROM {quote(SearchEntry._meta.db_table)} s "
            f"JOIN {quote(Edition._meta.db_table)} e "
            f"  ON e.id = s.edition_id AND e.live_version_id = s.version_id "
            f"JOIN {quote(Article._meta.db_table)} a ON a.id = s.article_id, "
            f"  websearch_to_tsquery('{config}'::regconfig, %s) q "
            f"WHERE s.language = %s AND {_tsvector_sql(language)} @@ q "
            # What a reader may see now (``selectors.published_filter``): no
            # withdrawn article, no embargo still running.
            f"  AND a.withdrawn_at IS NULL "
            f"  AND (a.embargo_until IS NULL OR a.embargo_until <= %s) "
            f"  AND (e.embargo_until IS NULL OR e.embargo_until <= %s) "
            f"ORDER BY ts_rank_cd({_tsvector_sql(language)}, q) DESC, a.dateline DESC, a.id DESC "
            f"LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            now = timezone.now()
            cursor.execute(sql, [query, language, now, now, limit, offset])
            return [row[0] for row in cursor.fetchall()]
    # SQLite's LIKE and lower() fold ASCII letters only; Cyrillic needs Python's casefold.
    entries = SearchEntry.objects.filter(
        embargo_passed(timezone.now(), prefix="edition__"),
        language=language,
        edition__live_version_id=F("version_id"),
        article__withdrawn_at__isnull=True,
    ).annotate(folded=Func(F("document"), function=CASEFOLD, output_field=TextField()))
    words = [word.strip('"').casefold() for word in query.split() if word.lower() != "or"]
    included = [word for word in words if word and not word.startswith("-")]
    if not included:
        return []
    for word in included:
        entries = entries.filter(folded__contains=word)
    for word in words:
        if word.startswith("-") and len(word) > 1:
            entries = entries.exclude(folded__contains=word[1:])
    return list(
        entries.order_by("-article__dateline", "-article_id").values_list("edition_id", flat=True)[
            offset : offset + limit
        ]
    )
