"""Structured data for news: the article page's NewsArticle JSON-LD and OpenGraph tags,
and the Google News sitemap; from live versions only, in constant queries."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from reviews import services as workflow
from tests.factories import (
    ContributorFactory,
    article_with_paragraphs,
    editor,
    publish,
    translate,
)
from tests.lifecycle import newsroom
from tests.lifecycle_helpers import clock_at, senior_editor
from tests.reviews.test_pretranslate_pages import approved_machine_edition, desk  # noqa: F401
from tests.translations.test_lifecycle_public import (
    KK_NOTE,
    NOTE,
    approve_at,
    correction_submitted,
    kk_correction_approved,
)
from translations import pages, structured
from translations.models import Edition
from translations.news_sitemap import editions_news_list

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 0


def page(client, language, slug):
    response = client.get(f"/{language}/articles/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    [found] = LD_JSON.findall(html)
    return json.loads(found)


def opengraph(html):
    """``[(property, content)]`` of the page's ``<meta property=…>`` tags, unescaped."""
    from html import unescape

    return [
        (name, unescape(content))
        for name, content in re.findall(r'<meta property="([^"]+)" content="([^"]*)">', html)
    ]


def edition_of(article, language):
    return Edition.objects.select_related("article").get(article=article, language=language)


def withdraw(article):
    workflow.article_withdraw(
        edition=edition_of(article, "en"), user=senior_editor(), reason="Legal."
    )


# --- The NewsArticle ---------------------------------------------------------------------


@pytest.fixture
def credited():
    """English source by an author, translated into Kazakh; both live with credits."""
    from translations import services

    article = article_with_paragraphs(texts=["The bridge opens in May.", "It cost a lot."])
    author, translator_, editor_ = (ContributorFactory() for _n in range(3))
    edition = services.edition_get_or_create(article=article, language="en")
    version = services.version_snapshot(edition=edition, user=None)
    services.credits_replace(version=version, credits=[(author, "author"), (editor_, "editor")])
    services.version_go_live(version=version, user=None, action="tests.publish")
    translate(article, "kk")
    publish(article, "kk", translators=[translator_], editors=[editor_])
    return article, author, translator_, editor_


def test_the_json_ld_is_a_news_article_with_its_required_fields(client, credited):
    article, author, translator_, editor_ = credited
    data = json_ld(page(client, "kk", article.slug))
    url = f"http://testserver/kk/articles/{article.slug}/"
    live = edition_of(article, "kk").live_version
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == live.title
    assert data["inLanguage"] == "kk"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == url
    assert data["description"] == "[kk] The bridge opens in May."
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Tilmash",
        "url": "http://testserver/kk/",
    }
    published = datetime.datetime.fromisoformat(data["datePublished"])
    assert published == live.approved_at.replace(microsecond=0)
    assert data["dateModified"] == data["datePublished"]
    assert data["translator"] == [{"@type": "Person", "name": translator_.name_in("kk")}]
    assert data["editor"] == [{"@type": "Person", "name": editor_.name_in("kk")}]
    assert "author" not in data  # the Kazakh version credits no author
    source = json_ld(page(client, "en", article.slug))
    assert source["author"] == [{"@type": "Person", "name": author.name_in("en")}]


def test_the_publisher_is_the_newsroom_s_setting(client, credited, settings):
    settings.TILMASH_PUBLISHER_NAME = "Qazaq News"
    html = page(client, "en", credited[0].slug)
    assert json_ld(html)["publisher"]["name"] == "Qazaq News"
    assert ("og:site_name", "Qazaq News") in opengraph(html)


def test_a_headline_cannot_break_out_of_the_script(client):
    title = 'Hi </script><script>alert("x")</script> & <!-- more'
    article = article_with_paragraphs(title=title)
    publish(article, "en")
    html = page(client, "en", article.slug)
    assert json_ld(html)["headline"] == title
    assert "<script>alert" not in html


