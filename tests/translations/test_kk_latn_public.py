"""Kazakh in Latin script on the public site: /kk-latn/ pages, tagged kk-Latn."""

import re
from xml.etree import ElementTree

import pytest
from django.utils import translation
from django.utils.translation import get_language_info

from tests.factories import ContributorFactory, article_with_paragraphs, publish, translate
from translations.languages import language_tag

from .test_feeds import sitemap_urls

pytestmark = pytest.mark.django_db

LATIN = ["Qazaqstan Respublikasynyñ Ükımetı jaña zañ qabyldady."]


@pytest.fixture
def latin_article():
    article = article_with_paragraphs(count=1, source_language="en")
    publish(article, "en")
    translate(article, "kk-latn", LATIN, title="Jaña zañ")
    publish(article, "kk-latn", translators=[ContributorFactory(name_kk="Сәуле Нұрпейісова")])
    return article


@pytest.mark.parametrize(
    ("code", "tag"), [("kk-latn", "kk-Latn"), ("kk", "kk"), ("en", "en"), ("sr-latn", "sr-Latn")]
)
def test_language_codes_become_bcp_47_tags(code, tag):
    assert language_tag(code) == tag


def test_django_knows_the_language():
    info = get_language_info("kk-latn")
    assert (info["code"], info["name_local"]) == ("kk-latn", "Qazaqşa")


def test_the_article_page_is_at_kk_latn_and_tagged_kk_latn(client, latin_article):
    html = client.get(f"/kk-latn/articles/{latin_article.slug}/").content.decode()
    assert '<html lang="kk-Latn">' in html
    assert LATIN[0] in html and "<h1" in html and "Jaña zañ" in html
    assert (
        f'<link rel="alternate" hreflang="kk-Latn" '
        f'href="http://testserver/kk-latn/articles/{latin_article.slug}/">'
    ) in html
    assert re.search(r'hreflang="kk-Latn" lang="kk-Latn"[^>]*>Qazaqşa \(latyn\)</a>', html)


def test_credits_and_interface_words_are_in_latin_letters(client, latin_article):
    html = client.get(f"/kk-latn/articles/{latin_article.slug}/").content.decode()
    assert "Audarğan: Säule Nūrpeiısova" in html
    assert "Аударған" not in html and "Сәуле" not in html


def test_the_list_page_speaks_latin_kazakh(client, latin_article):
    html = client.get("/kk-latn/").content.decode()
    assert '<html lang="kk-Latn">' in html
    assert "Jaña zañ" in html
    with translation.override("kk"):
        assert translation.gettext("Kazakh") not in html.split("<nav", 1)[0]


def test_the_feed_is_tagged_kk_latn(client, latin_article):
    response = client.get("/kk-latn/feed/")
    root = ElementTree.fromstring(response.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "kk-Latn"
    assert "Jaña zañ" in response.content.decode()


def test_the_sitemap_names_the_latin_edition_kk_latn(client, latin_article):
    urls = sitemap_urls(client)
    latin_url = f"http://testserver/kk-latn/articles/{latin_article.slug}/"
    assert urls[latin_url]["kk-Latn"] == latin_url
    assert urls[latin_url]["en"] == f"http://testserver/en/articles/{latin_article.slug}/"


def test_search_finds_latin_words_in_the_latin_edition_only(client, latin_article):
    found = client.get("/kk-latn/search/?q=qazaqstan")
    assert [e.live_version.title for e in found.context["editions"]] == ["Jaña zañ"]
    assert list(client.get("/en/search/?q=qazaqstan").context["editions"]) == []
