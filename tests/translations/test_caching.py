"""The detail page's cache and conditional GET: cheap when unchanged, never stale."""

import datetime
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.utils.http import http_date

from tests.factories import (
    ALMATY,
    ContributorFactory,
    article_with_paragraphs,
    publish,
    translate,
)
from translations import cache as public_cache
from translations import selectors, services, views
from translations.models import Article, Edition, Paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_pages(settings):
    """These are the rendering path's cache and validators: pages are not pre-built here
    (they are in tests/translations/test_public_pages.py)."""
    settings.TILMASH_PUBLIC_PAGES = False


def detail_url(article, language):
    return f"/{language}/articles/{article.slug}/"


def approve_new_text(article, language, text, *, translators=()):
    """Edit the working copy and approve it as the next version, as the desk does."""
    Paragraph.objects.filter(article=article, position=1).update(**{f"text_{language}": text})
    edition = services.edition_get_or_create(article=article, language=language)
    version = services.version_snapshot(edition=edition, user=None)
    services.credits_replace(
        version=version, credits=[(contributor, "translator") for contributor in translators]
    )
    services.version_go_live(version=version, user=None, action="tests.publish")
    return version


class CacheSpy:
    """The real cache, with a record of the keys the views write."""

    def __init__(self):
        self.written = []

    def get(self, key, default=None):
        return cache.get(key, default)

    def set(self, key, value, timeout):
        self.written.append(key)
        cache.set(key, value, timeout)


@pytest.fixture
def cache_spy(monkeypatch):
    spy = CacheSpy()
    monkeypatch.setattr(views, "cache", spy)
    return spy


@pytest.fixture
def article():
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    return article


# --- The page cache -------------------------------------------------------------


def test_a_cached_page_is_served_with_one_query(client, article, django_assert_num_queries):
    first = client.get(detail_url(article, "en"))

    with django_assert_num_queries(1):
        second = client.get(detail_url(article, "en"))

    assert second.status_code == 200
    assert second.content == first.content


def test_the_cached_copy_is_the_one_served(client, article, cache_spy):
    client.get(detail_url(article, "en"))
    (key,) = cache_spy.written
    fingerprint, _html = cache.get(key)
    cache.set(key, (fingerprint, "<p>from the cache</p>"))

    assert client.get(detail_url(article, "en")).content == b"<p>from the cache</p>"


def test_a_cached_copy_rendered_for_other_live_versions_is_not_served(
    client, article, cache_spy
):
    client.get(detail_url(article, "en"))
    (key,) = cache_spy.written
    cache.set(key, ("another-fingerprint", "<p>rendered for older versions</p>"))

    html = client.get(detail_url(article, "en")).content.decode()

    assert "<p>Paragraph 1.</p>" in html
    assert "older versions" not in html


def test_no_stale_page_after_a_newer_version_is_approved(client, article):
    assert "Paragraph 1." in client.get(detail_url(article, "en")).content.decode()

    approve_new_text(article, "en", "Corrected first paragraph.")

    html = client.get(detail_url(article, "en")).content.decode()
    assert "Corrected first paragraph." in html
    assert "<p>Paragraph 1.</p>" not in html


def test_no_stale_credits_after_a_newer_version_is_approved(client, article):
    client.get(detail_url(article, "en"))

    approve_new_text(
        article, "en", "Paragraph 1.", translators=[ContributorFactory(name="Aigerim Nurlanova")]
    )

    html = client.get(detail_url(article, "en")).content.decode()
    assert "Translation by Aigerim Nurlanova" in html


def test_a_newly_approved_language_shows_at_once_on_the_other_editions(client, article):
    assert "/kk/articles/" not in client.get(detail_url(article, "en")).content.decode()

    translate(article, "kk")
    publish(article, "kk")

    html = client.get(detail_url(article, "en")).content.decode()
    assert f'hreflang="kk" href="http://testserver/kk/articles/{article.slug}/"' in html


