"""The detail page's cache and conditional GET: cheap when unchanged, never stale."""

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from tests.factories import ContributorFactory, article_with_paragraphs, publish, translate
from translations import services, views
from translations.models import Paragraph

pytestmark = pytest.mark.django_db


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
    cache.set(key, "<p>from the cache</p>")

    assert client.get(detail_url(article, "en")).content == b"<p>from the cache</p>"


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


def test_the_cache_key_names_the_article_and_changes_with_its_live_versions(
    client, article, cache_spy
):
    client.get(detail_url(article, "en"))
    translate(article, "kk")
    publish(article, "kk")
    client.get(detail_url(article, "en"))

    first, second = cache_spy.written
    assert first.startswith(f"tilmash:public:article:{article.pk}:")
    assert second.startswith(f"tilmash:public:article:{article.pk}:")
    assert first != second


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
