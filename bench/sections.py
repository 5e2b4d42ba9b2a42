"""The parts of a bench run; each adds named figures to ``Run.figures``."""

import http.cookiejar
import json
import re
import socket
import statistics
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from . import databases
from .names import PASSWORD, SLUG_PREFIX
from .rounds import page_rounds, scale_rounds, server_rounds
from .server import PYTHON, ROOT, Server, fetch, wrk_run, wrk_start, wrk_wait

RESULTS = ROOT / "bench" / "results"
LANGUAGES = ("kk", "ru", "en")
REDIS_URL = "redis://127.0.0.1:6379/9"
# A 12-paragraph article (the first three are the 300-paragraph ones).
DETAIL_PATH = f"/en/articles/{SLUG_PREFIX}{10:07d}/"
DETAIL_300_PATH = f"/en/articles/{SLUG_PREFIX}{0:07d}/"
# The public pages measured against a ceiling of their own bytes: name, path.
CEILING_PAGES = {
    "detail": DETAIL_PATH,
    "detail_300": DETAIL_300_PATH,
    "list": "/en/",
    "feed": "/en/feed/",
}
# The cache configurations of the public pages: figure suffix, server environment.
# "No cache" is the operator's none:// (no page cache, sessions in the database).
CACHE_CONFIGURATIONS = (
    ("", {"CACHE_URL": "none://"}),
    ("_cached", {"TILMASH_PUBLIC_CACHE_SECONDS": 300}),
    ("_cached_redis", {"TILMASH_PUBLIC_CACHE_SECONDS": 300, "REDIS_URL": REDIS_URL}),
)
# Connections for the latency figures of readers queueing (…_p99_ms_c64).
WIDE_CONNECTIONS = 64
# Distinct article pages per corpus in the scale comparison.
SCALE_PAGES = 1000


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def spread_paths(articles, count=200):
    """``count`` article pages spread over the whole corpus, in every language."""
    step = max(1, (articles - 3) // count)
    return [
        f"/{LANGUAGES[n % 3]}/articles/{SLUG_PREFIX}{index:07d}/"
        for n, index in enumerate(range(3, articles, step))
    ][:count]


class Run:
    def __init__(self, *, plan, static_root, figures, log):
        self.plan = plan
        self.static_root = static_root
        self.figures = figures
        self.log = log
        self.ceiling_dir = Path(tempfile.mkdtemp(prefix="tilmash-bench-"))

    # --- helpers ------------------------------------------------------------------------

    def server(self, database, port=None, **extra):
        env = database.env(
            BENCH_STATIC_ROOT=self.static_root, BENCH_CEILING_DIR=self.ceiling_dir, **extra
        )
        return Server(env=env, port=port or free_port(), log=RESULTS / "gunicorn.log")

    def ceiling_from(self, server, name, path):
        """The ceiling ``name`` serves the bytes the page at ``path`` serves now (taken
        once per run, from the first server; read once per worker)."""
        target = self.ceiling_dir / name
        if not target.exists():
            request = urllib.request.Request(server.url + path)
            with urllib.request.urlopen(request, timeout=60) as response:
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}")
                (self.ceiling_dir / f"{name}.type").write_text(response.headers["Content-Type"])
                target.write_bytes(response.read())
        size = len(target.read_bytes())
        self.figures.setdefault(
            "ceiling_bytes" if name == "detail" else f"ceiling_bytes_{name}", size
        )

    def rounds(self, server, path, **kwargs):
        plan = self.plan
        return page_rounds(
            server,
            path,
            rounds=kwargs.pop("rounds", plan["rounds"]),
            seconds=plan["seconds"],
            warmup=plan["warmup"],
            **kwargs,
        )

    def keep(self, prefix, tag, result):
        for key, value in result.items():
            self.figures[f"{prefix}_{key}_{tag}"] = value

    def inprocess_run(self, database, section, *, reps=None, extra=(), env=None):
        out = Path(tempfile.mkstemp(suffix=".json")[1])
        command = [PYTHON, "-m", "bench.inprocess", section, "--json", str(out)]
        command += ["--reps", str(reps or self.plan["reps"]), *extra]
        env = database.env(BENCH_STATIC_ROOT=self.static_root, **(env or {}))
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"bench.inprocess {section} failed:\n{done.stderr[-1500:]}")
        return json.loads(out.read_text())

    # --- sections -----------------------------------------------------------------------

    def public_pages(self, database, tag):
        """The public pages, each against a ceiling of its own bytes in the same rounds:
        the article page (12 and 300 paragraphs) with no cache, the local-memory cache
        and Redis; the list and the feed with no cache; what the public reads'
        middleware saves on the ceiling itself."""
        plan = self.plan
        half = max(1, plan["rounds"] // 2)
        for suffix, env in CACHE_CONFIGURATIONS:
            with self.server(database, **env) as server:
                for name, path in CEILING_PAGES.items():
                    self.ceiling_from(server, name, path)
                for figure, name, rounds in (
                    ("public_detail", "detail", plan["rounds"]),
                    ("public_detail_300", "detail_300", half),
                ):
                    result = self.rounds(
                        server,
                        CEILING_PAGES[name],
                        ceiling=f"/en/bench/ceiling/{name}/",
                        rounds=rounds,
                        wide=WIDE_CONNECTIONS if name == "detail" else None,
                    )
                    self.keep(figure + suffix, tag, result)
                    self.log(
                        f"   {figure}{suffix or ' (no cache)'}: {result['qps']} q/s, "
                        f"ratio {result['qps_ratio']}, p99 at {WIDE_CONNECTIONS} connections "
                        f"{result.get(f'p99_ms_c{WIDE_CONNECTIONS}', '—')} ms"
                    )
                if suffix:
                    continue
                for name in ("list", "feed"):
                    result = self.rounds(
                        server,
                        CEILING_PAGES[name],
                        ceiling=f"/en/bench/ceiling/{name}/",
                        rounds=half,
                        wide=WIDE_CONNECTIONS,
                    )
                    self.keep(f"public_{name}", tag, result)
                    self.log(f"   {name}: {result['qps']} q/s, ratio {result['qps_ratio']}")
                # The ceiling on a second server where every request takes the desk's
                # full middleware stack, over this one's (public reads skip part of it).
                with self.server(database, BENCH_DESK_STACK=1, **env) as desk:
                    result = server_rounds(
                        server,
                        desk,
                        "/en/bench/ceiling/detail/",
                        rounds=half,
                        seconds=plan["seconds"],
                        warmup=plan["warmup"],
                    )
                self.figures[f"ceiling_desk_stack_qps_ratio_{tag}"] = result["qps_ratio"]
                self.figures[f"ceiling_desk_stack_cpu_ratio_{tag}"] = result["cpu_ratio"]
                self.log(f"   ceiling, desk stack over public reads: {result}")

    def inprocess(self, postgres, sqlite):
        """Query counts on both databases; the desk and the importer on PostgreSQL."""
        for database, tag in ((sqlite, "sqlite"), (postgres, "pg")):
            result = self.inprocess_run(database, "public")
            for key, value in result.items():
                self.figures[key if tag == "pg" else f"{key}_{tag}"] = value
            # The per-request fixed costs against what they replaced (bench/fixed.py).
            result = self.inprocess_run(database, "fixed")
            self.figures.update({f"{key}_{tag}": value for key, value in result.items()})
            self.log(f"   fixed costs, {tag}: {json.dumps(result)[:400]}")
        result = self.inprocess_run(postgres, "desk")
        for key, value in result.items():
            self.figures[key.replace("review_queue", "review_queue_10k")] = value
        self.log(f"   desk: {json.dumps(result)[:400]}")
        result = self.inprocess_run(postgres, "import", reps=self.plan["import_files"], extra=())
        self.figures.update(result)
        self.log(f"   import: {result}")
        result = self.inprocess_run(postgres, "dashboard")
        self.figures.update({f"{key}_10k": value for key, value in result.items()})
        self.log(f"   dashboard: {json.dumps(result)[:400]}")

    def bounded(self, postgres, sqlite):
        """Per-request computations at their maximum input (bench/bounded.py): all of them
        on PostgreSQL, the translation memory (a different path) on SQLite too."""
        result = self.inprocess_run(postgres, "bounded", reps=self.plan["bounded_reps"])
        self.figures.update(result)
        result = self.inprocess_run(
            sqlite, "bounded", reps=self.plan["bounded_reps"], env={"BENCH_BOUNDED_ONLY": "tm"}
        )
        self.figures.update(result)
        self.log(f"   bounded: {json.dumps(self.figures)[-600:]}")

    def large(self, postgres, large):
        """The article page at the large corpus against the 10k one (both PostgreSQL)."""
        wanted = self.plan["large_articles"]
        have = databases.bench_articles(large)
        if self.plan.get("large_explicit") or have < 50_000:
            databases.prepare(large, articles=wanted, extend=True, log=self.log)
        else:
            self.log(f"  {large.name}: reusing {have:,} bench articles")
            databases.manage(large.env(), "migrate", "--noinput", "-v0")
        articles = databases.bench_articles(large)
        self.figures["scale_corpus_articles"] = articles
        self.figures["scale_corpus_bytes"] = databases.size_bytes(large)
        report_path = large.report_path
        if report_path.exists():
            self.figures["corpus_rows_per_s_large"] = json.loads(report_path.read_text()).get(
                "rows_per_s"
            )
        # Both corpora served at once and measured in turns, so drift in the
        # machine's other load falls on both alike.
        with (
            self.server(postgres, TILMASH_PUBLIC_CACHE_SECONDS=0) as small,
            self.server(large, TILMASH_PUBLIC_CACHE_SECONDS=0) as big,
        ):
            result = scale_rounds(
                (small, spread_paths(self.plan["pg_articles"], SCALE_PAGES)),
                (big, spread_paths(articles, SCALE_PAGES)),
                rounds=self.plan["rounds"],
                seconds=self.plan["seconds"],
                warmup=self.plan["warmup"],
            )
            # The list page is not a target, but it must not grow with the archive either.
            for name, server in (("10k", small), ("large", big)):
                listed = wrk_run(server.url + "/en/", seconds=self.plan["seconds"] * 2)
                # No answer within the run leaves wrk with no latency to report.
                result[f"public_list_p50_ms_{name}"] = listed.p50_ms if listed.requests else None
                result[f"public_list_requests_{name}"] = listed.requests
        small_p50, large_p50 = result["public_list_p50_ms_10k"], result["public_list_p50_ms_large"]
        if small_p50 and large_p50:
            result["public_list_p50_ms_large_over_10k"] = round(large_p50 / small_p50, 3)
        self.figures.update(result)
        queue = self.inprocess_run(large, "queue")
        for key, value in queue.items():
            self.figures[key.replace("review_queue", "review_queue_100k")] = value
        dashboard = self.inprocess_run(large, "dashboard")
        self.figures.update({f"{key}_large": value for key, value in dashboard.items()})

    def load(self, postgres):
        """wrk at 64 connections on article and list pages while 20 translators save."""
        seconds = self.plan["load_seconds"]
        paths = spread_paths(self.plan["pg_articles"], 150)
        paths += [f"/{code}/" for code in LANGUAGES] + [f"/{code}/?page=2" for code in LANGUAGES]
        out = Path(tempfile.mkstemp(suffix=".json")[1])
        with self.server(postgres) as server:
            translators = subprocess.Popen(
                [PYTHON, "-m", "bench.translators", "--seconds", str(seconds), "--json", str(out)],
                env=postgres.env(),
                cwd=ROOT,
            )
            wrk = wrk_start(server.url + paths[0], seconds=seconds, connections=64, paths=paths)
            public = wrk_wait(wrk)
            translators.wait(timeout=seconds + 120)
        saves = json.loads(out.read_text())
        self.figures.update(
            {
                "load_seconds": seconds,
                "load_qps": public.qps,
                "load_p50_ms": public.p50_ms,
                "load_p99_ms": public.p99_ms,
                "load_requests": public.requests,
                "load_http_errors": public.errors,
                "load_save_errors": saves["errors"],
                "load_errors": public.errors + saves["errors"] + (translators.returncode != 0),
                "lost_updates": saves["lost_updates"],
                "load_saves": saves["saves"],
                "load_conflicts": saves["conflicts"],
                "load_save_p50_ms": saves["save_p50_ms"],
                "load_save_p99_ms": saves["save_p99_ms"],
                "load_translators": saves["translators"],
            }
        )
        if saves["error_samples"]:
            self.figures["load_error_sample"] = saves["error_samples"][0][:300]
        self.log(f"   load: {public.as_dict()}, saves {saves}")

    def scaleout(self, postgres):
        """Two gunicorn instances sharing PostgreSQL and Redis (cache and sessions)."""
        extra = {"REDIS_URL": REDIS_URL, "TILMASH_PUBLIC_CACHE_SECONDS": 300}
        with self.server(postgres, **extra) as first, self.server(postgres, **extra) as second:
            wrk_run(first.url + DETAIL_PATH, seconds=self.plan["warmup"])
            wrk_run(second.url + DETAIL_PATH, seconds=self.plan["warmup"])
            singles, pairs = [], []
            for _round in range(self.plan["scaleout_rounds"]):
                singles.append(wrk_run(first.url + DETAIL_PATH, seconds=self.plan["seconds"]).qps)
                both = [
                    wrk_start(url + DETAIL_PATH, seconds=self.plan["seconds"], threads=1,
                              connections=4)
                    for url in (first.url, second.url)
                ]  # fmt: skip
                pairs.append(sum(wrk_wait(process).qps for process in both))
            shared = session_shared(first.url, second.url)
            cached = cache_shared()
        single, pair = statistics.median(singles), statistics.median(pairs)
        self.figures.update(
            {
                "scaleout_qps_single": round(single, 1),
                "scaleout_qps_pair": round(pair, 1),
                "scaleout_qps_ratio": round(pair / single, 3),
                "scaleout_shared_session": int(shared),
                "scaleout_shared_cache_pages": cached,
            }
        )
        self.log(f"   scale-out: {single:.0f} → {pair:.0f} q/s, shared session {shared}")
        self.scaleout_replica()

    def scaleout_replica(self):
        """The same with a streaming read replica: a primary and replica of the bench's own
        (bench/replica.py), public pages over a corpus, one server, two, two with the replica."""
        from . import replica

        reason = replica.available()
        if reason:
            self.figures["scaleout_replica_skipped"] = reason
            return
        plan = self.plan
        self.figures.update(
            replica.measure(
                articles=plan.get("replica_articles", plan["faults_articles"]),
                rounds=plan["scaleout_rounds"],
                seconds=plan["seconds"],
                warmup=plan["warmup"],
                static_root=self.static_root,
                redis_url=REDIS_URL,
                log=self.log,
                results=RESULTS,
            )
        )

    def faults(self):
        """wrk at 64 connections while Redis stops and PostgreSQL restarts (bench/faults.py)."""
        from . import faults

        self.figures.update(
            faults.run(self.plan["faults_seconds"], self.plan["faults_articles"], log=self.log)
        )

    def profiles(self, postgres, large):
        """pyinstrument profiles (bench/results/profile-*.txt) for the missed targets."""
        missed = {
            "public": (
                "public_detail_qps_ratio",
                "public_detail_cached_qps_ratio",
                "public_detail_cached_redis_qps_ratio",
            ),
            "public_300": (
                "public_detail_300_qps_ratio",
                "public_detail_300_cached_qps_ratio",
                "public_detail_300_cached_redis_qps_ratio",
            ),
            "list": ("public_list_qps_ratio",),
            "feed": ("public_feed_qps_ratio",),
            "editor": ("editor_300_p50_ms",),
            "review": ("review_page_300_p50_ms",),
            "save": ("save_300_p50_ms",),
            "approve": ("approve_p50_ms",),
            "import": ("import_1000_files_s",),
        }

        def missed_target(figure):
            # Measured and missed: a skipped section's figures are None, not a miss.
            return self.figures.get(figure) is not None and not self.figures.get(f"{figure}__met")

        wanted = [name for name, figures in missed.items() if any(map(missed_target, figures))]
        runs = [(postgres, wanted)]
        if missed_target("review_queue_100k_p50_ms"):
            runs.append((large, ["queue"]))
        for database, names in runs:
            if not names:
                continue
            result = self.inprocess_run(
                database,
                "profile",
                reps=max(3, self.plan["reps"] // 2),
                env={"BENCH_PROFILE": ",".join(names), "BENCH_PROFILE_DIR": str(RESULTS)},
            )
            self.figures.update(
                {key: str(Path(value).relative_to(ROOT)) for key, value in result.items()}
            )
            self.log(f"   profiles: {', '.join(result.values())}")


def cache_shared():
    """Article pages the instances put in the shared Redis cache (0: not shared)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    return sum(1 for _key in client.scan_iter(match="*tilmash:public:article*", count=1000))


def session_shared(first, second, username="bench-editor-1"):
    """Log in on one instance; is the session good on the other?"""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{first}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    ).encode()
    opener.open(f"{first}/admin/login/?next=/admin/", data)
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "sessionid=" not in cookies:
        return False
    status, body = fetch(f"{second}/admin/", headers={"Cookie": cookies})
    return status == 200 and b'id="logout-form"' in body


HEADLINE_RATIOS = (
    "public_detail_qps_ratio",
    "public_detail_cached_qps_ratio",
    "public_detail_cached_redis_qps_ratio",
    "public_detail_300_qps_ratio",
    "public_detail_300_cached_qps_ratio",
    "public_detail_300_cached_redis_qps_ratio",
    "public_list_qps_ratio",
    "public_feed_qps_ratio",
)


def headline(figures):
    """The brief's figures: the worse of SQLite and PostgreSQL where both ran."""
    for name in (*HEADLINE_RATIOS, f"public_detail_p99_ms_c{WIDE_CONNECTIONS}"):
        values = [figures.get(f"{name}_{tag}") for tag in ("sqlite", "pg")]
        values = [value for value in values if value is not None]
        if values:
            figures[name] = max(values) if "_p99_" in name else min(values)
    if "public_detail_ceiling_qps_pg" in figures:
        figures["ceiling_qps_pg"] = figures["public_detail_ceiling_qps_pg"]
    if "public_detail_queries_sqlite" in figures and "public_detail_queries" in figures:
        figures["public_detail_queries"] = max(
            figures["public_detail_queries"], figures["public_detail_queries_sqlite"]
        )
