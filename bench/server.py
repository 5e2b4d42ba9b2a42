"""A real server and a real load generator: gunicorn with production settings, wrk.

The server runs ``config.bench_settings`` (the production settings plus the
ceiling route) with DEBUG off, a SECRET_KEY, ALLOWED_HOSTS and HTTPS=0 (no
SSL redirect on plain HTTP), static files collected into a temporary
directory and served by whitenoise.
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WRK = "/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else "wrk"


def base_env(database_url, **extra):
    """The environment of every bench process: production settings on ``database_url``."""
    env = dict(os.environ)
    for name in ("CACHE_URL", "REDIS_URL", "TEST_DATABASE_NAME"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.bench_settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "HTTPS": "0",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "ERROR",
        }
    )
    env.update({name: str(value) for name, value in extra.items()})
    return env


def manage(env, *args, check=True, capture=False):
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=check,
        text=True,
        capture_output=capture,
    )


def collectstatic(env):
    """Collect static files once per bench run into a temporary directory."""
    static_root = tempfile.mkdtemp(prefix="tilmash-bench-static-")
    env = dict(env, BENCH_STATIC_ROOT=static_root)
    manage(env, "collectstatic", "--noinput", "-v0")
    return static_root


@dataclass
class Server:
    """One gunicorn instance; ``with Server(...) as server`` starts and stops it."""

    env: dict
    port: int
    workers: int = 2
    log: Path = field(default=None)
    process: subprocess.Popen = field(default=None, init=False)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        # Article pages are pre-built for the site's canonical origin: this server's.
        self.env["TILMASH_SITE_URL"] = self.url
        log = open(self.log or os.devnull, "a")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        self._log = log
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited; see {self.log}")
            try:
                status, _body = fetch(self.url + "/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn on port {self.port} did not answer /healthz")

    def cpu_snapshot(self):
        """``{pid: CPU seconds}`` of this server's workers and their PostgreSQL backends.

        Unlike requests per second, the CPU a request costs hardly depends on
        what else the machine is running.
        """
        pids = children_of(self.process.pid) + postgres_backends(self.env["DATABASE_URL"])
        return {pid: process_cpu_seconds(pid) for pid in pids}

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid):
    """User + system CPU time of one process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def postgres_backends(database_url):
    """Pids of the PostgreSQL backends serving ``database_url``'s database."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        return []
    name = parts.path.lstrip("/")
    output = subprocess.run(
        [
            "psql",
            urlunsplit(parts._replace(path="/postgres")),
            "-qAtc",
            "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
            f"AND datname = '{name}'",
        ],
        capture_output=True,
        text=True,
    ).stdout
    return [int(line) for line in output.split()]


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class WrkResult:
    qps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors plus non-2xx/3xx responses

    def as_dict(self):
        return {
            "qps": round(self.qps, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "requests": self.requests,
            "errors": self.errors,
        }


PATHS_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n %% #paths) + 1])
end
"""


def wrk_start(url, *, seconds, threads=2, connections=8, paths=None):
    """Start wrk against ``url`` (or, with ``paths``, a rotation of paths on its host)."""
    command = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    env = dict(os.environ)
    if paths:
        handle = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
        handle.write("\n".join(paths) + "\n")
        handle.close()
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(PATHS_SCRIPT.replace("%%", "%"))
        script.close()
        env["BENCH_PATHS"] = handle.name
        command += ["-s", script.name]
    command.append(url)
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wrk_wait(process):
    output, _ = process.communicate()
    return wrk_parse(output.decode())


def wrk_run(url, **kwargs):
    return wrk_wait(wrk_start(url, **kwargs))


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([0-9.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


def wrk_parse(output):
    qps = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    if qps is None:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([0-9.]+[a-z]+)", output, re.M))
    requests = int(re.search(r"([0-9]+) requests in", output).group(1))
    errors = 0
    sockets = re.search(
        r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)", output
    )
    if sockets:
        errors += sum(int(count) for count in sockets.groups())
    bad = re.search(r"Non-2xx or 3xx responses: ([0-9]+)", output)
    if bad:
        errors += int(bad.group(1))
    return WrkResult(
        qps=float(qps.group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=requests,
        errors=errors,
    )