def test_the_script_json_escapes_what_could_end_a_script_element():
    text = structured.script_json({"headline": "</script> & <!-- \u2028"})
    assert not {"<", ">", "&", "\u2028"} & set(text)
    assert json.loads(text) == {"headline": "</script> & <!-- \u2028"}


def test_editions_link_as_translations_of_the_source_and_back(client):
    newsroom()
    data = {language: json_ld(page(client, language, "bridge")) for language in ("en", "kk", "ru")}
    for language in ("kk", "ru"):
        assert data[language]["translationOfWork"] == {
            "@type": "NewsArticle",
            "url": "http://testserver/en/articles/bridge/",
            "inLanguage": "en",
        }
        assert "workTranslation" not in data[language]
    assert [ref["url"] for ref in data["en"]["workTranslation"]] == [
        "http://testserver/kk/articles/bridge/",
        "http://testserver/ru/articles/bridge/",
    ]
    assert "translationOfWork" not in data["en"]


def test_a_transliterated_edition_is_a_translation_of_the_one_it_comes_from(client):
    article = article_with_paragraphs(count=1)
    publish(article, "en")
    translate(article, "kk")
    publish(article, "kk")
    translate(article, "kk-latn")
    publish(article, "kk-latn")
    latin = json_ld(page(client, "kk-latn", article.slug))
    assert latin["inLanguage"] == "kk-Latn"
    assert latin["translationOfWork"]["url"].endswith(f"/kk/articles/{article.slug}/")
    kazakh = json_ld(page(client, "kk", article.slug))
    assert [ref["inLanguage"] for ref in kazakh["workTranslation"]] == ["kk-Latn"]
    english = json_ld(page(client, "en", article.slug))
    assert [ref["inLanguage"] for ref in english["workTranslation"]] == ["kk"]


def test_an_embargoed_sibling_is_named_nowhere_until_its_time(client):
    newsroom()
    until = timezone.now() + HOUR
    workflow.embargo_set(edition=edition_of_slug("kk"), user=editor(), until=until)
    for language in ("en", "ru"):
        html = page(client, language, "bridge")
        assert "/kk/articles/bridge/" not in html
        assert ("og:locale:alternate", "kk") not in opengraph(html)
    english = json_ld(page(client, "en", "bridge"))
    assert [ref["inLanguage"] for ref in english["workTranslation"]] == ["ru"]
    with clock_at(until):
        english = json_ld(page(client, "en", "bridge"))
        assert [ref["inLanguage"] for ref in english["workTranslation"]] == ["kk", "ru"]
        kazakh = json_ld(page(client, "kk", "bridge"))
        assert kazakh["datePublished"] == structured.iso(until)


def test_a_translation_of_an_embargoed_source_names_no_source(client):
    newsroom()
    workflow.embargo_set(edition=edition_of_slug("en"), user=editor(), until=timezone.now() + HOUR)
    kazakh = json_ld(page(client, "kk", "bridge"))
    assert "translationOfWork" not in kazakh
    assert "/en/articles/bridge/" not in page(client, "kk", "bridge")


def edition_of_slug(language, slug="bridge"):
    return Edition.objects.select_related("article").get(article__slug=slug, language=language)


def test_date_published_is_the_first_approval_and_date_modified_the_live_version(client):
    first = datetime.datetime(2026, 12, 5, 9, 5, tzinfo=datetime.UTC)
    with clock_at(first):
        room = newsroom()
    workflow.update_open(edition=room.edition("en"), user=room.author, note="Adds the month.")
    room.save("en", room.author, {"p1": "The bridge opens in June."})
    version = room.submit("en", room.author)
    later = first + 3 * HOUR
    with clock_at(later):
        room.approve(version)
    data = json_ld(page(client, "en", "bridge"))
    assert data["datePublished"] == "2026-12-05T14:05:00+05:00"
    assert data["dateModified"] == "2026-12-05T17:05:00+05:00"
    tags = dict(opengraph(page(client, "en", "bridge")))
    assert tags["article:published_time"] == data["datePublished"]
    assert tags["article:modified_time"] == data["dateModified"]


