"""The bench's own databases: a SQLite file under bench/ and PostgreSQL databases.

Never the ``test`` database or the demo's db.sqlite3. A corpus is built once
and reused while it holds the expected number of bench articles.
"""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .server import ROOT, base_env, manage

RESULTS = ROOT / "bench" / "results"
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class BenchDatabase:
    name: str  # "sqlite", "postgres", "postgres-large", …
    url: str

    @property
    def vendor(self):
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    @property
    def report_path(self):
        return RESULTS / f"corpus-{self.name}.json"

    def env(self, **extra):
        return base_env(self.url, **extra)


def sqlite_database(name, filename):
    return BenchDatabase(name, f"sqlite:///{ROOT / 'bench' / filename}")


def postgres_database(name, database):
    parts = urlsplit(POSTGRES_SERVER)
    return BenchDatabase(name, urlunsplit(parts._replace(path=f"/{database}")))


def _psql(sql, database="postgres"):
    parts = urlsplit(POSTGRES_SERVER)
    url = urlunsplit(parts._replace(path=f"/{database}"))
    return subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _database_name(database):
    return urlsplit(database.url).path.lstrip("/")


def exists(database):
    if database.vendor == "sqlite":
        return Path(urlsplit(database.url).path).exists()
    name = _database_name(database)
    return _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def recreate(database):
    if database.vendor == "sqlite":
        path = Path(urlsplit(database.url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = _database_name(database)
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{name}"')


def bench_articles(database):
    """How many bench articles the database holds (0 when it has no tables yet)."""
    if not exists(database):
        return 0
    result = manage(
        database.env(),
        "shell",
        "-c",
        "from bench.corpus import bench_article_count; print(bench_article_count())",
        check=False,
        capture=True,
    )
    if result.returncode != 0:
        return 0
    return int(result.stdout.strip().splitlines()[-1])


def prepare(database, *, articles, long_articles=3, extend=False, log=print):
    """Make ``database`` hold ``articles`` bench articles; returns the corpus report.

    An existing corpus of that size is reused (its report read back); with
    ``extend`` a smaller one is grown to the size; otherwise it is rebuilt.
    """
    have = bench_articles(database)
    if have == articles and database.report_path.exists():
        log(f"  {database.name}: reusing {have:,} bench articles")
        manage(database.env(), "migrate", "--noinput", "-v0")
        return json.loads(database.report_path.read_text())
    if have and not (extend and have < articles):
        log(f"  {database.name}: has {have:,} bench articles, rebuilding with {articles:,}")
        recreate(database)
        have = 0
    elif not have:
        recreate(database)
    manage(database.env(), "migrate", "--noinput", "-v0")
    log(f"  {database.name}: writing {articles - have:,} bench articles …")
    RESULTS.mkdir(parents=True, exist_ok=True)
    report_path = RESULTS / f"corpus-{database.name}-part.json"
    manage(
        database.env(),
        "bench_corpus",
        "--articles",
        str(articles - have),
        "--long-articles",
        str(long_articles),
        "--json",
        str(report_path),
    )
    report = json.loads(report_path.read_text())
    report_path.unlink()
    report["corpus_articles"] = articles
    database.report_path.write_text(json.dumps(report, indent=2))
    if database.vendor == "postgresql":
        _psql("VACUUM ANALYZE", _database_name(database))
    return report


def size_bytes(database):
    if database.vendor == "sqlite":
        path = urlsplit(database.url).path
        return sum(
            os.path.getsize(f"{path}{suffix}")
            for suffix in ("", "-wal")
            if os.path.exists(f"{path}{suffix}")
        )
    name = _database_name(database)
    return int(_psql(f"SELECT pg_database_size('{name}')"))


def postgres_version():
    return _psql("SHOW server_version")
