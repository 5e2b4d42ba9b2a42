"""The read-replica router's decisions, without a replica (tests/scaleout/test_replica.py
runs a real one): which reads go where, read-your-writes, and falling back."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config import routers
from translations.models import Article, Edition

ROOT = Path(__file__).resolve().parent.parent.parent


class FakeReplica:
    """What the middleware reads of the replica's connection."""

    def __init__(self):
        self.errors_occurred = False
        self.closed = 0

    def close(self):
        self.closed += 1


class Connections:
    """``django.db.connections`` with a replica alias that is not the primary."""

    def __init__(self, real):
        self.real = real
        self.replica = FakeReplica()

    def __getitem__(self, alias):
        return self.replica if alias == routers.REPLICA else self.real[alias]


@pytest.fixture
def replica(settings, monkeypatch):
    from django.db import connections

    settings.TILMASH_REPLICA_STICKY_SECONDS = 10
    settings.TILMASH_REPLICA_RETRY_SECONDS = 5
    fake = Connections(connections)
    monkeypatch.setattr(routers, "connections", fake)
    monkeypatch.setattr(routers, "_is_primary_itself", lambda: False)
    monkeypatch.setattr(routers, "_down_until", 0.0)
    return fake.replica


def where(model=Edition):
    return routers.ReplicaRouter().db_for_read(model)


def through(middleware_request, fail_once=False, replica=None):
    """Run ``ReplicaMiddleware`` on a request; where each pass of the view read."""
    reads = []

    def view(request):
        reads.append(where())
        if fail_once and len(reads) == 1 and reads[0] == routers.REPLICA:
            replica.errors_occurred = True
            return HttpResponse("unavailable", status=503)
        return HttpResponse("page")

    response = routers.ReplicaMiddleware(view)(middleware_request)
    return response, reads


def test_outside_a_public_request_everything_reads_the_primary(replica):
    assert where() == "default"
    with routers.public_reads():
        assert where() == "replica"
    assert where() == "default"


def test_writes_and_migrations_never_go_to_the_replica(replica):
    router = routers.ReplicaRouter()
    with routers.public_reads():
        assert router.db_for_write(Edition) == "default"
    assert router.allow_migrate("replica", "translations") is False
    assert router.allow_migrate("default", "translations") is None


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around it
def test_a_public_request_reads_the_person_and_its_transactions_from_the_primary(replica):
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    with routers.public_reads():
        assert where(Article) == "replica"
        assert where(Session) == "default"
        assert where(User) == "default"
        with transaction.atomic():
            assert where(Article) == "default"
        with routers.primary_reads():
            assert where(Article) == "default"
        assert where(Article) == "replica"


def test_a_mirror_of_the_primary_is_read_as_the_primary(replica, monkeypatch):
    monkeypatch.setattr(routers, "_is_primary_itself", lambda: True)
    with routers.public_reads():
        assert where() == "default"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/en/", "replica"),
        ("/kk-latn/articles/tram-line/", "replica"),
        ("/ru/feed/", "replica"),
        ("/en/search/", "replica"),
        ("/sitemap.xml", "replica"),
        ("/sitemap-2026-12-07.xml", "replica"),
        ("/api/v1/editions/kk", "replica"),
        ("/api/v1/editions/kk/tram-line", "replica"),
        ("/api/v1/articles/cms-42", "default"),
        ("/api/v1/openapi.json", "default"),
        ("/admin/", "default"),
        ("/admin/reviews/review/", "default"),
        ("/healthz", "default"),
        ("/english/", "default"),
    ],
)
def test_only_public_pages_read_the_replica(replica, path, expected):
    response, reads = through(RequestFactory().get(path))
    assert reads == [expected]
    assert routers.COOKIE not in response.cookies


def test_a_write_reads_the_primary_and_stamps_the_browser(replica, monkeypatch):
    monkeypatch.setattr(routers.time, "time", lambda: 1_000_000)
    response, reads = through(RequestFactory().post("/admin/login/"))

    assert reads == ["default"]
    cookie = response.cookies[routers.COOKIE]
    assert cookie.value == "1000000"
    assert cookie["max-age"] == 10
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("age", "expected"),
    [(0, "default"), (9, "default"), (11, "replica"), (-3600, "replica"), (None, "replica")],
)
def test_for_a_while_after_a_write_public_pages_read_the_primary(
    replica, monkeypatch, age, expected
):
    monkeypatch.setattr(routers.time, "time", lambda: 1_000_000)
    request = RequestFactory().get("/en/articles/tram-line/")
    if age is not None:
        request.COOKIES[routers.COOKIE] = str(1_000_000 - age)

    assert through(request)[1] == [expected]


def test_a_stamp_that_is_not_a_time_is_ignored(replica):
    request = RequestFactory().get("/en/")
    request.COOKIES[routers.COOKIE] = "always"

    assert through(request)[1] == ["replica"]


def test_a_request_the_replica_failed_is_answered_from_the_primary(replica):
    response, reads = through(RequestFactory().get("/en/"), fail_once=True, replica=replica)

    assert response.status_code == 200
    assert reads == ["replica", "default"]
    assert replica.closed == 1
    # The process leaves the replica alone for a while, then tries it again.
    assert through(RequestFactory().get("/ru/"))[1] == ["default"]
    routers.replica_down(seconds=0)
    assert through(RequestFactory().get("/ru/"))[1] == ["replica"]


@pytest.mark.django_db
def test_the_shared_cache_entry_is_read_from_the_primary(replica, settings):
    from tests.factories import article_with_paragraphs, publish
    from translations import cache as public_cache

    settings.DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    settings.TILMASH_PUBLIC_CACHE_SHARED = True
    article = article_with_paragraphs(count=1)
    publish(article, "en")

    with routers.public_reads() as reads:
        # Anything read from "replica" here would fail: the suite has no such database.
        live, _names, _page = public_cache.live_read(article.slug)

    assert [edition.language for edition in live.editions] == ["en"]
    assert not reads.used_replica


def settings_with(**environ):
    script = (
        "import json, config.settings as s;"
        "print(json.dumps({'databases': s.DATABASES, 'routers': getattr(s, 'DATABASE_ROUTERS', []),"
        "'middleware': s.MIDDLEWARE}, default=str))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DEBUG="1", **environ)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done.returncode, (json.loads(done.stdout) if done.returncode == 0 else done.stderr)


def test_the_settings_add_the_replica_only_when_named():
    primary = "postgres://postgres@127.0.0.1:5432/tilmash"
    _, plain = settings_with(DATABASE_URL=primary)
    _, replicated = settings_with(
        DATABASE_URL=primary, DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:55433/tilmash"
    )
    status, refused = settings_with(DATABASE_REPLICA_URL="postgres://127.0.0.1:55433/tilmash")

    assert list(plain["databases"]) == ["default"] and plain["routers"] == []
    assert plain["middleware"][0] != "config.routers.ReplicaMiddleware"
    replica = replicated["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("127.0.0.1", 55433, "reader")
    assert replica["CONN_MAX_AGE"] == replicated["databases"]["default"]["CONN_MAX_AGE"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replicated["routers"] == ["config.routers.ReplicaRouter"]
    assert replicated["middleware"][0] == "config.routers.ReplicaMiddleware"
    assert status != 0 and "DATABASE_REPLICA_URL needs PostgreSQL" in refused
