"""What the editor's row shows when machine translation works, fails or is misconfigured,
and how providers are chosen per language pair."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from aids.mt import (
    EchoProvider,
    MachineTranslationError,
    PretranslateProvider,
    mt_provider,
    mt_translate,
)
from aids.mt.libretranslate import LibreTranslateProvider
from tests.factories import article_with_paragraphs, assign, publish, translator
from translations.services import edition_get_or_create

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("loopback_only", "fresh_providers"),
]


@pytest.fixture
def row(service, monkeypatch):
    """Alice's suggestions for paragraph p2 of a Kazakh edition, as the editor fetches them."""
    monkeypatch.setenv("LIBRETRANSLATE_URL", service.url)
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice", is_staff=True)
    assign(edition, alice)
    client = Client()
    client.force_login(alice)
    url = reverse("admin:translations_edition_editor_suggest", args=[edition.pk, "p2"])

    def fetch():
        response = client.get(url + "?fragment=1")
        assert response.status_code == 200
        return response.content.decode()

    return fetch


LIBRE = {"provider": "libretranslate", "timeout": 0.5, "attempts": 2, "backoff": 0.01}


def test_a_draft_from_the_provider_shows_on_the_row(row, service):
    service.answer(200, {"translatedText": "Екінші абзац."})
    with override_settings(TILMASH_MT={"en>kk": LIBRE}):
        page = row()
    assert "Екінші абзац." in page and "data-editor-use" in page
    assert service.received[0].json["q"] == "Paragraph 2."


def test_a_failing_provider_leaves_a_message_on_the_row_and_the_rest_of_it(row, service, slept):
    service.answer(500, {"error": "Cannot translate text"})
    service.answer(500, {"error": "Cannot translate text"})
    with override_settings(TILMASH_MT={"en>kk": LIBRE}):
        page = row()
    assert "LibreTranslate is unavailable (HTTP 500)." in page
    assert "From the translation memory" in page  # the memory part is still there


def test_an_open_breaker_answers_the_row_at_once(row, service, slept):
    service.answer(503, {"error": "down"})
    with override_settings(TILMASH_MT={"en>kk": {**LIBRE, "attempts": 1,
                                                 "breaker_failures": 1}}):
        row()
        page = row()
    assert "LibreTranslate is paused after repeated failures" in page
    assert len(service.received) == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"provider": "nonesuch"}, "there is no provider nonesuch"),
        ({"provider": "libretranslate", "colour": "blue"}, "does not take these options (colour)"),
        ({"provider": "libretranslate", "url_env": "NO_SUCH_VARIABLE"},
         "the environment variable NO_SUCH_VARIABLE is not set"),
    ],
)
def test_a_misconfigured_provider_says_what_is_wrong_on_the_row(row, config, message):
    with override_settings(TILMASH_MT={"default": config}):
        page = row()
    assert message in page


def test_each_pair_gets_its_provider_and_others_the_default():
    config = {"default": {"provider": "echo"}, "en>kk": {"provider": "libretranslate"}}
    with override_settings(TILMASH_MT=config), pytest.MonkeyPatch.context() as patch:
        patch.setenv("LIBRETRANSLATE_URL", "http://127.0.0.1:9")
        assert isinstance(mt_provider(source_language="en", target_language="kk"),
                          LibreTranslateProvider)
        assert isinstance(mt_provider(source_language="en", target_language="ru"), EchoProvider)


@override_settings(TILMASH_MT={}, TILMASH_MT_PROVIDER="aids.mt.PretranslateProvider")
def test_without_tilmash_mt_the_old_setting_still_chooses():
    assert isinstance(mt_provider(source_language="en", target_language="kk"),
                      PretranslateProvider)


@override_settings(TILMASH_MT={"default": {"provider": "aids.mt.base.EchoProvider"}})
def test_a_dotted_path_names_a_provider_of_ones_own():
    assert mt_translate(text="Hello.", source_language="en", target_language="kk") == "Hello."


def test_the_error_is_a_machine_translation_error_for_callers():
    with override_settings(TILMASH_MT={"default": {"provider": "nonesuch"}}), pytest.raises(
        MachineTranslationError
    ):
        mt_provider()