def test_a_working_copy_edit_does_not_reach_the_cached_page(client, article):
    client.get(detail_url(article, "en"))
    Paragraph.objects.filter(article=article).update(text_en="Unapproved.")

    assert "Unapproved." not in client.get(detail_url(article, "en")).content.decode()


def test_the_cache_is_per_language(client, article):
    translate(article, "ru")
    publish(article, "ru")

    english = client.get(detail_url(article, "en")).content.decode()
    russian = client.get(detail_url(article, "ru")).content.decode()

    assert '<html lang="en">' in english
    assert '<html lang="ru">' in russian
    assert "[ru] Paragraph 1." in russian


def test_the_cache_is_per_host(client, article):
    client.get(detail_url(article, "en"))

    html = client.get(detail_url(article, "en"), HTTP_HOST="localhost").content.decode()

    assert f'<link rel="canonical" href="http://localhost/en/articles/{article.slug}/">' in html


def test_a_zero_cache_time_renders_every_time(
    client, article, settings, cache_spy, django_assert_num_queries
):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 0
    client.get(detail_url(article, "en"))

    with django_assert_num_queries(3):
        client.get(detail_url(article, "en"))

    assert cache_spy.written == []


def test_one_entry_per_url_replaced_when_the_live_versions_change(client, article, cache_spy):
    client.get(detail_url(article, "en"))
    first_fingerprint, _html = cache.get(cache_spy.written[0])
    translate(article, "kk")
    publish(article, "kk")
    client.get(detail_url(article, "en"))

    first, second = cache_spy.written
    assert first == second
    assert first.startswith("tilmash:public:article:")
    fingerprint, html = cache.get(second)
    assert fingerprint != first_fingerprint
    assert f"/kk/articles/{article.slug}/" in html


def test_each_language_and_host_has_its_own_entry(client, article, cache_spy):
    translate(article, "ru")
    publish(article, "ru")

    client.get(detail_url(article, "en"))
    client.get(detail_url(article, "ru"))
    client.get(detail_url(article, "en"), HTTP_HOST="localhost")

    assert len(set(cache_spy.written)) == 3


# --- Conditional GET ------------------------------------------------------------------


