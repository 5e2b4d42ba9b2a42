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

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .faults import PG_BIN, OwnedPostgres, as_postgres, free_port, wait_until


def available():
    """Why a replicated pair cannot be started here, or None when it can."""
    for program in ("initdb", "pg_ctl", "pg_basebackup"):
        if not (PG_BIN / program).exists():
            return f"needs {PG_BIN / program} (PostgreSQL's server binaries)"
    if shutil.which("psql") is None:
        return "needs psql"
    return None


class _Primary(OwnedPostgres):
    """``OwnedPostgres`` with extra server settings (``-c name=value``)."""

    def __init__(self, settings=()):
        super().__init__()
        self.settings = list(settings)

    def _ctl(self, *args):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        options += "".join(f" -c {setting}" for setting in self.settings)
        subprocess.run(
            as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o",
                         options, "-w", "-t", "60", *args]),
            check=True, capture_output=True,
        )  # fmt: skip


class OwnedReplica:
    """A hot standby of ``primary``, streaming from it, on a free port."""

    def __init__(self, primary, settings=()):
        self.primary = primary
        self.settings = list(settings)
        self.folder = Path(tempfile.mkdtemp(prefix="tilmash-replica-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.port = free_port()
        subprocess.run(
            as_postgres([PG_BIN / "pg_basebackup", "-D", self.data, "-h", "127.0.0.1", "-p",
                         primary.port, "-U", "postgres", "-R", "-X", "stream",
                         "--checkpoint=fast", "--no-sync"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c hot_standby=on"
        subprocess.run(
            as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o",
                         options, "-w", "-t", "60", *args]),
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self):
        self._ctl("start")

    def stop(self):
        try:
            self._ctl("stop", "-m", "fast")
        except subprocess.CalledProcessError:
            pass

    def close(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

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
            self.primary = _Primary(self.settings)
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