def test_corrections_are_listed_in_the_page_s_language(client):
    room = newsroom()
    approve_at(room, correction_submitted(room))
    kk_correction_approved(room)
    english = json_ld(page(client, "en", "bridge"))
    assert english["correction"] == [
        {"@type": "CorrectionComment", "text": NOTE, "datePublished": "2026-12-05T14:05:00+05:00"}
    ]
    kazakh = json_ld(page(client, "kk", "bridge"))
    assert [entry["text"] for entry in kazakh["correction"]] == [KK_NOTE]
    # Russian has not approved its correction: no note, in no language.
    russian = page(client, "ru", "bridge")
    assert "correction" not in json_ld(russian)
    assert NOTE not in russian and KK_NOTE not in russian


def test_a_correction_not_yet_approved_is_not_in_the_structured_data(client):
    room = newsroom()
    assert correction_submitted(room).approved_at is None
    html = page(client, "en", "bridge")
    assert "correction" not in json_ld(html)
    assert NOTE not in html


def test_machine_assistance_is_disclosed_in_the_credit_text_when_turned_on(
    client,
    approved_machine_edition,  # noqa: F811  (the fixture)
    settings,
):
    from django.utils import translation

    slug = approved_machine_edition.article.slug
    assert "Machine" not in json_ld(page(client, "kk", slug)).get("creditText", "")
    settings.TILMASH_MACHINE_CREDIT = True
    credit_text = json_ld(page(client, "kk", slug))["creditText"]
    with translation.override("kk"):
        start = translation.gettext("Machine-assisted translation, edited by %(names)s.")
    assert start.split("%(names)s")[0] in credit_text


def test_opengraph_names_the_page_and_its_other_public_languages(client):
    newsroom()
    html = page(client, "ru", "bridge")
    tags = opengraph(html)
    data = json_ld(html)
    assert ("og:type", "article") in tags
    assert ("og:title", data["headline"]) in tags
    assert ("og:description", "[ru] The bridge opens in May.") in tags
    assert ("og:url", "http://testserver/ru/articles/bridge/") in tags
    assert ("og:locale", "ru") in tags
    assert sorted(c for p, c in tags if p == "og:locale:alternate") == ["en", "kk"]
    assert '<meta name="description" content="[ru] The bridge opens in May.">' in html


def test_a_long_lead_is_cut_at_a_word(client):
    words = " ".join(f"word{n}" for n in range(100))
    article = article_with_paragraphs(texts=[words])
    publish(article, "en")
    data = json_ld(page(client, "en", article.slug))
    assert data["description"].startswith("word0 word1")
    assert data["description"].endswith("word39…")


@pytest.mark.parametrize("languages", [("en",), ("en", "kk", "ru", "kk-latn")])
@pytest.mark.parametrize("corrections", [0, 3])
def test_the_page_keeps_its_three_queries(
    client, django_assert_num_queries, settings, languages, corrections
):
    article = article_with_paragraphs(count=4)
    people = [ContributorFactory() for _n in range(3)]
    for language in languages:
        if language != "en":
            translate(article, language)
        publish(article, language, translators=people[:2], editors=people[2:])
    user = editor("corrector")
    for number in range(corrections):
        edition = edition_of(article, "en")
        workflow.correction_open(edition=edition, user=user, note=f"Correction {number}.")
        version = workflow.version_submit(edition=edition_of(article, "en"), user=user)
        workflow.version_approve(version=version, user=editor(f"approver{number}"))
    # Rendered (no page built yet, or pre-built pages off): the page's three queries.
    settings.TILMASH_PUBLIC_PAGES = False
    with django_assert_num_queries(3):
        html = page(client, "en", article.slug)
    data = json_ld(html)
    assert len(data.get("correction", [])) == corrections
    assert len(data.get("workTranslation", [])) == len(languages) - 1 - ("kk-latn" in languages)
    # Built at publication, the same structured data comes in the page's one read.
    settings.TILMASH_PUBLIC_PAGES = True
    page(client, "en", article.slug)  # the first reader builds it
    pages._memory.clear()
    with django_assert_num_queries(1):
        built = page(client, "en", article.slug)
    assert json_ld(built) == data


