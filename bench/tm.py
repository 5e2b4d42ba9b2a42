#!/usr/bin/env python
"""Translation memory lookup at newsroom scale: ``python bench/tm.py [--segments N] [--quick]``.

Run against a PostgreSQL database of its own, which it migrates and whose
translation memory it replaces::

    createdb -h 127.0.0.1 -U postgres tilmash_bench_tm
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tilmash_bench_tm .venv/bin/python bench/tm.py

What it does, for 100k and then N (default 1M) approved segments:

1. writes synthetic English→Russian paragraph segments of 30-80 words
   (a Zipf-distributed vocabulary of 50,000 made-up words, 40% stop words,
   sentences of 8-20 words) with COPY, fingerprinted by the real code
   (``aids.memory.fingerprint``), then builds the GIN index and VACUUMs;
2. plants near-duplicates: takes stored paragraphs at random and changes a
   few words (``--changed``, default 3) in each;
3. times ``aids.memory.tm_suggestions`` for each (the whole call: sentence
   splitting, fingerprinting, the one SQL query, re-ranking) and counts how
   often the planted original is among the top 5 (recall); also times exact
   lookups of stored paragraphs.

Prints a table and writes bench/results/tm.json, a flat object of named
figures: tm_p50_ms_1m, tm_p99_ms_1m, tm_recall_1m, tm_exact_p50_ms_1m, … and
the same with _100k. Times are wall clock on whatever else the machine is
doing: the load average is recorded with them (tm_loadavg_*), and so is the
CPU time the lookup spent in this process (tm_client_cpu_p50_ms_*), which
contention on the machine inflates far less.
"""

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "tm.json"
VOCABULARY = 50_000
STOP_SHARE = 0.4
CHUNK = 20_000
ARTICLES = 100
SYLLABLES = (
    "ka ra to mi sen tal bor ek us an ol zhe ny qa ba gy der pol vin st me li do "
    "ru sa ke ti nu po la gar ven tor mas kin bel dor"
).split()
COPY_COLUMNS = (
    "source_language, target_language, source_text, target_text, source_hash, bands, "
    "is_paragraph, unit_key, version_id, article_id, created_at"
)


class Corpus:
    """Deterministic synthetic paragraphs: paragraph ``i`` is the same on every run."""

    def __init__(self, seed):
        from aids.memory.fingerprint import STOP_WORDS

        rng = random.Random(seed)
        vocabulary = set()
        while len(vocabulary) < VOCABULARY:
            vocabulary.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
        self.content = sorted(vocabulary)
        rng.shuffle(self.content)
        self.stop = sorted(word for word in STOP_WORDS if word.isascii())
        zipf = [1 / rank for rank in range(1, VOCABULARY + 1)]
        stop_weight = sum(zipf) * STOP_SHARE / (1 - STOP_SHARE) / len(self.stop)
        self.pool = self.content + self.stop
        self.cumulative = list(accumulate(zipf + [stop_weight] * len(self.stop)))
        self.translation = {word: word[::-1] + "ов" for word in self.pool}
        self.seed = seed

    def words(self, rng, count):
        return rng.choices(self.pool, cum_weights=self.cumulative, k=count)

    def paragraph(self, index):
        rng = random.Random(self.seed * 1_000_003 + index)
        words = self.words(rng, rng.randint(30, 80))
        return self._sentences(words, rng), words

    def translate(self, words, rng):
        return self._sentences([self.translation[word] for word in words], rng)

    @staticmethod
    def _sentences(words, rng):
        out, start = [], 0
        while start < len(words):
            end = min(len(words), start + rng.randint(8, 20))
            sentence = words[start:end]
            out.append(" ".join([sentence[0].capitalize(), *sentence[1:]]) + ".")
            start = end
        return " ".join(out)

    def near_duplicate(self, text, changed, rng):
        words = text.split()
        for position in rng.sample(range(len(words)), changed):
            replacement = self.words(rng, 1)[0]
            keep_stop = words[position][-1] if words[position][-1] == "." else ""
            words[position] = replacement + keep_stop
        return " ".join(words)


def _escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


_CORPUS = None  # set before the worker processes fork, so no job pickles it


def _chunk_rows(job):
    """COPY lines for paragraphs [start, end), and the texts of the planted ones."""
    from aids.memory.fingerprint import source_hash, text_bands

    corpus = _CORPUS
    start, end, planted, articles, now = job
    lines, kept = [], {}
    for index in range(start, end):
        source, words = corpus.paragraph(index)
        target = corpus.translate(words, random.Random(index))
        bands = text_bands(source, "en", "ru")
        article_id, version_id = articles[index % len(articles)]
        lines.append(
            "\t".join(
                [
                    "en",
                    "ru",
                    _escape(source),
                    _escape(target),
                    source_hash(source),
                    "{" + ",".join(map(str, bands)) + "}",
                    "t",
                    "p1",
                    str(version_id),
                    str(article_id),
                    now,
                ]
            )
        )
        if index in planted:
            kept[index] = source
    return ("\n".join(lines) + "\n").encode(), kept


