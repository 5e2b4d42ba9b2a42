"""``load_demo``'s lifecycle stories: one corrected in all three languages, one updated."""

from html import unescape

import pytest

from reviews.management.commands.load_demo import BRIDGE_UPDATE, LIBRARY_CORRECTION
from tests.test_demo import load_demo
from translations.models import Article, EditionState

pytestmark = pytest.mark.django_db


def page(client, language, article):
    response = client.get(f"/{language}/articles/{article.slug}/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_library_story_shows_its_correction_in_every_language(client, settings):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 0
    load_demo()
    library = Article.objects.get(source_language="kk", slug__contains="kitapkhana")
    for language, (text, note) in LIBRARY_CORRECTION.items():
        html = page(client, language, library)
        assert "story__correction" in html and "story__follows" not in html
        assert note in html and text in html
        assert note in unescape(client.get(f"/{language}/corrections/").content.decode())


def test_the_bridge_story_is_updated_and_its_english_edition_follows(client, settings):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 0
    load_demo()
    bridge = Article.objects.get(source_language="ru", slug__contains="most")
    for language in ("ru", "kk"):
        html = page(client, language, bridge)
        assert "story__updated" in html and BRIDGE_UPDATE[language][1] in html
    english = page(client, "en", bridge)
    assert "story__follows" in english and "story__updated" not in english
    edition = bridge.editions.get(language="en")
    assert edition.state == EditionState.IN_PROGRESS and edition.live_version_id