# --- The Google News sitemap -------------------------------------------------------------


def news_entries(client):
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    return [
        {
            "loc": url.findtext(f"{SITEMAP}loc"),
            "name": url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name"),
            "language": url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language"),
            "date": url.findtext(f"{NEWS}news/{NEWS}publication_date"),
            "title": url.findtext(f"{NEWS}news/{NEWS}title"),
        }
        for url in root.findall(f"{SITEMAP}url")
    ]


@pytest.fixture
def fresh():
    """An article dated now, live in English and Kazakh."""
    article = article_with_paragraphs(title="Fresh <news> & more", dateline=timezone.now())
    publish(article, "en")
    translate(article, "kk")
    publish(article, "kk")
    return article


def test_the_news_sitemap_lists_recent_editions_with_their_publication(client, fresh):
    entries = news_entries(client)
    by_url = {entry["loc"]: entry for entry in entries}
    english = by_url[f"http://testserver/en/articles/{fresh.slug}/"]
    assert english["name"] == "Tilmash"
    assert english["language"] == "en"
    assert english["title"] == "Fresh <news> & more"
    assert english["date"] == json_ld(page(client, "en", fresh.slug))["datePublished"]
    assert by_url[f"http://testserver/kk/articles/{fresh.slug}/"]["language"] == "kk"
    assert len(entries) == 2


def test_the_news_sitemap_is_listed_first_in_the_index(client, fresh):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert locations[0] == "http://testserver/sitemap-news.xml"


def test_an_archive_without_recent_news_lists_no_news_sitemap(client):
    publish(article_with_paragraphs(count=1), "en")  # dated 2022
    assert b"sitemap-news.xml" not in client.get("/sitemap.xml").content
    assert news_entries(client) == []


def test_news_older_than_two_days_leaves_the_news_sitemap(client, fresh):
    with clock_at(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        assert news_entries(client) == []


def test_withdrawal_drops_the_article_from_the_news_sitemap(client, fresh):
    withdraw(fresh)
    assert news_entries(client) == []
    workflow.article_reinstate(edition=edition_of(fresh, "en"), user=senior_editor("again"))
    assert len(news_entries(client)) == 2


def test_an_embargoed_edition_joins_the_news_at_its_time_dated_then(client, fresh):
    until = timezone.now() + HOUR
    workflow.embargo_set(edition=edition_of(fresh, "kk"), user=editor(), until=until)
    kk_url = f"http://testserver/kk/articles/{fresh.slug}/"
    assert kk_url not in [entry["loc"] for entry in news_entries(client)]
    with clock_at(until):
        entries = {entry["loc"]: entry for entry in news_entries(client)}
    assert entries[kk_url]["date"] == structured.iso(until)


def test_a_draft_title_never_reaches_the_news_sitemap(client, fresh):
    translate(fresh, "kk", title="Draft headline")
    assert "Draft headline" not in client.get("/sitemap-news.xml").content.decode()


@pytest.mark.parametrize("articles", [1, 6])
def test_the_news_sitemap_makes_one_query(client, django_assert_num_queries, articles):
    for _n in range(articles):
        article = article_with_paragraphs(count=1, dateline=timezone.now())
        publish(article, "en")
        translate(article, "ru")
        publish(article, "ru")
    with django_assert_num_queries(1):
        entries = news_entries(client)
    assert len(entries) == 2 * articles


def test_the_news_list_is_newest_first_and_bounded(fresh):
    later = article_with_paragraphs(count=1, dateline=timezone.now())
    with clock_at(timezone.now() + HOUR):
        publish(later, "en")
        entries = editions_news_list(limit=2)
    assert [entry.slug for entry in entries] == [later.slug, fresh.slug]
    assert len(entries) == 2
