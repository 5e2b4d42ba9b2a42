"""What the environment makes of the cache and the database connection.

The settings module is run afresh for each environment (``runpy``), so these
tests read what a server started with that environment would get.
"""

import runpy
import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test.client import RequestFactory

from tests.factories import article_with_paragraphs, editor, publish
from tests.translations.test_caching import detail_url

SETTINGS = Path(__file__).resolve().parent.parent / "config" / "settings.py"


@pytest.fixture
def settings_with(monkeypatch):
    def run(**environment):
        for name in ("CACHE_URL", "REDIS_URL", "DATABASE_URL", "CONN_MAX_AGE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("SECRET_KEY", "settings-test-key")
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return run


@pytest.mark.parametrize(
    ("environment", "backend", "sessions"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache", "db"),
        ({"CACHE_URL": "locmem://"}, "django.core.cache.backends.locmem.LocMemCache", "db"),
        ({"CACHE_URL": "none://"}, "django.core.cache.backends.dummy.DummyCache", "db"),
        ({"CACHE_URL": "dummy://"}, "django.core.cache.backends.dummy.DummyCache", "db"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/2"}, "config.redis_cache.RedisCache", "cached_db"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/2"}, "config.redis_cache.RedisCache", "cached_db"),
        (
            {"CACHE_URL": "memcached://127.0.0.1:11211"},
            "django.core.cache.backends.memcached.PyMemcacheCache",
            "cached_db",
        ),
    ],
)
def test_cache_url_names_the_cache_and_where_sessions_live(
    settings_with, environment, backend, sessions
):
    values = settings_with(**environment)

    assert values["CACHES"]["default"]["BACKEND"] == backend
    engine = values.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
    assert engine == f"django.contrib.sessions.backends.{sessions}"
    assert values["TILMASH_PUBLIC_CACHE_SHARED"] is (sessions == "cached_db")


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("CACHE_URL", "dumy://"),
        ("CACHE_URL", "127.0.0.1:6379"),
        ("CACHE_URL", "file:///var/tmp/cache"),
        ("REDIS_URL", "memcached://127.0.0.1:11211"),
    ],
)
def test_an_unknown_cache_url_is_refused_with_what_is_allowed(settings_with, name, url):
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_with(**{name: url})

    message = str(refused.value)
    assert f"{name}={url!r}" in message
    assert "redis://" in message
    assert ("none://" in message) is (name == "CACHE_URL")


def test_sqlite_keeps_its_connection_with_immediate_transactions_and_wal(settings_with, tmp_path):
    values = settings_with(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")

    database = values["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_postgresql_gets_the_connection_guard(settings_with):
    values = settings_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/site")

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "config.db.postgresql"
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_requests_reuse_one_connection_that_keeps_its_settings(settings):
    """Through Django's own request cycle (its signals close connections that must go)."""
    connection.close()
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        handler = WSGIHandler()
        seen = []
        for _request in range(3):
            environ = RequestFactory().get("/en/").environ
            response = handler(environ, lambda status, headers: None)
            b"".join(response)
            response.close()  # request_finished
            seen.append(connection.connection)
        assert seen[0] is not None and seen[0] is seen[1] is seen[2]
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchone() == (1,)  # NORMAL, set when it opened
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone() == ("wal",)
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_kept_sqlite_connections_still_queue_their_writes_and_let_wal_checkpoint():
    """Three workers, each keeping its connection across ten requests, each request a
    read-then-write transaction: IMMEDIATE transactions queue them (no update lost, no
    "database is locked"), and the kept connections, idle, do not hold back a checkpoint."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own locking")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE kept_counter (n integer)")
        cursor.execute("INSERT INTO kept_counter VALUES (0)")
    workers, requests = 3, 10
    start = threading.Barrier(workers, timeout=30)
    done = threading.Barrier(workers + 1, timeout=60)
    idle = threading.Event()
    used, errors = {number: set() for number in range(workers)}, []

    def worker(number):
        connection.settings_dict["CONN_MAX_AGE"] = 60
        try:
            start.wait()
            for _request in range(requests):
                connection.close_if_unusable_or_obsolete()  # request_started
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM kept_counter")
                    (value,) = cursor.fetchone()
                    time.sleep(0.002)  # another worker would overwrite a stale read here
                    cursor.execute("UPDATE kept_counter SET n = %s", [value + 1])
                used[number].add(id(connection.connection))
                connection.close_if_unusable_or_obsolete()  # request_finished
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            done.wait()
            idle.wait(timeout=30)  # the connection stays open, idle, while checked
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    try:
        done.wait()
        with connection.cursor() as cursor:
            cursor.execute("SELECT n FROM kept_counter")
            total = cursor.fetchone()[0]
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
    finally:
        idle.set()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert total == workers * requests
    assert all(len(kept) == 1 for kept in used.values())  # one connection throughout
    assert busy == 0  # the idle kept connections hold no snapshot


@pytest.mark.django_db
def test_with_no_cache_pages_render_every_time_and_the_desk_signs_in(client, settings):
    """``CACHE_URL=none://``: nothing is kept, nothing breaks."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.TILMASH_PUBLIC_CACHE_SHARED = False
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    editor("no-cache-editor", is_staff=True)

    first, second = client.get(detail_url(article, "en")), client.get(detail_url(article, "en"))
    signed_in = client.post(
        "/admin/login/?next=/admin/", {"username": "no-cache-editor", "password": "pw"}
    )

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert signed_in.status_code == 302
    assert client.get("/admin/").status_code == 200
