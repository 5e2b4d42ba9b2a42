"""Redis stopped and started under the site: slower, never broken, never stale.

Each test runs a Redis of its own (``redis_cache_site``) and stops it for real.
"""

import logging
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config import redis_cache
from tests.factories import article_with_paragraphs, editor, publish
from tests.translations.test_caching import approve_new_text, detail_url
from translations import cache as public_cache

from .helpers import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(redis_cache_site, django_capture_on_commit_callbacks):
    article = article_with_paragraphs(count=3)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, "en")
    return article


def logged_in(username):
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": username, "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 302, response.content[:300]
    return client


def cache_answers_again():
    # The retry interval is 0.2 s here: past it, the next call finds Redis.
    return wait_until(lambda: cache.ping(), timeout=5)


def test_pages_lists_and_logins_work_while_redis_is_stopped(published, redis_cache_site, caplog):
    editor("desk-before", is_staff=True)
    editor("desk-during", is_staff=True)
    editor("desk-after", is_staff=True)
    before = logged_in("desk-before")
    reader = Client()
    assert reader.get(detail_url(published, "en")).status_code == 200

    redis_cache_site.stop()
    with caplog.at_level(logging.WARNING, logger="config.redis_cache"):
        page = reader.get(detail_url(published, "en"))
        listing = reader.get("/en/")
        during = Client()
        login = during.post(
            reverse("admin:login"),
            {"username": "desk-during", "password": "pw", "next": "/admin/"},
        )
        desk_before = before.get(reverse("admin:index"))
        desk_during = during.get(reverse("admin:index"))
        for _ in range(5):
            reader.get(detail_url(published, "en"))

    assert page.status_code == 200
    assert published.paragraphs.get(position=1).text_en in page.content.decode()
    assert listing.status_code == 200
    assert login.status_code == 302
    assert desk_before.status_code == 200
    assert desk_during.status_code == 200
    outage_records = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(outage_records) == 1  # once per interval, not once per request

    redis_cache_site.start()
    assert cache_answers_again()
    after = logged_in("desk-after")
    for client in (before, during, after):
        assert client.get(reverse("admin:index")).status_code == 200
    assert reader.get(detail_url(published, "en")).status_code == 200


def approve_during_an_outage(article, server, capture):
    """Stop Redis, approve a new version of ``article`` (its write-through fails), restart."""
    server.stop()
    with capture(execute=True) as callbacks:
        version = approve_new_text(article, "en", "Approved while the cache was down.")
    assert callbacks  # the write-through ran, and failed: Redis is stopped
    server.start()
    return version


def test_a_page_cached_before_the_outage_does_not_outlive_an_approval_made_during_it(
    published, redis_cache_site, django_capture_on_commit_callbacks, monkeypatch, settings
):
    # The rendering path's page cache (pre-built pages are not in Redis).
    settings.TILMASH_PUBLIC_PAGES = False
    # No background retry here: the request itself finds Redis back.
    monkeypatch.setattr(redis_cache.RedisCacheClient, "_retry_in_background", lambda self: None)
    reader = Client()
    url = detail_url(published, "en")
    old_text = published.paragraphs.get(position=1).text_en
    assert old_text in reader.get(url).content.decode()
    live_key = cache.make_key(public_cache.live_key(published.slug))

    version = approve_during_an_outage(
        published, redis_cache_site, django_capture_on_commit_callbacks
    )

    # What was cached before the outage is back with Redis's saved data: the
    # page, and the live versions it was rendered for, from before the approval.
    raw = redis.Redis.from_url(redis_cache_site.url)
    assert list(raw.scan_iter(match="tilmash:*public:article:*"))
    assert raw.exists(live_key)
    time.sleep(0.3)  # past the retry interval: the next call reaches Redis

    response = reader.get(url)

    assert redis_cache.state() == "ok"
    assert response.status_code == 200
    body = response.content.decode()
    assert "Approved while the cache was down." in body
    assert old_text not in body
    live = cache.get(public_cache.live_key(published.slug))
    assert live is not None and live[4][0][1] == version.pk
    assert reader.get(url).content == response.content


def test_the_stale_entry_goes_within_seconds_of_redis_returning_without_a_request(
    published, redis_cache_site, django_capture_on_commit_callbacks
):
    Client().get(detail_url(published, "en"))
    live_key = cache.make_key(public_cache.live_key(published.slug))

    approve_during_an_outage(published, redis_cache_site, django_capture_on_commit_callbacks)

    raw = redis.Redis.from_url(redis_cache_site.url)
    assert wait_until(lambda: not raw.exists(live_key), timeout=5)
    assert redis_cache.state() == "ok"


def test_a_logout_during_the_outage_stays_a_logout_after_it(published, redis_cache_site):
    editor("desk-logout", is_staff=True)
    client = logged_in("desk-logout")
    assert client.get(reverse("admin:index")).status_code == 200

    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    redis_cache_site.stop()
    assert client.post(reverse("admin:logout")).status_code == 200
    redis_cache_site.start()
    assert cache_answers_again()

    # The session cached before the outage is in Redis's saved data; its
    # cookie, kept by whoever held it, must not log anyone back in.
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_healthz_reports_the_cache_beside_a_healthy_database(redis_cache_site):
    client = Client()
    ok = client.get("/healthz")
    assert (ok.status_code, ok.content, ok["X-Tilmash-Cache"]) == (200, b"ok", "ok")

    redis_cache_site.stop()
    down = client.get("/healthz")
    assert down.status_code == 200  # the load balancer keeps the server
    assert down.content == b"ok\ncache down"
    assert down["X-Tilmash-Cache"] == "down"

    redis_cache_site.start()
    assert cache_answers_again()
    assert client.get("/healthz")["X-Tilmash-Cache"] == "ok"


def test_a_stopped_redis_costs_a_request_no_connection_attempt_until_the_retry(
    redis_cache_site, monkeypatch
):
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 30)
    redis_cache_site.stop()
    attempts = []
    real_get = redis_cache.django_redis.RedisCacheClient.get

    def counting_get(self, key, default):
        attempts.append(key)
        return real_get(self, key, default)

    monkeypatch.setattr(redis_cache.django_redis.RedisCacheClient, "get", counting_get)
    assert cache.get("anything", "empty") == "empty"
    for _ in range(50):
        assert cache.get("anything", "empty") == "empty"
    assert attempts == ["tilmash:1:anything"]
    assert redis_cache.state() == "down"


def test_the_translators_editor_and_its_checks_work_while_redis_is_stopped(
    published, redis_cache_site
):
    from tests.factories import assign, translator
    from translations.services import edition_get_or_create

    edition = edition_get_or_create(article=published, language="kk")
    user = translator("desk-translator", is_staff=True)
    assign(edition, user)
    client = Client()
    client.force_login(user)
    url = reverse("admin:translations_edition_editor", args=[edition.pk])
    before = client.get(url)
    assert before.status_code == 200

    redis_cache_site.stop()
    during = client.get(url)

    assert during.status_code == 200
    assert 'id="editor-form"' in during.content.decode()
    # The checks' results, kept in the cache for reuse, are worked out afresh.
    assert during.content.decode().count("editor-row") == before.content.decode().count(
        "editor-row"
    )
