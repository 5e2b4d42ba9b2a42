"""The translation memory's candidate query, as a PostgreSQL function.

Why a function: the planner cannot know how few rows ``bands && …`` matches
(at a million segments it guessed 60,000 for 40), and on that guess it buys
JIT compilation and parallel workers that cost 10-40 ms to save nothing, or
a sequential scan. A function can carry its own settings (``SET jit = off``
…), which hold while it runs and for nothing else, and its ``ROWS`` tells
the calling query how small the result is: one round trip, no transaction
games. Elsewhere (SQLite) the lookup scans instead (``aids.memory.lookup``).

The band branch has no LIMIT on purpose: a LIMIT over a large guess invites
a walk along some index "until enough rows match", which reads the whole
table when almost none do.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION aids_tm_candidates(
    text, text, text[], integer[], bigint, integer
) RETURNS TABLE (
    segment_id bigint, segment_source text, segment_target text,
    segment_hash text, segment_bands integer[], segment_article bigint
)
LANGUAGE sql STABLE ROWS 25
SET jit = off
SET enable_seqscan = off
SET max_parallel_workers_per_gather = 0
AS $$
SELECT id, source_text, target_text, source_hash, bands, article_id FROM (
  (SELECT id, source_text, target_text, source_hash::text, bands, article_id, 1 AS exact
   FROM aids_tmsegment
   WHERE source_hash = ANY($3) AND source_language = $1 AND target_language = $2
     AND article_id IS DISTINCT FROM $5
   LIMIT $6)
  UNION ALL
  (SELECT id, source_text, target_text, source_hash::text, bands, article_id, 0 AS exact
   FROM aids_tmsegment
   WHERE bands && $4 AND source_language = $1 AND target_language = $2
     AND article_id IS DISTINCT FROM $5)
) AS candidate
ORDER BY exact DESC,
  (SELECT count(*) FROM unnest(bands) AS band WHERE band = ANY($4)) DESC,
  id DESC
LIMIT $6
$$
"""
DROP = "DROP FUNCTION IF EXISTS aids_tm_candidates(text, text, text[], integer[], bigint, integer)"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("aids", "0002_tmsegment_bands_gin")]

    operations = [migrations.RunPython(create_function, drop_function)]
