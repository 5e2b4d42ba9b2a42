"""``manage.py bench_corpus --articles N``: a newsroom-sized corpus for bench/.

Not for production databases: it adds thousands of synthetic articles
(slugs ``bench-0000001`` …) and bench accounts. See bench/README.md.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from bench.corpus import CorpusBuilder, bench_article_count


class Command(BaseCommand):
    help = (
        "Add N synthetic articles (~12 paragraphs, approved versions and credits in "
        "every language, working copies, open reviews) in bulk, for the benchmarks. "
        "Reports rows per second."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--paragraphs", type=int, default=12)
        parser.add_argument("--words", type=int, default=45, help="words per paragraph")
        parser.add_argument(
            "--open-share", type=float, default=0.1, help="share of translations in review"
        )
        parser.add_argument(
            "--progress-share", type=float, default=0.1, help="share of translations in progress"
        )
        parser.add_argument(
            "--long-articles",
            type=int,
            default=0,
            help="how many of the first articles get --long-paragraphs paragraphs",
        )
        parser.add_argument("--long-paragraphs", type=int, default=300)
        parser.add_argument("--batch", type=int, default=500, help="articles per transaction")
        parser.add_argument(
            "--method",
            choices=["auto", "copy", "insert", "orm"],
            default="auto",
            help="copy (PostgreSQL COPY), insert (executemany), orm (bulk_create); "
            "auto: copy on PostgreSQL, insert elsewhere",
        )
        parser.add_argument(
            "--replica",
            action="store_true",
            help="PostgreSQL superuser only: skip triggers and foreign-key checks during the "
            "load (session_replication_role = replica)",
        )
        parser.add_argument("--json", dest="json_path", help="also write the report here")

    def handle(self, *args, **options):
        count = options["articles"]
        if count < 1:
            raise CommandError("--articles must be at least 1.")
        if not 0 <= options["open_share"] + options["progress_share"] <= 1:
            raise CommandError("--open-share and --progress-share must add up to at most 1.")
        if options["paragraphs"] < 1 or options["long_paragraphs"] < 1:
            raise CommandError("Articles need at least one paragraph.")
        start = bench_article_count()
        try:
            builder = CorpusBuilder(
                paragraphs=options["paragraphs"],
                words=options["words"],
                open_share=options["open_share"],
                progress_share=options["progress_share"],
                long_articles=options["long_articles"],
                long_paragraphs=options["long_paragraphs"],
                method=options["method"],
                batch=options["batch"],
                replica=options["replica"],
                progress=self.stderr.write if options["verbosity"] > 1 else None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        report = builder.build(start=start, count=count)
        for table, rows in report.rows.items():
            self.stdout.write(f"{table}: {rows:,}")
        self.stdout.write(
            f"{report.articles:,} articles, {report.total_rows:,} rows in "
            f"{report.seconds:.1f} s: {report.rows_per_second:,.0f} rows/s ({report.method})"
        )
        if options["json_path"]:
            with open(options["json_path"], "w") as handle:
                json.dump(
                    {
                        "articles": report.articles,
                        "rows": report.rows,
                        "total_rows": report.total_rows,
                        "seconds": round(report.seconds, 3),
                        "rows_per_s": round(report.rows_per_second),
                        "method": report.method,
                    },
                    handle,
                    indent=2,
                )
