"""Load under faults: wrk at 64 connections while Redis stops for a while and
PostgreSQL restarts once; ``python -m bench.faults [--seconds 60]`` or the
``faults`` section of bench/run.py.

Everything broken here belongs to the bench: a PostgreSQL cluster of its own
(``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin``, on a
free port, in a temporary folder) holding a small corpus, and a
``redis-server`` of its own on a free port (with its data saved on shutdown
and loaded on start, so what was cached before the outage is there after
it). gunicorn -w 2 runs the production settings on both. The shared
PostgreSQL on 5432 and Redis on 6379 are never touched.

The timeline, in fractions of the run: Redis stops at 25% for a sixth of the
run (10 s of 60) and starts again; PostgreSQL restarts (``pg_ctl restart -m
fast``) at 60%. Meanwhile 20 simulated translators save paragraphs
(``bench.translators``) straight to the database. While Redis is stopped an
article page, a list and a desk login are requested once each.

Reported: requests and answers by kind (status, and ``200-stale`` for pages
served from the cache while the database was down) with the seconds of the
run in which each kind was seen; wrk's socket errors; how long after
PostgreSQL accepted connections again the site served a list page; the
saves accepted, failed (by kind, with their window) and lost (must be 0).
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from .names import PASSWORD, SLUG_PREFIX
from .server import PYTHON, ROOT, WRK, Server, base_env, collectstatic, fetch, manage

RESULTS = ROOT / "bench" / "results"


def _pg_bin():
    """PostgreSQL's server binaries: ``BENCH_PG_BIN``, else the newest Debian installs."""
    if os.environ.get("BENCH_PG_BIN"):
        return Path(os.environ["BENCH_PG_BIN"])
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return installed[-1].parent if installed else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
LANGUAGES = ("kk", "ru", "en")
SOCKET_ERRORS = ("connect", "read", "write", "timeout")

COUNTS_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local n = 0
local threads = {}
counts = {}

function setup(thread)
  table.insert(threads, thread)
end

