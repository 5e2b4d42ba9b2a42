"""A primary PostgreSQL cluster of our own and a streaming replica of it, on free ports.

Used by the bench's ``scaleout`` section and by tests/scaleout/. The shared
cluster on 5432 is never touched: it has no ``replication`` line in its
pg_hba.conf, and adding one would change a cluster others use, so the primary
is ours too (``bench.faults.OwnedPostgres``: ``initdb --auth=trust`` writes
the replication lines for local connections, and PostgreSQL 15's defaults
already stream: ``wal_level=replica``, ``max_wal_senders=10``).

``with ReplicatedPostgres() as pair:`` starts both and stops and removes both
on the way out, whatever happened inside. The replica is made with
``pg_basebackup -R -X stream`` (it writes ``standby.signal`` and the
connection back to the primary) and started as a hot standby.
"""

import shutil
import subprocess
import time

from .faults import PG_BIN, OwnedPostgres, as_postgres, free_port, wait_until
from .names import SLUG_PREFIX


def available():
    """Why a replicated pair cannot be started here, or None when it can."""
    for program in ("initdb", "pg_ctl", "pg_basebackup"):
        if not (PG_BIN / program).exists():
            return f"needs {PG_BIN / program} (PostgreSQL's server binaries)"
    if shutil.which("psql") is None:
        return "needs psql"
    return None


