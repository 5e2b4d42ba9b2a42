"""The database unavailable: a clean 503, cached pages still served, and recovery
without a restart (gunicorn in front of a TCP proxy that the test cuts)."""

import logging
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from tests.factories import article_with_paragraphs, editor, publish
from tests.translations.test_caching import detail_url

from .helpers import TcpProxy, free_port, gunicorn_serving, wait_until

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def database_down(monkeypatch):
    """From now on every query fails as a lost connection does."""

    def down():
        def refused(*args, **kwargs):
            raise OperationalError("connection to server failed: Connection refused")

        monkeypatch.setattr(type(connections["default"]), "cursor", refused)

    return down


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_database_is_a_503_page_not_a_traceback(client, monkeypatch, error):
    def refused(*args, **kwargs):
        raise error("the connection is closed")

    monkeypatch.setattr(type(connections["default"]), "cursor", refused)

    response = client.get("/en/")

    assert response.status_code == 503
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "The database is unavailable." in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_503_page_is_translated(client, database_down):
    database_down()

    response = client.get("/ru/")

    assert response.status_code == 503
    assert '<html lang="ru">' in response.content.decode()


@pytest.mark.django_db
def test_a_desk_write_is_told_nothing_was_saved(database_down):
    editor_user = editor("desk-writer", is_staff=True)
    client = Client()
    client.force_login(editor_user)
    database_down()

    page = client.post(reverse("admin:login"), {"username": "desk-writer", "password": "pw"})
    script = client.post(
        reverse("admin:index"), {"anything": "1"}, headers={"Accept": "application/json"}
    )

    assert page.status_code == 503
    assert "Nothing was saved." in page.content.decode()
    assert script.status_code == 503
    assert script.json() == {
        "error": "The database is unavailable: nothing was saved.",
        "saved": False,
    }


@pytest.mark.django_db
def test_an_outage_is_logged_once_a_minute_not_once_a_request(
    client, database_down, monkeypatch, caplog
):
    from config import middleware

    monkeypatch.setattr(middleware, "_logged", {"at": None, "answered": 0})
    database_down()

    with caplog.at_level(logging.WARNING):
        statuses = [client.get(path).status_code for path in ["/en/", "/ru/", "/kk/"] * 3]

    assert statuses == [503] * 9
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in records] == ["config.middleware"]
    assert "The database is unavailable" in records[0].getMessage()


def test_handler500_answers_503_for_an_outage_met_outside_a_view(rf):
    from config.middleware import server_error

    request = rf.post("/admin/login/")
    try:
        raise InterfaceError("connection already closed")  # as a session saved after the view
    except InterfaceError:
        outage = server_error(request)
    try:
        raise ValueError("a bug")
    except ValueError:
        bug = server_error(rf.get("/en/"))

    assert outage.status_code == 503
    assert "Nothing was saved." in outage.content.decode()
    assert bug.status_code == 500


@pytest.mark.django_db
def test_a_bad_query_is_still_a_500(client, monkeypatch):
    from django.db import ProgrammingError

    def broken(*args, **kwargs):
        raise ProgrammingError("relation does not exist")

    monkeypatch.setattr(type(connections["default"]), "cursor", broken)
    client.raise_request_exception = False

    assert client.get("/en/").status_code == 500


@pytest.mark.django_db
def test_a_cached_article_page_is_served_stale_while_the_database_is_down(client, database_down):
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    fresh = client.get(detail_url(article, "en"))
    assert fresh.status_code == 200 and "X-Tilmash-Stale" not in fresh.headers
    other = article_with_paragraphs(count=2)
    publish(other, "en")
    database_down()

    stale = client.get(detail_url(article, "en"))
    never_cached = client.get(detail_url(other, "en"))

    assert stale.status_code == 200
    assert stale["X-Tilmash-Stale"] == "1"
    assert stale.content == fresh.content
    assert "ETag" not in stale.headers  # nothing to revalidate against later
    assert never_cached.status_code == 503


@pytest.mark.django_db
def test_with_redis_a_cached_page_needs_no_database_at_all(
    redis_cache_site, database_down, django_capture_on_commit_callbacks
):
    article = article_with_paragraphs(count=2)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, "en")
    client = Client()
    fresh = client.get(detail_url(article, "en"))
    database_down()

    response = client.get(detail_url(article, "en"))

    assert response.status_code == 200
    assert response.content == fresh.content
    assert "X-Tilmash-Stale" not in response.headers  # it is the current version


# --- gunicorn, PostgreSQL behind a proxy the test cuts ------------------------------


def get(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return set(children.read_text().split())


@pytest.fixture
def gunicorn_via_proxy(transactional_db, redis_server):
    """gunicorn -w 2 on the test database through a ``TcpProxy``, caching in ``redis_server``."""
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    port = free_port()
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "REDIS_URL": redis_server.url,
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Every request reaches the database: none is answered from what a
        # worker kept of a page for a second (translations.pages).
        "TILMASH_PUBLIC_PAGES_MEMORY_SECONDS": "0",
    }
    env.pop("TEST_DATABASE_NAME", None)
    try:
        with gunicorn_serving(env, port=port, timeout=15) as (url, process):
            yield url, proxy, process
    finally:
        proxy.close()


@pytest.mark.postgres
def test_gunicorn_workers_recover_by_themselves_after_the_database_returns(gunicorn_via_proxy):
    url, proxy, process = gunicorn_via_proxy
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    page = url + detail_url(article, "en")
    for _ in range(6):  # both workers hold a kept connection, the page is cached
        assert get(url + "/en/")[0] == 200
        assert get(page)[0] == 200
    workers = worker_pids(process.pid)
    assert len(workers) == 2

    proxy.cut()
    listing = get(url + "/en/")
    probe = get(url + "/healthz")
    cached = get(page)
    proxy.restore()
    started = time.monotonic()
    recovered = wait_until(lambda: get(url + "/en/")[0] == 200, timeout=10, step=0.1)
    seconds = time.monotonic() - started

    assert listing[0] == 503
    assert "The database is unavailable." in listing[2]
    assert "Traceback" not in listing[2]
    assert probe[0] == 503
    assert cached[0] == 200  # served from Redis without the database
    assert recovered, "the site did not serve again after the database returned"
    print(f"served again {seconds:.2f} s after the database returned")
    for _ in range(6):  # every worker, not only the first to answer
        assert get(url + "/en/")[0] == 200
        assert get(url + "/healthz")[0] == 200
    assert worker_pids(process.pid) == workers  # no worker was restarted
