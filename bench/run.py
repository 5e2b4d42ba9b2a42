#!/usr/bin/env python
"""Tilmash benchmarks at newsroom scale: ``python bench/run.py [--quick]``.

``make bench`` / ``make bench-quick``. See bench/README.md for what each
figure means and how the run is built; bench/RESULTS.md records a run.
Writes bench/results/latest.json (flat named figures) and latest.md.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import databases, report, sections  # noqa: E402
from bench.server import collectstatic  # noqa: E402

FULL = {
    "sqlite_articles": 10_000,
    "pg_articles": 10_000,
    "large_articles": 100_000,
    "rounds": 5,
    "seconds": 10,
    "warmup": 5,
    "reps": 20,
    "import_files": 1000,
    "load_seconds": 60,
    "scaleout_rounds": 3,
    "faults_seconds": 60,
    "faults_articles": 1000,
    "bounded_reps": 7,
}
QUICK = {
    "sqlite_articles": 300,
    "pg_articles": 300,
    "large_articles": None,
    "rounds": 2,
    "seconds": 2,
    "warmup": 1,
    "reps": 3,
    "import_files": 50,
    "load_seconds": 10,
    "scaleout_rounds": 1,
    "faults_seconds": 30,
    "faults_articles": 200,
    "bounded_reps": 3,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: small corpus, seconds")
    parser.add_argument(
        "--large-articles",
        type=int,
        help="size of the large PostgreSQL corpus (default: reuse the one there, else 100000)",
    )
    parser.add_argument("--skip", default="", help="comma-separated sections to skip")
    args = parser.parse_args()
    plan = dict(QUICK if args.quick else FULL)
    if args.large_articles:
        plan["large_articles"] = args.large_articles
        plan["large_explicit"] = True
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    began = time.monotonic()
    suffix = "-quick" if args.quick else ""
    sqlite = databases.sqlite_database("sqlite" + suffix, f"bench{suffix}.sqlite3")
    postgres = databases.postgres_database(
        "postgres" + suffix, "tilmash_bench" + suffix.replace("-", "_")
    )
    large = databases.postgres_database("postgres-large", "tilmash_bench_large")

    figures = {"quick": int(args.quick)}
    figures.update(report.machine())
    log = report.log
    log("Preparing the bench databases")
    corpus = databases.prepare(postgres, articles=plan["pg_articles"])
    figures["corpus_rows_per_s"] = corpus.get("rows_per_s")
    figures["corpus_rows"] = corpus.get("total_rows")
    figures["corpus_method"] = corpus.get("method")
    sqlite_corpus = databases.prepare(sqlite, articles=plan["sqlite_articles"])
    figures["corpus_rows_per_s_sqlite"] = sqlite_corpus.get("rows_per_s")
    static_root = collectstatic(postgres.env())
    run = sections.Run(plan=plan, static_root=static_root, figures=figures, log=log)

    steps = [
        ("sqlite", lambda: run.public_pages(sqlite, "sqlite")),
        ("postgres", lambda: run.public_pages(postgres, "pg")),
        ("inprocess", lambda: run.inprocess(postgres, sqlite)),
        ("bounded", lambda: run.bounded(postgres, sqlite)),
        ("large", lambda: run.large(postgres, large)),
        ("load", lambda: run.load(postgres)),
        ("scaleout", lambda: run.scaleout(postgres)),
        ("faults", lambda: run.faults()),
    ]
    for name, step in steps:
        if name in skip or (name == "large" and not plan["large_articles"] and not args.quick):
            continue
        if name == "large" and args.quick:
            continue
        log(f"== {name}")
        try:
            step()
        except Exception as error:  # one broken section must not hide the others' figures
            figures[f"{name}_failed"] = f"{type(error).__name__}: {error}"[:500]
            log(f"   {name} failed: {error}")
    sections.headline(figures)
    report.mark(figures)
    if not args.quick and "profile" not in skip:
        log("== profiles")
        try:
            run.profiles(postgres, large)
        except Exception as error:
            figures["profile_failed"] = f"{type(error).__name__}: {error}"[:500]
    figures.update(report.tm_figures())
    figures["bench_seconds"] = round(time.monotonic() - began)
    report.write(figures)


if __name__ == "__main__":
    main()