class OwnedReplica(OwnedPostgres):
    """A hot standby of ``primary``, streaming from it, on a free port."""

    folder_prefix = "tilmash-replica-"

    def __init__(self, primary, settings=()):
        self.primary = primary
        super().__init__(settings=["hot_standby=on", *settings])

    def _create(self):
        subprocess.run(
            as_postgres([PG_BIN / "pg_basebackup", "-D", self.data, "-h", "127.0.0.1", "-p",
                         self.primary.port, "-U", "postgres", "-R", "-X", "stream",
                         "--checkpoint=fast", "--no-sync"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self):
        try:
            self._ctl("stop", "-m", "fast")
        except subprocess.CalledProcessError:
            pass

    def query(self, sql, database="postgres"):
        return _query(self.url(database), sql)

    def replay_lsn(self):
        return self.query("SELECT pg_last_wal_replay_lsn()")

    def pause(self):
        """Stop replaying what arrives (it still streams): the replica lags from now on."""
        self.query("SELECT pg_wal_replay_pause()")

    def resume(self):
        self.query("SELECT pg_wal_replay_resume()")

    def caught_up(self, lsn):
        return self.query(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") == "t"

    def wait_caught_up(self, timeout=30):
        """Wait until the replica has replayed everything the primary has written so far."""
        lsn = primary_lsn(self.primary)
        return wait_until(lambda: self.caught_up(lsn), timeout, step=0.01)


def primary_lsn(primary):
    """Where the primary's WAL is now: a replica that replayed to here has every commit."""
    return _query(primary.url(), "SELECT pg_current_wal_lsn()")


def _query(url, sql):
    return subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


class ReplicatedPostgres:
    """A primary and its streaming replica; both stopped and removed on exit."""

    def __init__(self, database="tilmash", *, durable=True):
        """``durable=False``: no fsync (a test's throwaway clusters, much quicker to fill)."""
        self.database = database
        self.durable = durable
        self.settings = [] if durable else ["fsync=off", "full_page_writes=off"]
        self.primary = None
        self.replica = None

    def __enter__(self):
        try:
            self.primary = OwnedPostgres(self.settings)
            self.primary.start()
            self.primary.psql(f'CREATE DATABASE "{self.database}"')
            self.replica = OwnedReplica(self.primary, self.settings)
            self.replica.start()
            if not wait_until(self._streaming, 30):
                raise RuntimeError("the replica did not start streaming from the primary")
        except BaseException:
            self.close()
            raise
        return self

    def _streaming(self):
        return _query(self.primary.url(), "SELECT count(*) FROM pg_stat_replication "
                      "WHERE state = 'streaming'") == "1"  # fmt: skip

    @property
    def primary_url(self):
        return self.primary.url(self.database)

    @property
    def replica_url(self):
        return self.replica.url(self.database)

    def close(self):
        # A throwaway pair has nothing to keep: stopped without a shutdown checkpoint.
        mode = "fast" if self.durable else "immediate"
        for cluster in (self.replica, self.primary):
            if cluster is None:
                continue
            try:
                cluster._ctl("stop", "-m", mode)
            except subprocess.CalledProcessError:
                pass  # not running
            cluster.close()

    def __exit__(self, *exc):
        self.close()


# --- The bench's scale-out with the replica (bench/sections.py, ``scaleout``) -----------


def _rows_read(url):
    """Rows this cluster's backends have read in the bench database so far."""
    return int(
        _query(
            url,
            "SELECT tup_returned + tup_fetched FROM pg_stat_database "
            "WHERE datname = current_database()",
        )  # fmt: skip
    )


def _lag_samples(pair, count, pause=0.2):
    """Milliseconds from a commit on the primary to its replay on the replica, ``count``
    times (a one-row write each, polled every millisecond on one open connection)."""
    import psycopg

    samples = []
    with (
        psycopg.connect(pair.primary.url(pair.database), autocommit=True) as primary,
        psycopg.connect(pair.replica.url(pair.database), autocommit=True) as replica,
    ):
        primary.execute("CREATE TABLE IF NOT EXISTS bench_replica_lag (at timestamptz)")
        for _ in range(count):
            began = time.perf_counter()
            primary.execute("INSERT INTO bench_replica_lag VALUES (now())")
            lsn = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
            while not replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
            ).fetchone()[0]:
                time.sleep(0.001)
            samples.append((time.perf_counter() - began) * 1000)
            time.sleep(pause)
    return sorted(samples)


def measure(*, articles, rounds, seconds, warmup, static_root, redis_url, log, results):
    """Public pages over a corpus on the bench's own primary: one app server, two, and
    two with the replica (uncached, then with the page cache in Redis)."""
    import statistics

    from .server import (
        Server,
        base_env,
        children_of,
        fetch,
        manage,
        postgres_backends,
        process_cpu_seconds,
        wrk_start,
        wrk_wait,
    )

    figures = {"scaleout_replica_articles": articles}
    results.mkdir(parents=True, exist_ok=True)
    with ReplicatedPostgres("tilmash_replica") as pair:
        env = base_env(pair.primary_url, BENCH_STATIC_ROOT=static_root, REDIS_URL=redis_url,
                       TILMASH_PUBLIC_CACHE_SECONDS=0)  # fmt: skip
        log(f"   replica: a corpus of {articles} articles on the bench's own primary …")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "bench_corpus", "--articles", str(articles), "--long-articles", "0")
        if not pair.replica.wait_caught_up(timeout=300):
            raise RuntimeError("the replica did not catch up with the corpus")
        step = max(1, articles // 200)
        languages = ("kk", "ru", "en")
        paths = [
            f"/{languages[n % 3]}/articles/{SLUG_PREFIX}{index:07d}/"
            for n, index in enumerate(range(0, articles, step))
        ] + [f"/{code}/" for code in languages]
        replicated = dict(env, DATABASE_REPLICA_URL=pair.replica_url)
        log_file = results / "gunicorn-replica.log"

        def servers(server_env, count):
            return [Server(env=server_env, port=free_port(), log=log_file) for _ in range(count)]

        def cpu(running):
            """CPU seconds so far of the app workers and of each cluster's backends."""
            workers = [pid for server in running for pid in children_of(server.process.pid)]
            return (
                sum(map(process_cpu_seconds, workers)),
                sum(map(process_cpu_seconds, postgres_backends(pair.primary_url))),
                sum(map(process_cpu_seconds, postgres_backends(pair.replica_url))),
            )

        def qps(running):
            """Median requests/s over the rounds (the eight connections shared out), p99, and
            CPU milliseconds per request: app workers, primary, replica."""
            for server in running:
                for path in paths[:: max(1, len(paths) // 20)]:
                    status, _body = fetch(server.url + path)
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")
                wrk_wait(wrk_start(server.url + paths[0], seconds=warmup, paths=paths))
            totals, p99s, costs = [], [], []
            for _round in range(rounds):
                before = cpu(running)
                started = [
                    wrk_start(server.url + paths[0], seconds=seconds, paths=paths,
                              threads=2 // len(running), connections=8 // len(running))
                    for server in running
                ]  # fmt: skip
                done = [wrk_wait(process) for process in started]
                after = cpu(running)
                requests = max(1, sum(result.requests for result in done))
                costs.append(
                    [(b - a) * 1000 / requests for a, b in zip(before, after, strict=True)]
                )
                totals.append(sum(result.qps for result in done))
                p99s.append(max(result.p99_ms for result in done))
            cost = [round(statistics.median(part), 2) for part in zip(*costs, strict=True)]
            return {
                "qps": round(statistics.median(totals), 1),
                "p99_ms": round(statistics.median(p99s), 1),
                "cpu_ms_app": cost[0],
                "cpu_ms_primary": cost[1],
                "cpu_ms_replica": cost[2],
            }

        measured = {}
        with servers(env, 1)[0] as one:
            measured["single"] = qps([one])
        first, second = servers(env, 2)
        with first, second:
            measured["pair"] = qps([first, second])
        first, second = servers(replicated, 2)
        with first, second:
            before = (_rows_read(pair.primary_url), _rows_read(pair.replica_url))
            measured["pair_replica"] = qps([first, second])
            after = (_rows_read(pair.primary_url), _rows_read(pair.replica_url))
            # Replication delay with the public load running.
            load = [wrk_start(s.url + paths[0], seconds=8, paths=paths, threads=1,
                              connections=4) for s in (first, second)]  # fmt: skip
            lag = _lag_samples(pair, 20, pause=0.3)
            for process in load:
                wrk_wait(process)
        cached = dict(replicated, TILMASH_PUBLIC_CACHE_SECONDS="300")
        first, second = servers(cached, 2)
        with first, second:
            measured["pair_replica_redis"] = qps([first, second])
        primary_rows, replica_rows = after[0] - before[0], after[1] - before[1]
        for name, result in measured.items():
            for key, value in result.items():
                figures[f"scaleout_replica_{key}_{name}"] = value
        figures.update(
            {
                "scaleout_replica_rows_share": round(
                    replica_rows / max(1, primary_rows + replica_rows), 3
                ),
                "scaleout_replica_lag_p50_ms": round(statistics.median(lag), 2),
                "scaleout_replica_lag_max_ms": round(lag[-1], 2),
            }
        )
    log(f"   replica: {figures}")
    return figures


def main():
    """``python -m bench.replica [--articles N] [--seconds S]``: the replica's figures alone."""
    import argparse
    import json

    from .server import ROOT, base_env, collectstatic

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()
    static_root = collectstatic(base_env("sqlite:///unused.sqlite3"))
    try:
        figures = measure(
            articles=args.articles, rounds=args.rounds, seconds=args.seconds,
            warmup=max(1, args.seconds // 2), static_root=static_root,
            redis_url=args.redis_url, log=print, results=ROOT / "bench" / "results",
        )  # fmt: skip
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
