"""A real streaming replica under real gunicorn workers with the router.

A primary cluster of the test's own and a replica made from it with
``pg_basebackup`` (``bench.replica``; the shared PostgreSQL is only read, for
the test database's schema), gunicorn -w 2 reading public pages from the
replica. The replica's replay is paused while an editor approves on the
desk, so "not yet on the replica" is a state the test holds, not a race:

- the desk shows the approval at once (it reads the primary);
- the editor who approved sees it on the public page at once (read-your-writes);
- an anonymous reader sees the last replicated page until the replica has
  replayed the approval (``pg_last_wal_replay_lsn`` ≥ the primary's LSN), then the
  approved one, although the shared cache already names the new version (the page
  is rendered from the replica, served uncached, and not kept under the new name);
- with the replica stopped, public pages still answer, from the primary.

Skipped without PostgreSQL unless REQUIRE_POSTGRES=1 (then it fails).
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from bench import replica as replication

from ..faults.helpers import free_port, gunicorn_serving, wait_until

ROOT = Path(__file__).resolve().parent.parent.parent
SLUG = "replica-tram-line"
PAGE = f"/kk/articles/{SLUG}/"
BEFORE, AFTER = "Трамвай бұрынғы жолмен жүреді.", "Трамвай жаңа жолмен жүреді."

pytestmark = pytest.mark.postgres

SETUP = f"""
import json, sys
import django
django.setup()
from reviews import services
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from tests.reviews.helpers import submitted
from translations.services import edition_get_or_create

alice = translator("alice", is_staff=True)
erin = editor("erin", is_staff=True)
editor("frank", is_staff=True, first_name="Frank", last_name="Fox")
article = article_with_paragraphs(slug={SLUG!r}, texts=["The tram keeps its line.", "Two."])
publish(article, "en")
edition = assign(edition_get_or_create(article=article, language="kk"), alice)
first = submitted(alice, edition, [{BEFORE!r}, "Екі."])
services.version_approve(version=first, user=erin)
services.edition_reopen(edition=edition, user=alice)
second = submitted(alice, edition, [{AFTER!r}, "Екі."])
json.dump({{"version": second.pk}}, open(sys.argv[1], "w"))
"""


def _skip_or_fail(message):
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but the replica test {message}")
    pytest.skip(message)


def _env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TEST_DATABASE_NAME", "DATABASE_REPLICA_URL", "CACHE_URL", "REDIS_URL"}
    }
    env.update(ALLOWED_HOSTS="127.0.0.1", CONN_MAX_AGE="60", **extra)
    return env


def _run(command, **kwargs):
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed:\n{done.stderr[-2000:]}")
    return done.stdout


@pytest.fixture
def replicated_site(db, redis_server):
    """gunicorn -w 2 on a primary of its own with a streaming replica, the page cache
    and sessions in a Redis of its own (as several app servers run); the desk's data."""
    if connection.vendor != "postgresql":
        return  # the postgres mark skips the test
    reason = replication.available()
    if reason:
        _skip_or_fail(reason)
    source = connection.settings_dict
    schema_of = (
        f"postgres://{source['USER'] or 'postgres'}@{source['HOST'] or '127.0.0.1'}:"
        f"{source['PORT'] or 5432}/{source['NAME']}"
    )
    with replication.ReplicatedPostgres("tilmash_replica_test", durable=False) as pair:
        # The test database's migrated schema and rows, not a second migrate.
        dump = _run(["pg_dump", "--no-owner", "--no-privileges", schema_of])
        _run(["psql", pair.primary_url, "-v", "ON_ERROR_STOP=1", "-q"], input=dump)
        made = Path(tempfile.mkstemp(suffix=".json")[1])
        env = _env(DJANGO_SETTINGS_MODULE="config.test_settings", DATABASE_URL=pair.primary_url)
        _run([sys.executable, "-c", SETUP, str(made)], env=env)
        version = json.loads(made.read_text())["version"]
        made.unlink()
        port = free_port()
        env = _env(
            DJANGO_SETTINGS_MODULE="tests.scaleout.server_settings",
            DATABASE_URL=pair.primary_url,
            DATABASE_REPLICA_URL=pair.replica_url,
            REDIS_URL=redis_server.url,
            TILMASH_REPLICA_RETRY_SECONDS="1",
        )
        with gunicorn_serving(env, port=port) as (url, _process):
            yield url, pair, version


class Browser:
    """One person's cookies; no redirects followed."""

    def __init__(self):
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def get(self, url, data=None):
        try:
            with self.opener.open(url, data, timeout=15) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url, page_url, fields):
        """POST ``fields`` with the CSRF token of the form on ``page_url``."""
        page = self.get(page_url)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self.get(url, data)

    def forget(self, name):
        for cookie in [c for c in self.jar if c.name == name]:
            self.jar.clear(cookie.domain, cookie.path, cookie.name)

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


def test_public_pages_read_the_replica_the_desk_and_the_writer_the_primary(replicated_site):
    url, pair, version = replicated_site
    reader, frank = Browser(), Browser()
    assert pair.replica.wait_caught_up()
    before = [reader.get(url + PAGE) for _ in range(4)]  # both workers
    assert all(status == 200 and BEFORE in body for status, body in before)

    pair.replica.pause()
    login = frank.post(
        url + "/admin/login/?next=/admin/",
        url + "/admin/login/",
        {"username": "frank", "password": "pw", "next": "/admin/"},
    )
    review = f"{url}/admin/reviews/review/version/{version}/"
    decided = frank.post(f"{url}/admin/reviews/review/version/{version}/decide/", review,
                         {"decision": "approve", "comment": ""})  # fmt: skip
    assert login[0] == 302 and decided[0] == 302, decided[1][:500]
    lsn = replication.primary_lsn(pair.primary)

    # The replica has not replayed the approval, and cannot until it resumes.
    assert not pair.replica.caught_up(lsn)
    lagging = [reader.get(url + PAGE) for _ in range(4)]
    assert all(status == 200 and BEFORE in body for status, body in lagging)
    # The editor's own public page: the primary, for a while after the write.
    assert frank.cookie("tilmash_primary") is not None
    own = [frank.get(url + PAGE) for _ in range(4)]
    assert all(status == 200 and AFTER in body for status, body in own)
    # The desk never lags, stamp or no stamp.
    frank.forget("tilmash_primary")
    desk = [frank.get(review) for _ in range(4)]
    assert all(status == 200 and "Approved — Frank Fox" in body for status, body in desk)
    assert not pair.replica.caught_up(lsn)

    pair.replica.resume()
    assert wait_until(lambda: pair.replica.caught_up(lsn), timeout=30, step=0.02)
    after = [reader.get(url + PAGE) for _ in range(4)]
    assert all(status == 200 and AFTER in body for status, body in after)

    # The replica stopped: public pages answer from the primary, every worker.
    pair.replica.stop()
    down = [reader.get(url + path) for path in (PAGE, "/kk/", PAGE, "/kk/", PAGE, "/kk/feed/")]
    assert [status for status, _body in down] == [200] * 6
    assert AFTER in down[0][1] and AFTER in down[-2][1]
    assert Browser().get(url + "/healthz")[0] == 200
