"""Two real gunicorn workers with the local-memory cache: an approval made elsewhere shows
in both within ``TILMASH_PUBLIC_PAGES_MEMORY_SECONDS`` (``translations.pages``)."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import article_with_paragraphs, publish
from tests.faults.helpers import free_port, wait_until
from tests.translations.test_public_pages import approve_new_text

ROOT = Path(__file__).resolve().parent.parent.parent
BOUND = 1.0  # seconds: the setting the workers run with


def database_url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


class Workers:
    """gunicorn -w 2 on the test database; which worker answered is read from its access log."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "access.log"
        self.process = None

    def start(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "CACHE_URL", "TEST_DATABASE_NAME"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.test_settings",
            DATABASE_URL=database_url(connection.settings_dict),
            ALLOWED_HOSTS="127.0.0.1",
            TILMASH_SITE_URL=self.url,
            TILMASH_PUBLIC_PAGES_MEMORY_SECONDS=str(BOUND),
            CONN_MAX_AGE="60",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--timeout", "30", "--log-level", "warning",
             "--access-logfile", str(self.log), "--access-logformat", "%(p)s %(s)s"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        if not wait_until(self._answers, timeout=20):
            self.process.terminate()
            raise RuntimeError(self.process.communicate(timeout=10)[1].decode()[-2000:])

    def _answers(self):
        try:
            return self.get("/healthz")[1] == 200
        except OSError:
            return False

    def get(self, path):
        """``(worker pid, status, body)``: the access log's last line names the worker."""
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            status, body = response.status, response.read().decode()
        wait_until(lambda: len(self.log.read_text().splitlines()) > len(lines), timeout=5)
        return self.log.read_text().splitlines()[-1].split()[0], status, body

    def from_both(self, path, tries=60):
        """``{pid: [body, …]}`` of requests until both workers answered at least twice."""
        seen = {}
        for _ in range(tries):
            pid, status, body = self.get(path)
            assert status == 200
            seen.setdefault(pid, []).append(body)
            if len(seen) == 2 and all(len(bodies) >= 2 for bodies in seen.values()):
                break
        assert len(seen) == 2, "one worker answered every request"
        return seen

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def workers(transactional_db, tmp_path, settings):
    running = Workers(tmp_path)
    # Pages built in this process are built for the workers' origin.
    settings.TILMASH_SITE_URL = running.url
    try:
        yield running
    finally:
        running.stop()


def test_an_approval_shows_in_both_workers_within_the_bound(workers):
    article = article_with_paragraphs(count=2)
    publish(article, "en")  # committed; its pages are built after the commit
    workers.start()
    path = f"/en/articles/{article.slug}/"
    before = workers.from_both(path)
    assert all("<p>Paragraph 1.</p>" in body for bodies in before.values() for body in bodies)

    approve_new_text(article, "en", "Approved while both workers kept the page.")
    time.sleep(BOUND + 0.2)
    after = workers.from_both(path)

    for pid, bodies in after.items():
        for body in bodies:
            assert "Approved while both workers kept the page." in body, pid
            assert "<p>Paragraph 1.</p>" not in body
