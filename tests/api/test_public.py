"""The public API: live editions only, cursor paging, ETags, constant query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ALMATY,
    ContributorFactory,
    article_with_paragraphs,
    publish,
    translate,
)
from translations.models import Article, Edition
from translations.services import edition_get_or_create

pytestmark = pytest.mark.django_db


def _published(slug, day, *, languages=("en",)):
    article = article_with_paragraphs(
        slug=slug,
        title=f"Story {slug}",
        dateline=datetime.datetime(2026, 12, day, 9, tzinfo=ALMATY),
    )
    for language in languages:
        if language != "en":
            translate(article, language)
        publish(article, language)
    return article


def _list(client, language="en", headers=None, **params):
    return client.get(f"/api/v1/editions/{language}", params, headers=headers)


def test_the_list_pages_with_a_cursor_newest_first_without_repeats(client):
    for day in range(1, 6):
        _published(f"story-{day}", day)
    seen, cursor = [], None
    while True:
        response = _list(client, limit=2, **({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200
        body = response.json()
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"story-{day}" for day in range(5, 0, -1)]


def test_a_cursor_holds_while_newer_articles_are_published(client):
    for day in range(1, 4):
        _published(f"story-{day}", day)
    first = _list(client, limit=2).json()
    _published("story-9", 9)
    second = _list(client, limit=2, cursor=first["next_cursor"]).json()
    assert [item["slug"] for item in second["items"]] == ["story-1"]


def test_the_list_shows_only_what_readers_may_see_now(client):
    _published("live", 1)
    draft = article_with_paragraphs(slug="draft", title="Draft story")
    edition_get_or_create(article=draft, language="en")
    embargoed = _published("embargoed", 2)
    Article.objects.filter(pk=embargoed.pk).update(
        embargo_until=timezone.now() + datetime.timedelta(hours=1)
    )
    withdrawn = _published("withdrawn", 3)
    Article.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    slugs = [item["slug"] for item in _list(client).json()["items"]]
    assert slugs == ["live"]


def test_a_list_page_is_two_queries_whatever_its_length(client, django_assert_num_queries):
    for day in range(1, 8):
        _published(f"story-{day}", day)
    with django_assert_num_queries(2):
        assert len(_list(client, limit=3).json()["items"]) == 3
    with django_assert_num_queries(2):
        assert len(_list(client, limit=7).json()["items"]) == 7


@pytest.mark.parametrize("cursor", ["nonsense", "bm9wZQ", "MjAyNi0xMi0wN3w"])
def test_a_forged_cursor_is_refused_with_its_problem(client, cursor):
    response = _list(client, cursor=cursor)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_an_unknown_language_is_404(client):
    assert _list(client, language="de").status_code == 404
    assert client.get("/api/v1/editions/de/anything").status_code == 404


def test_an_edition_carries_paragraphs_credits_notes_and_its_languages(client):
    article = _published("budget", 7, languages=("en", "kk"))
    translator = ContributorFactory(name="Saniya Sakenova", name_en="Saniya Sakenova")
    publish(article, "kk", translators=[translator])
    response = client.get(f"/api/v1/editions/kk/{article.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "kk" and body["source_language"] == "en"
    assert [p["key"] for p in body["paragraphs"]] == ["p1", "p2", "p3"]
    assert body["paragraphs"][0]["text"] == "[kk] Paragraph 1."
    assert body["credits"]["people"] == [
        {"role": "translator", "name": "Saniya Sakenova", "order": 1}
    ]
    assert len(body["credits"]["lines"]) == 1
    assert body["notes"] == {"updated": None, "corrections": [], "follows": ""}
    assert [link["language"] for link in body["languages"]] == ["kk", "en"]
    with_page = {link["language"]: link["page_url"] for link in body["languages"]}
    assert with_page["en"].endswith(f"/en/articles/{article.slug}/")
    assert body["url"].endswith(reverse("api-v1:edition_detail", args=["kk", article.slug]))


def test_an_edition_is_three_queries_whatever_its_length(client, django_assert_num_queries):
    short = article_with_paragraphs(slug="short", count=2)
    long = article_with_paragraphs(slug="long", count=60)
    for article in (short, long):
        publish(article, "en", translators=[ContributorFactory(), ContributorFactory()])
    for slug in ("short", "long"):
        with django_assert_num_queries(3):
            assert client.get(f"/api/v1/editions/en/{slug}").status_code == 200


def test_the_etag_answers_304_in_one_query_until_a_new_version(client, django_assert_num_queries):
    article = _published("budget", 7)
    url = f"/api/v1/editions/en/{article.slug}"
    etag = client.get(url).headers["ETag"]
    with django_assert_num_queries(1):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    translate(article, "en", texts=["New 1.", "New 2.", "New 3."])
    publish(article, "en")
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_the_list_answers_304_to_its_etag(client):
    _published("budget", 7)
    etag = _list(client).headers["ETag"]
    assert _list(client, headers={"If-None-Match": etag}).status_code == 304


def test_drafts_embargoed_and_withdrawn_editions_are_not_served(client):
    article = _published("budget", 7)
    edition_get_or_create(article=article, language="ru")
    translate(article, "ru")
    assert client.get(f"/api/v1/editions/ru/{article.slug}").status_code == 404
    Edition.objects.filter(article=article, language="en").update(
        embargo_until=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get(f"/api/v1/editions/en/{article.slug}").status_code == 404
    Edition.objects.filter(article=article, language="en").update(embargo_until=None)
    Article.objects.filter(pk=article.pk).update(withdrawn_at=timezone.now())
    gone = client.get(f"/api/v1/editions/en/{article.slug}")
    assert gone.status_code == 410
    assert gone.json()["errors"][0]["code"] == "withdrawn"
    # Never public in Russian: not found, as its page.
    assert client.get(f"/api/v1/editions/ru/{article.slug}").status_code == 404