def _articles():
    """The articles and versions the synthetic segments hang from."""
    from django.utils import timezone

    from translations.models import Article, Edition, Version

    existing = list(
        Version.objects.filter(edition__article__slug__startswith="bench-tm-").values_list(
            "edition__article_id", "pk"
        )
    )
    if len(existing) == ARTICLES:
        return existing
    Article.objects.filter(slug__startswith="bench-tm-").delete()
    articles = Article.objects.bulk_create(
        Article(
            slug=f"bench-tm-{n}",
            source_language="en",
            title_en=f"Bench {n}",
            dateline=timezone.now(),
        )
        for n in range(ARTICLES)
    )
    editions = Edition.objects.bulk_create(Edition(article=a, language="ru") for a in articles)
    versions = Version.objects.bulk_create(
        Version(edition=e, number=1, title="Bench", units=[]) for e in editions
    )
    return [(e.article_id, v.pk) for e, v in zip(editions, versions, strict=True)]


def load(corpus, start, end, planted, articles, processes):
    """Append paragraphs [start, end) to the memory; return seconds and planted texts."""
    from django.db import connection

    global _CORPUS
    _CORPUS = corpus
    began = time.perf_counter()
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
    jobs = [(s, min(end, s + CHUNK), planted, articles, now) for s in range(start, end, CHUNK)]
    kept = {}
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS aids_tmsegment_bands_gin")
    raw = connection.connection
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY aids_tmsegment ({COPY_COLUMNS}) FROM STDIN") as copy,
        ):
            for block, planted_texts in pool.imap(_chunk_rows, jobs):
                copy.write(block)
                kept.update(planted_texts)
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("CREATE INDEX aids_tmsegment_bands_gin ON aids_tmsegment USING gin (bands)")
        # As autovacuum would on a live table: set the rows' hint bits now, or the
        # first lookups to touch them dirty pages and write them out.
        cursor.execute("VACUUM (ANALYZE) aids_tmsegment")
    return time.perf_counter() - began, kept


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(corpus, planted_texts, changed, queries, seed):
    from aids.memory import tm_suggestions

    rng = random.Random(seed)
    chosen = rng.sample(sorted(planted_texts), min(queries, len(planted_texts)))
    for index in chosen[:20]:  # warm the caches and the connection
        tm_suggestions(text=planted_texts[index], source_language="en", target_language="ru")
    fuzzy_ms, cpu_ms, found, ranks = [], [], 0, []
    for index in chosen:
        original = planted_texts[index]
        query = corpus.near_duplicate(original, changed, rng)
        began, began_cpu = time.perf_counter(), time.process_time()
        suggestions = tm_suggestions(text=query, source_language="en", target_language="ru")
        fuzzy_ms.append((time.perf_counter() - began) * 1000)
        cpu_ms.append((time.process_time() - began_cpu) * 1000)
        sources = [s["source"] for s in suggestions[:5]]
        if original in sources:
            found += 1
            ranks.append(sources.index(original) + 1)
    exact_ms, exact_found = [], 0
    for index in chosen[: max(1, len(chosen) // 2)]:
        began = time.perf_counter()
        suggestions = tm_suggestions(
            text=planted_texts[index], source_language="en", target_language="ru"
        )
        exact_ms.append((time.perf_counter() - began) * 1000)
        exact_found += bool(
            suggestions
            and suggestions[0]["exact"]
            and suggestions[0]["source"] == planted_texts[index]
        )
    return {
        "p50_ms": round(statistics.median(fuzzy_ms), 2),
        "p99_ms": round(percentile(fuzzy_ms, 0.99), 2),
        "cpu_p50_ms": round(statistics.median(cpu_ms), 2),
        "recall": round(found / len(chosen), 4),
        "first_share": round(ranks.count(1) / len(chosen), 4),
        "exact_p50_ms": round(statistics.median(exact_ms), 2),
        "exact_p99_ms": round(percentile(exact_ms, 0.99), 2),
        "exact_found": round(exact_found / len(exact_ms), 4),
        "queries": len(chosen),
    }


def label(size):
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def sizes_mb():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('aids_tmsegment'), "
            "pg_relation_size('aids_tmsegment_bands_gin')"
        )
        total, gin = cursor.fetchone()
    return round(total / 2**20), round(gin / 2**20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=1_000_000, help="largest size")
    parser.add_argument("--quick", action="store_true", help="10k and 50k, 100 queries")
    parser.add_argument("--queries", type=int, default=500, help="planted queries per size")
    parser.add_argument("--changed", type=int, default=3, help="words changed per query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again the memory already there (written by an earlier run with the "
        "same --seed) and add the figures to bench/results/tm.json",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    database = urlsplit(url).path.lstrip("/")
    if not url.startswith(("postgres://", "postgresql://")) or "bench" not in database:
        sys.exit(
            "bench/tm.py replaces the translation memory of the database it runs on: give it "
            "a PostgreSQL database of its own whose name contains 'bench', e.g.\n"
            "  createdb -h 127.0.0.1 -U postgres tilmash_bench_tm\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/tilmash_bench_tm "
            ".venv/bin/python bench/tm.py"
        )
    sizes = [10_000, 50_000] if args.quick else [100_000, args.segments]
    sizes = sorted({size for size in sizes if size <= max(sizes)})
    queries = 100 if args.quick else args.queries
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    corpus = Corpus(args.seed)
    rng = random.Random(args.seed)
    if args.reuse:
        return remeasure(corpus, rng, queries, args)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE aids_tmsegment")
    articles = _articles()
    from aids.memory.fingerprint import BANDS, ROWS

    figures = {
        "tm_bands": BANDS,
        "tm_rows_per_band": ROWS,
        "tm_words_changed": args.changed,
        "tm_cpus": os.cpu_count(),
    }
    loaded, planted_texts = 0, {}
    print(HEADER)
    for size in sizes:
        planted = set(rng.sample(range(loaded, size), min(queries, size - loaded)))
        seconds, kept = load(corpus, loaded, size, planted, articles, args.processes)
        planted_texts.update(kept)
        loaded = size
        load_average = os.getloadavg()[0]
        result = measure(corpus, planted_texts, args.changed, queries, args.seed + size)
        total_mb, gin_mb = sizes_mb()
        name = label(size)
        figures.update(
            {
                f"tm_segments_{name}": size,
                f"tm_load_s_{name}": round(seconds, 1),
                f"tm_p50_ms_{name}": result["p50_ms"],
                f"tm_p99_ms_{name}": result["p99_ms"],
                f"tm_client_cpu_p50_ms_{name}": result["cpu_p50_ms"],
                f"tm_recall_{name}": result["recall"],
                f"tm_first_share_{name}": result["first_share"],
                f"tm_exact_p50_ms_{name}": result["exact_p50_ms"],
                f"tm_exact_p99_ms_{name}": result["exact_p99_ms"],
                f"tm_exact_found_{name}": result["exact_found"],
                f"tm_queries_{name}": result["queries"],
                f"tm_table_mb_{name}": total_mb,
                f"tm_gin_mb_{name}": gin_mb,
                f"tm_loadavg_{name}": round(load_average, 2),
            }
        )
        print(row(size, seconds, result, total_mb, gin_mb), flush=True)
    write(figures, merge=False)


HEADER = (
    f"{'segments':>10} {'load s':>8} {'p50 ms':>8} {'p99 ms':>8} {'recall@5':>9} "
    f"{'first':>7} {'exact p50':>10} {'exact p99':>10} {'MB':>6} {'GIN MB':>7}"
)


def row(size, seconds, result, total_mb, gin_mb):
    return (
        f"{size:>10} {seconds:>8.1f} {result['p50_ms']:>8.2f} {result['p99_ms']:>8.2f} "
        f"{result['recall']:>9.3f} {result['first_share']:>7.3f} "
        f"{result['exact_p50_ms']:>10.2f} {result['exact_p99_ms']:>10.2f} "
        f"{total_mb:>6} {gin_mb:>7}"
    )


def write(figures, *, merge):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if merge and RESULTS.exists():
        figures = {**json.loads(RESULTS.read_text()), **figures}
    RESULTS.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def remeasure(corpus, rng, queries, args):
    """Measure the memory as it stands: paragraph i is the same on every run."""
    from aids.models import TMSegment

    size = TMSegment.objects.count()
    planted = {index: corpus.paragraph(index)[0] for index in rng.sample(range(size), queries)}
    sample = list(planted.values())[:5]
    if not all(TMSegment.objects.filter(source_text=text).exists() for text in sample):
        sys.exit("The memory there was not written by this bench with this --seed.")
    result = measure(corpus, planted, args.changed, queries, args.seed + size)
    name = label(size)
    print(HEADER)
    print(row(size, 0, result, *sizes_mb()))
    write(
        {
            f"tm_p50_ms_{name}": result["p50_ms"],
            f"tm_p99_ms_{name}": result["p99_ms"],
            f"tm_client_cpu_p50_ms_{name}": result["cpu_p50_ms"],
            f"tm_recall_{name}": result["recall"],
            f"tm_first_share_{name}": result["first_share"],
            f"tm_exact_p50_ms_{name}": result["exact_p50_ms"],
            f"tm_exact_p99_ms_{name}": result["exact_p99_ms"],
            f"tm_exact_found_{name}": result["exact_found"],
            f"tm_loadavg_{name}": round(os.getloadavg()[0], 2),
        },
        merge=True,
    )


if __name__ == "__main__":
    main()