request = function()
  n = n + 1
  return wrk.format(nil, paths[(n % #paths) + 1])
end

function response(status, headers, body)
  local kind = tostring(status)
  if headers["X-Tilmash-Stale"] then kind = kind .. "-stale" end
  local key = tostring(os.time()) .. " " .. kind
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_COUNTS"), "w")
  for _, thread in ipairs(threads) do
    for key, value in pairs(thread:get("counts")) do
      out:write(key .. " " .. value .. "\\n")
    end
  end
  local e = summary.errors
  out:write("socket " .. e.connect .. " " .. e.read .. " " .. e.write .. " " .. e.timeout .. "\\n")
  out:write("total " .. summary.requests .. "\\n")
  out:close()
end
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def as_postgres(command):
    """PostgreSQL refuses to run as root: there, run ``command`` as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *map(str, command)]
    return [str(part) for part in command]


class OwnedPostgres:
    """A PostgreSQL cluster of the bench's own, on a free port, with extra server
    ``settings`` (``name=value``, passed as ``-c``). Subclasses make the data folder
    another way (``bench.replica.OwnedReplica``: a base backup of a primary)."""

    folder_prefix = "tilmash-bench-pg-"

    def __init__(self, settings=()):
        self.settings = list(settings)
        self.folder = Path(tempfile.mkdtemp(prefix=self.folder_prefix))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.port = free_port()
        self._create()

    def _create(self):
        subprocess.run(
            as_postgres([PG_BIN / "initdb", "-D", self.data, "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--no-sync"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        options += "".join(f" -c {setting}" for setting in self.settings)
        subprocess.run(
            as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o",
                         options, "-w", "-t", "60", *args]),
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self):
        self._ctl("start")

    def restart(self):
        self._ctl("restart", "-m", "fast")

    def close(self):
        try:
            self._ctl("stop", "-m", "fast")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, sql, database="postgres"):
        subprocess.run(
            ["psql", self.url(database), "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
            check=True, capture_output=True,
        )  # fmt: skip


class OwnedRedis:
    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="tilmash-bench-redis-")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.folder,
             "--save", "3600 1", "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_until(self._answers, 10):
            raise RuntimeError("the bench's redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def close(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def desk_login(url, username="bench-editor-1"):
    """A desk login POST (with its CSRF token): the answer's status, and when it was sent."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"{url}/admin/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    ).encode()
    sent = time.time()
    try:
        with opener.open(f"{url}/admin/login/", data, timeout=30) as response:
            return response.status, sent
    except urllib.error.HTTPError as error:
        return error.code, sent


def windows(counts, began):
    """``{kind: {"count", "first_s", "last_s"}}`` from wrk's per-second counts."""
    kinds = defaultdict(lambda: {"count": 0, "first_s": None, "last_s": None})
    for (second, kind), count in counts.items():
        entry = kinds[kind]
        at = second - int(began)
        entry["count"] += count
        entry["first_s"] = at if entry["first_s"] is None else min(entry["first_s"], at)
        entry["last_s"] = at if entry["last_s"] is None else max(entry["last_s"], at)
    return dict(sorted(kinds.items()))


def _described(kinds):
    """``{kind: {count, first_s, last_s}}`` as one line: "503: 12 (36–38 s); …"."""
    return "; ".join(
        f"{kind}: {entry['count']} ({entry['first_s']}–{entry['last_s']} s)"
        for kind, entry in kinds.items()
    )


def run(seconds=60, articles=1000, log=print):
    figures = {"faults_seconds": seconds, "faults_articles": articles}
    postgres, cache = OwnedPostgres(), OwnedRedis()
    try:
        postgres.start()
        cache.start()
        postgres.psql("CREATE DATABASE tilmash_faults")
        database_url = postgres.url("tilmash_faults")
        env = base_env(database_url, REDIS_URL=cache.url, TILMASH_PUBLIC_CACHE_SECONDS=300)
        log(f"   faults: a corpus of {articles} articles in the bench's own cluster …")
        manage(env, "migrate", "--noinput", "-v0")
        report = Path(tempfile.mkstemp(suffix=".json")[1])
        manage(env, "bench_corpus", "--articles", str(articles), "--long-articles", "0",
               "--json", str(report))  # fmt: skip
        static_root = collectstatic(env)
        env = dict(env, BENCH_STATIC_ROOT=static_root)
        figures.update(_load(env, postgres, cache, seconds, articles, log))
        shutil.rmtree(static_root, ignore_errors=True)
    finally:
        cache.close()
        postgres.close()
    return figures


def _load(env, postgres, cache, seconds, articles, log):
    step = max(1, articles // 150)
    paths = [
        f"/{LANGUAGES[n % 3]}/articles/{SLUG_PREFIX}{index:07d}/"
        for n, index in enumerate(range(0, articles, step))
    ]
    paths += [f"/{code}/" for code in LANGUAGES]
    folder = Path(tempfile.mkdtemp(prefix="tilmash-bench-faults-"))
    (folder / "paths.txt").write_text("\n".join(paths) + "\n")
    (folder / "counts.lua").write_text(COUNTS_SCRIPT)
    counts_file, saves_file = folder / "counts.txt", folder / "saves.json"
    events = {}
    server = Server(env=env, port=free_port(), log=RESULTS / "gunicorn-faults.log")
    with server:
        for path in paths:  # every page once in the cache before the faults
            fetch(server.url + path)
        translators = subprocess.Popen(
            [PYTHON, "-m", "bench.translators", "--seconds", str(seconds), "--json",
             str(saves_file)],
            env=env, cwd=ROOT,
        )  # fmt: skip
        began = time.time()
        wrk = subprocess.Popen(
            [WRK, "-t2", "-c64", f"-d{seconds}s", "--timeout", "30s", "-s",
             str(folder / "counts.lua"), server.url + paths[0]],
            env=dict(os.environ, BENCH_PATHS=str(folder / "paths.txt"),
                     BENCH_COUNTS=str(counts_file)),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip

        def at(fraction):
            time.sleep(max(0.0, began + fraction * seconds - time.time()))
            return round(time.time() - began, 1)

        def status(function, *args):
            try:
                return function(*args)[0]
            except OSError as error:
                return f"{type(error).__name__}"

        def probe(name, function, *args):
            sent = time.time()
            try:
                answer, sent = (function(*args)[0], sent) if function is fetch else function(*args)
            except OSError as error:
                answer = type(error).__name__
            events[name] = (
                f"{answer}, sent at {sent - began:.1f} s, answered at {time.time() - began:.1f} s"
            )

        def probes():
            # Beside the schedule, at once: under full load an answer may queue for seconds.
            asked = [
                threading.Thread(target=probe, args=(name, function, *args))
                for name, function, *args in (
                    ("redis_down_article", fetch, server.url + paths[1]),
                    ("redis_down_list", fetch, server.url + "/en/"),
                    ("redis_down_login", desk_login, server.url),
                )
            ]
            for thread in asked:
                thread.start()
            for thread in asked:
                thread.join()

        def faults():
            events["redis_stopped_s"] = at(0.25)
            cache.stop()
            prober = threading.Thread(target=probes)
            prober.start()
            at(0.25 + 1 / 6)
            cache.start()
            events["redis_started_s"] = round(time.time() - began, 1)
            events["postgres_restart_s"] = at(0.6)
            postgres.restart()
            back = time.time()
            events["postgres_accepting_s"] = round(back - began, 1)
            wait_until(lambda: status(fetch, server.url + "/en/?page=2") == 200, 30, step=0.05)
            events["serving_again_after_postgres_s"] = round(time.time() - back, 2)
            prober.join()

        thread = threading.Thread(target=faults)
        thread.start()
        output = wrk.communicate()[0].decode()
        thread.join()
        translators.wait(timeout=seconds + 120)
    counts, socket_errors, total = {}, [0, 0, 0, 0], 0
    for line in counts_file.read_text().splitlines():
        parts = line.split()
        if parts[0] == "socket":
            socket_errors = [int(value) for value in parts[1:]]
        elif parts[0] == "total":
            total = int(parts[1])
        else:
            key = (int(parts[0]), parts[1])
            counts[key] = counts.get(key, 0) + int(parts[2])
    answers = windows(counts, began)
    saves = json.loads(saves_file.read_text())
    save_errors = {
        name: {
            "count": kind["count"],
            "first_s": round(kind["first"] - began, 1),
            "last_s": round(kind["last"] - began, 1),
        }
        for name, kind in saves.get("error_kinds", {}).items()
    }
    figures = {
        "faults_requests": total,
        "faults_answers": _described(answers),
        "faults_errors": sum(v["count"] for k, v in answers.items() if k[0] in "45"),
        "faults_stale_served": answers.get("200-stale", {}).get("count", 0),
        "faults_socket_errors": ", ".join(
            f"{name} {count}" for name, count in zip(SOCKET_ERRORS, socket_errors, strict=True)
        ),
        **{f"faults_{name}": value for name, value in events.items()},
        "faults_saves": saves["saves"],
        "faults_save_conflicts": saves["conflicts"],
        "faults_save_errors": _described(save_errors) or "none",
        "faults_lost_saves": saves["lost_updates"],
    }
    if "Requests/sec" not in output:
        figures["faults_wrk_output"] = output[-500:]
    shutil.rmtree(folder, ignore_errors=True)
    log(f"   faults: {json.dumps(figures, indent=1)}")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    figures = run(args.seconds, args.articles)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
