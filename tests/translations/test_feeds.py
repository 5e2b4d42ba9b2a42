"""Atom feeds per language and the sitemap: approved editions only."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree

from tests.factories import (
    EditionState,
    article_with_paragraphs,
    edition_in_state,
    publish,
    translate,
)
from translations import services
from translations.models import Paragraph

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ALMATY = ZoneInfo("Asia/Almaty")


def feed_entries(client, language):
    response = client.get(f"/{language}/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    return root, [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def sitemap_sections(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{SITEMAP}loc") for entry in root.findall(f"{SITEMAP}sitemap")]


def sitemap_urls(client):
    """Every URL of every monthly sitemap the index lists, with its alternates."""
    urls = {}
    for section in sitemap_sections(client):
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)
        for url in root.findall(f"{SITEMAP}url"):
            urls[url.findtext(f"{SITEMAP}loc")] = {
                link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
            }
    return urls


@pytest.fixture
def mixed_archive():
    """Articles in every state: only ``approved`` and ``bilingual`` have public editions."""
    approved = article_with_paragraphs(
        count=2,
        title="Approved",
        dateline=datetime.datetime(2022, 1, 6, 10, 0, tzinfo=ALMATY),
    )
    publish(approved, "en")
    bilingual = article_with_paragraphs(
        count=2,
        title="Bilingual",
        dateline=datetime.datetime(2022, 1, 7, 10, 0, tzinfo=ALMATY),
    )
    publish(bilingual, "en")
    translate(bilingual, "kk")
    publish(bilingual, "kk")
    translate(bilingual, "ru")
    edition = edition_in_state(bilingual, "ru", EditionState.IN_REVIEW)
    services.version_snapshot(edition=edition, user=None)
    draft = article_with_paragraphs(count=1, title="Draft")
    edition_in_state(draft, "en", EditionState.IN_PROGRESS)
    return {"approved": approved, "bilingual": bilingual, "draft": draft}


# --- Feeds ------------------------------------------------------------------------


def test_the_feed_lists_the_approved_editions_of_its_language_newest_first(client, mixed_archive):
    root, entries = feed_entries(client, "en")

    assert [entry["title"] for entry in entries] == ["Bilingual", "Approved"]
    assert entries[0]["link"] == (
        f"http://testserver/en/articles/{mixed_archive['bilingual'].slug}/"
    )
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_each_language_has_its_own_feed(client, mixed_archive):
    _root, kazakh = feed_entries(client, "kk")
    _root, russian = feed_entries(client, "ru")

    assert [entry["title"] for entry in kazakh] == ["[kk] Bilingual"]
    assert kazakh[0]["link"].endswith(f"/kk/articles/{mixed_archive['bilingual'].slug}/")
    assert russian == []


def test_the_feed_title_is_in_the_feed_language(client):
    root, _entries = feed_entries(client, "ru")

    assert root.findtext(f"{ATOM}title") == "Tilmash: последние новости"


def test_the_feed_shows_the_approved_text_not_the_working_copy(client):
    article = article_with_paragraphs(count=1, title="Approved title")
    publish(article, "en")
    Paragraph.objects.filter(article=article).update(text_en="Working copy.")
    type(article).objects.filter(pk=article.pk).update(title_en="Working title")

    _root, entries = feed_entries(client, "en")

    assert entries == [
        {
            "title": "Approved title",
            "link": f"http://testserver/en/articles/{article.slug}/",
            "summary": "Paragraph 1.",
        }
    ]


def test_html_in_the_feed_is_text_not_markup(client):
    article = article_with_paragraphs(texts=["<b>Bold</b> & more"], title="<i>Title</i>")
    publish(article, "en")

    _root, (entry,) = feed_entries(client, "en")

    # The title is Atom text; the summary is Atom HTML, so its markup is escaped once more.
    assert entry["title"] == "<i>Title</i>"
    assert entry["summary"] == "&lt;b&gt;Bold&lt;/b&gt; &amp; more"


@pytest.mark.parametrize("articles", [5, 50])
def test_the_feed_makes_two_queries_however_large_the_archive(
    client, django_assert_num_queries, settings, articles
):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 20
    for _n in range(articles):
        publish(article_with_paragraphs(count=3), "en")

    with django_assert_num_queries(2) as captured:
        _root, entries = feed_entries(client, "en")

    assert len(entries) == min(articles, 20)
    assert all(entry["summary"] == "Paragraph 1." for entry in entries)
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def full_texts(client, language):
    root = ElementTree.fromstring(client.get(f"/{language}/feed/").content)
    return [entry.find(f"{ATOM}content") for entry in root.findall(f"{ATOM}entry")]


def test_the_feed_gives_leads_only_by_default(client, mixed_archive):
    assert full_texts(client, "en") == [None, None]


def test_the_full_text_feed_carries_the_approved_text_escaped(client, settings):
    settings.TILMASH_FEED_FULL_TEXT = True
    article = article_with_paragraphs(texts=["<b>Bold</b> & more", "Two\nlines."], title="T")
    publish(article, "en")
    Paragraph.objects.filter(article=article).update(text_en="Working copy.")

    (content,) = full_texts(client, "en")

    assert content.get("type") == "html"
    assert content.text == "<p>&lt;b&gt;Bold&lt;/b&gt; &amp; more</p>\n<p>Two<br>lines.</p>"


@pytest.mark.parametrize(("articles", "paragraphs"), [(3, 2), (30, 20)])
def test_the_full_text_feed_makes_two_queries_however_long_the_articles(
    client, django_assert_num_queries, settings, articles, paragraphs
):
    settings.TILMASH_FEED_FULL_TEXT = True
    for _n in range(articles):
        publish(article_with_paragraphs(count=paragraphs), "en")

    with django_assert_num_queries(2):
        contents = full_texts(client, "en")

    assert len(contents) == min(articles, settings.TILMASH_PUBLIC_PAGE_SIZE)
    assert all(content.text.count("<p>") == paragraphs for content in contents)


def test_the_feed_of_a_language_without_editions_makes_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        _root, entries = feed_entries(client, "kk")

    assert entries == []


def test_the_feed_holds_the_newest_page_of_editions(client, settings):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 2
    for day in range(1, 5):
        article = article_with_paragraphs(
            count=1,
            title=f"Day {day}",
            dateline=datetime.datetime(2022, 1, day, 9, 0, tzinfo=ALMATY),
        )
        publish(article, "en")

    _root, entries = feed_entries(client, "en")

    assert [entry["title"] for entry in entries] == ["Day 4", "Day 3"]


# --- Sitemap ----------------------------------------------------------------------


def test_the_sitemap_lists_only_approved_editions_with_their_approved_alternates(
    client, mixed_archive
):
    approved = mixed_archive["approved"].slug
    bilingual = mixed_archive["bilingual"].slug

    urls = sitemap_urls(client)

    bilingual_alternates = {
        "kk": f"http://testserver/kk/articles/{bilingual}/",
        "en": f"http://testserver/en/articles/{bilingual}/",
        "x-default": f"http://testserver/en/articles/{bilingual}/",
    }
    assert urls == {
        f"http://testserver/en/articles/{bilingual}/": bilingual_alternates,
        f"http://testserver/kk/articles/{bilingual}/": bilingual_alternates,
        f"http://testserver/en/articles/{approved}/": {
            "en": f"http://testserver/en/articles/{approved}/",
            "x-default": f"http://testserver/en/articles/{approved}/",
        },
    }


def test_the_sitemap_x_default_is_the_first_approved_edition_without_the_source(client):
    article = article_with_paragraphs(count=1, source_language="en")
    for language in ("ru", "kk"):
        translate(article, language)
        publish(article, language)

    urls = sitemap_urls(client)

    assert urls[f"http://testserver/ru/articles/{article.slug}/"]["x-default"] == (
        f"http://testserver/kk/articles/{article.slug}/"
    )


def test_the_sitemap_is_an_index_of_days_each_read_in_one_query(client, django_assert_num_queries):
    # 23:30 in Almaty is the previous day in UTC: days are local days.
    for day in (5, 5, 7):
        article = article_with_paragraphs(
            count=1, dateline=datetime.datetime(2022, 1, day, 23, 30, tzinfo=ALMATY)
        )
        publish(article, "en")
        translate(article, "ru")
        publish(article, "ru")
    draft = article_with_paragraphs(count=1, dateline=datetime.datetime(2022, 2, 1, tzinfo=ALMATY))
    edition_in_state(draft, "en", EditionState.IN_PROGRESS)

    with django_assert_num_queries(2):
        sections = sitemap_sections(client)
    # Newest day first; a day with nothing in it still has its (empty) file.
    assert sections == [
        "http://testserver/sitemap-2022-01-07.xml",
        "http://testserver/sitemap-2022-01-06.xml",
        "http://testserver/sitemap-2022-01-05.xml",
    ]
    with django_assert_num_queries(1):
        response = client.get("/sitemap-2022-01-05.xml")
    assert response.content.count(b"<url>") == 4
    assert client.get("/sitemap-2022-01-06.xml").content.count(b"<url>") == 0


@pytest.mark.parametrize(
    "section", ["2022-13-01", "2022-02-30", "0000-01-01", "2022-1-1", "2022-01", "abcd-ef-gh"]
)
def test_a_sitemap_for_no_day_is_a_404(client, section):
    assert client.get(f"/sitemap-{section}.xml").status_code == 404


def test_an_empty_archive_has_an_empty_sitemap_index(client):
    assert sitemap_sections(client) == []