def test_the_page_carries_validators_from_the_live_version(client, article):
    article.refresh_from_db()
    live = article.editions.get(language="en").live_version

    response = client.get(detail_url(article, "en"))

    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"] == http_date(live.approved_at.timestamp())
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_matching_etag_gets_a_304_with_one_query(client, article, django_assert_num_queries):
    etag = client.get(detail_url(article, "en")).headers["ETag"]

    with django_assert_num_queries(1):
        response = client.get(detail_url(article, "en"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag


def test_an_unchanged_last_modified_gets_a_304(client, article):
    last_modified = client.get(detail_url(article, "en")).headers["Last-Modified"]

    response = client.get(detail_url(article, "en"), HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


def test_an_old_etag_gets_the_new_version_after_approval(client, article):
    etag = client.get(detail_url(article, "en")).headers["ETag"]

    approve_new_text(article, "en", "Corrected first paragraph.")
    response = client.get(detail_url(article, "en"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert "Corrected first paragraph." in response.content.decode()


def test_an_old_etag_gets_a_200_after_another_language_is_approved(client, article):
    etag = client.get(detail_url(article, "en")).headers["ETag"]

    translate(article, "kk")
    publish(article, "kk")
    response = client.get(detail_url(article, "en"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "/kk/articles/" in response.content.decode()


def test_editions_in_two_languages_have_different_etags(client, article):
    translate(article, "ru")
    publish(article, "ru")

    english = client.get(detail_url(article, "en")).headers["ETag"]
    russian = client.get(detail_url(article, "ru")).headers["ETag"]

    assert english != russian
    assert client.get(detail_url(article, "ru"), HTTP_IF_NONE_MATCH=english).status_code == 200


def test_a_not_found_page_is_not_answered_304(client, article):
    etag = client.get(detail_url(article, "en")).headers["ETag"]

    assert client.get(detail_url(article, "kk"), HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_the_public_page_sets_no_cookie_and_does_not_vary_on_it(client, article):
    response = client.get(detail_url(article, "en"))

    assert not response.cookies
    assert "Cookie" not in response.headers.get("Vary", "")


# --- A shared cache (Redis): the live versions kept in it, written through -----------

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
ROOT = Path(__file__).resolve().parent.parent.parent


def _redis_unreachable():
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except (redis.RedisError, OSError) as error:
        return str(error) or type(error).__name__
    return None


@pytest.fixture
def shared_cache(settings):
    """The default cache on a real Redis, under a key prefix of this test's own.

    Skipped when Redis is not reachable, unless REQUIRE_REDIS=1 (then it fails).
    """
    reason = _redis_unreachable()
    if reason:
        message = f"needs Redis at {TEST_REDIS_URL} (TEST_REDIS_URL): {reason}"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but {message}")
        pytest.skip(message)
    prefix = f"tilmash-test-{os.getpid()}-{secrets.token_hex(4)}"
    caches = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.CACHES = caches
    settings.TILMASH_PUBLIC_CACHE_SHARED = True
    yield caches
    client = redis.Redis.from_url(TEST_REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


@pytest.fixture
def published(shared_cache, django_capture_on_commit_callbacks):
    """A published article whose approval's write-through has run."""
    article = article_with_paragraphs(count=3)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, "en")
    return article


def approve_and_commit(capture, article, language, text, **kwargs):
    with capture(execute=True) as callbacks:
        version = approve_new_text(article, language, text, **kwargs)
    assert callbacks, "the approval scheduled no write-through"
    return version


def test_the_redis_backend_keeps_one_client_and_still_reads_and_writes(shared_cache):
    from django.core.cache import cache

    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # not a new one per call
    cache.set("greeting", "Сәлем", 30)
    assert cache.get_many(["greeting", "absent"]) == {"greeting": "Сәлем"}
    assert cache._cache.get_client() is client
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_the_setting_follows_the_configured_cache(shared_cache):
    from django.conf import settings as live_settings

    assert public_cache.shared()
    live_settings.TILMASH_PUBLIC_CACHE_SHARED = False
    assert not public_cache.shared()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, False),
        ({"REDIS_URL": "redis://127.0.0.1:6379/13"}, True),
        ({"CACHE_URL": "memcached://127.0.0.1:11211"}, True),
    ],
)
def test_settings_call_a_cache_shared_only_when_every_process_reaches_it(environment, expected):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="config.test_settings")
    script = "from django.conf import settings; print(settings.TILMASH_PUBLIC_CACHE_SHARED)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)


def test_shared_a_cached_page_is_served_without_a_query(
    client, published, django_assert_num_queries
):
    with django_assert_num_queries(2):
        # The approval wrote the live versions through; only the page is rendered.
        first = client.get(detail_url(published, "en"))

    with django_assert_num_queries(0):
        second = client.get(detail_url(published, "en"))

    assert second.status_code == 200
    assert second.content == first.content
    assert second.headers["ETag"] == first.headers["ETag"]


def test_shared_a_matching_etag_gets_a_304_without_a_query(
    client, published, django_assert_num_queries
):
    etag = client.get(detail_url(published, "en")).headers["ETag"]

    with django_assert_num_queries(0):
        response = client.get(detail_url(published, "en"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_shared_a_missing_entry_is_read_once_then_kept(
    client, published, django_assert_num_queries
):
    cache.delete(public_cache.live_key(published.slug))

    with django_assert_num_queries(3):
        client.get(detail_url(published, "en"))
    with django_assert_num_queries(0):
        response = client.get(detail_url(published, "en"))

    assert "<p>Paragraph 1.</p>" in response.content.decode()


def test_shared_an_unknown_slug_is_a_404_and_is_not_cached(
    client, shared_cache, django_assert_num_queries
):
    for _attempt in range(2):
        with django_assert_num_queries(1):
            assert client.get("/en/articles/no-such-article/").status_code == 404

    assert cache.get(public_cache.live_key("no-such-article")) is None


def test_shared_no_stale_page_after_a_newer_version_is_approved(
    client, published, django_capture_on_commit_callbacks
):
    client.get(detail_url(published, "en"))

    approve_and_commit(
        django_capture_on_commit_callbacks, published, "en", "Corrected first paragraph."
    )

    html = client.get(detail_url(published, "en")).content.decode()
    assert "Corrected first paragraph." in html
    assert "<p>Paragraph 1.</p>" not in html


def test_shared_a_newly_approved_language_shows_in_the_switcher_at_once(
    client, published, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.get(detail_url(published, "en"))
    translate(published, "kk")

    with django_capture_on_commit_callbacks(execute=True):
        publish(published, "kk")

    with django_assert_num_queries(2):
        html = client.get(detail_url(published, "en")).content.decode()
    assert f'hreflang="kk" href="http://testserver/kk/articles/{published.slug}/"' in html
    assert client.get(detail_url(published, "kk")).status_code == 200


def test_shared_a_reader_s_older_read_never_replaces_a_write_through(
    published, monkeypatch, django_capture_on_commit_callbacks
):
    """A reader misses, reads the live versions, and before it adds them an
    approval commits and writes through: the reader's older read must lose."""
    old_version = Edition.objects.get(article=published, language="en").live_version_id
    cache.delete(public_cache.live_key(published.slug))
    read = selectors.article_live_get
    approved = []

    def read_then_approve(*, slug):
        live = read(slug=slug)
        monkeypatch.setattr(selectors, "article_live_get", read)
        approved.append(
            approve_and_commit(
                django_capture_on_commit_callbacks, published, "en", "Approved meanwhile."
            )
        )
        return live

    monkeypatch.setattr(selectors, "article_live_get", read_then_approve)
    live, _names, _page = public_cache.live_read(published.slug)

    assert live.edition("en").version_id == old_version
    kept = public_cache._unpack(cache.get(public_cache.live_key(published.slug)))
    assert kept.edition("en").version_id == approved[0].pk


def test_shared_a_lost_write_through_is_rewritten_by_the_first_render(
    client, published, django_assert_num_queries
):
    """The entry names an older version (its write-through was lost): the page
    shows the live version, uncached, and the entry is written afresh."""
    key = public_cache.live_key(published.slug)
    stale = cache.get(key)
    edition = Edition.objects.get(article=published, language="en")
    Paragraph.objects.filter(article=published, position=1).update(text_en="Newer text.")
    version = services.version_snapshot(edition=edition, user=None)
    services.version_go_live(version=version, user=None, action="tests.publish")
    cache.set(key, stale)

    first = client.get(detail_url(published, "en"))
    with django_assert_num_queries(2):
        second = client.get(detail_url(published, "en"))

    assert "Newer text." in first.content.decode()
    assert "ETag" not in first.headers
    assert "Newer text." in second.content.decode()
    assert public_cache._unpack(cache.get(key)).edition("en").version_id == version.pk


def test_shared_a_dateline_edit_shows_at_once(
    client, published, django_capture_on_commit_callbacks
):
    client.get(detail_url(published, "en"))

    published.dateline = datetime.datetime(2023, 3, 9, 8, 5, tzinfo=ALMATY)
    with django_capture_on_commit_callbacks(execute=True):
        published.save()

    html = client.get(detail_url(published, "en")).content.decode()
    assert '<time datetime="2023-03-09T08:05:00+06:00">' in html


def test_shared_a_renamed_slug_moves_the_page_at_once(
    client, published, django_capture_on_commit_callbacks
):
    old = published.slug
    client.get(detail_url(published, "en"))

    published.slug = f"{old}-renamed"
    with django_capture_on_commit_callbacks(execute=True):
        published.save(update_fields=["slug"])

    assert client.get(f"/en/articles/{old}/").status_code == 404
    assert client.get(f"/en/articles/{old}-renamed/").status_code == 200


def test_shared_a_title_save_refreshes_nothing(
    published, django_capture_on_commit_callbacks, django_assert_num_queries
):
    translate(published, "kk")
    published.refresh_from_db()

    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        published.save(update_fields=["title_kk"])

    assert callbacks == []


def test_shared_a_deleted_article_is_not_found_at_once_without_a_query(
    client, published, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.get(detail_url(published, "en"))

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=published.pk).delete()

    with django_assert_num_queries(0):
        assert client.get(detail_url(published, "en")).status_code == 404


def test_shared_a_deleted_edition_leaves_the_switcher_at_once(
    client, published, django_capture_on_commit_callbacks
):
    translate(published, "kk")
    with django_capture_on_commit_callbacks(execute=True):
        publish(published, "kk")
    assert "/kk/articles/" in client.get(detail_url(published, "en")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Edition.objects.get(article=published, language="kk").delete()

    assert client.get(detail_url(published, "kk")).status_code == 404
    assert "/kk/articles/" not in client.get(detail_url(published, "en")).content.decode()


def test_shared_a_contributor_rename_shows_at_once(
    client, shared_cache, django_capture_on_commit_callbacks
):
    article = article_with_paragraphs(count=1)
    translator = ContributorFactory(name="Aigerim Nurlanova")
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, "en", translators=[translator])
    etag = client.get(detail_url(article, "en")).headers["ETag"]

    translator.name_en = "Aigerim Nurlanqyzy"
    with django_capture_on_commit_callbacks(execute=True):
        translator.save(update_fields=["name_en"])

    response = client.get(detail_url(article, "en"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Translation by Aigerim Nurlanqyzy" in response.content.decode()


def test_shared_a_contributor_saved_unchanged_keeps_every_page(
    client, published, django_capture_on_commit_callbacks
):
    contributor = ContributorFactory(name="Saniya Sakenova")
    etag = client.get(detail_url(published, "en")).headers["ETag"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        contributor.save()

    assert callbacks == []
    assert client.get(detail_url(published, "en"), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_with_local_memory_no_live_versions_are_cached_and_a_hit_makes_one_query(
    client, article, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert not settings.TILMASH_PUBLIC_CACHE_SHARED
    client.get(detail_url(article, "en"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approve_new_text(article, "en", "Corrected.")

    assert not any(
        getattr(callback, "func", None) is public_cache._refresh_edition for callback in callbacks
    )
    assert cache.get(public_cache.live_key(article.slug)) is None
    client.get(detail_url(article, "en"))
    with django_assert_num_queries(1):
        assert "Corrected." in client.get(detail_url(article, "en")).content.decode()


# --- The approval in another process ----------------------------------------------------

OTHER_PROCESS = """
import json, sys
import django

django.setup()
from django.test.utils import override_settings

caches, edition_id, text = json.loads(sys.argv[1])
with override_settings(CACHES=caches, TILMASH_PUBLIC_CACHE_SHARED=True):
    from translations import services
    from translations.models import Edition, Paragraph

    edition = Edition.objects.get(pk=edition_id)
    Paragraph.objects.filter(article_id=edition.article_id, position=1).update(text_en=text)
    version = services.version_snapshot(edition=edition, user=None)
    services.version_go_live(version=version, user=None, action="tests.publish")
"""


def _database_url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_shared_an_approval_in_another_process_shows_on_the_very_next_request(
    client, shared_cache, django_assert_num_queries
):
    from django.db import connection

    article = article_with_paragraphs(count=3)
    edition = publish(article, "en")
    assert "<p>Paragraph 1.</p>" in client.get(detail_url(article, "en")).content.decode()
    with django_assert_num_queries(0):
        client.get(detail_url(article, "en"))

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_URL", "TEST_DATABASE_NAME"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        DATABASE_URL=_database_url(connection.settings_dict),
        TILMASH_PUBLIC_PAGES="0",
    )
    argument = json.dumps([shared_cache, edition.pk, "Approved in another process."])
    result = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, argument],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    # The other process wrote the new live versions through: this process
    # reads none, renders the new version, and shows no stale page.
    with django_assert_num_queries(2):
        html = client.get(detail_url(article, "en")).content.decode()
    assert "Approved in another process." in html
    assert "<p>Paragraph 1.</p>" not in html
