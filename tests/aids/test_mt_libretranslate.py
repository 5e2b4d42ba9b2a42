"""LibreTranslate against a local fake of its REST API (``POST /translate``)."""

import pytest
from django.test import override_settings

from aids.mt import MachineTranslationError, mt_translate

pytestmark = pytest.mark.usefixtures("loopback_only", "fresh_providers")

FAST = {"timeout": 0.5, "attempts": 3, "backoff": 0.01, "max_wait": 5}


@pytest.fixture
def libre(service, monkeypatch):
    monkeypatch.setenv("LIBRETRANSLATE_URL", service.url + "/")
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "lt-key")
    with override_settings(TILMASH_MT={"en>kk": {"provider": "libretranslate", **FAST}}):
        yield service


def draft(text="Hello, world."):
    return mt_translate(text=text, source_language="en", target_language="kk")


def test_the_request_is_libretranslates_and_the_answer_is_its_translated_text(libre):
    libre.answer(200, {"translatedText": "Сәлем, әлем."})
    assert draft() == "Сәлем, әлем."
    [request] = libre.received
    assert (request.method, request.path) == ("POST", "/translate")
    assert request.headers["content-type"] == "application/json"
    assert request.json == {
        "q": "Hello, world.", "source": "en", "target": "kk", "format": "text",
        "api_key": "lt-key",
    }


def test_without_a_key_none_is_sent(libre, monkeypatch):
    monkeypatch.delenv("LIBRETRANSLATE_API_KEY")
    libre.answer(200, {"translatedText": "Сәлем."})
    draft()
    assert "api_key" not in libre.received[0].json


def test_a_refused_language_says_why_and_is_not_retried(libre):
    libre.answer(400, {"error": "kk is not supported"})
    with pytest.raises(MachineTranslationError,
                       match="LibreTranslate could not translate this: kk is not supported"):
        draft()
    assert len(libre.received) == 1


def test_a_wrong_key_is_named(libre):
    libre.answer(403, {"error": "Invalid API key"})
    with pytest.raises(MachineTranslationError, match=r"refused the credentials \(HTTP 403\)"):
        draft()
    assert len(libre.received) == 1


def test_a_rate_limit_is_waited_out_as_retry_after_asks(libre, slept):
    libre.answer(429, {"error": "Slowdown: 10 per 1 minute"}, {"Retry-After": "2"})
    libre.answer(200, {"translatedText": "Сәлем."})
    assert draft() == "Сәлем."
    assert len(libre.received) == 2
    assert slept == [2.0]


def test_server_errors_are_retried_then_reported(libre, slept):
    for _ in range(3):
        libre.answer(500, {"error": "Cannot translate text"})
    with pytest.raises(MachineTranslationError, match=r"is unavailable \(HTTP 500\)"):
        draft()
    assert len(libre.received) == 3
    assert len(slept) == 2 and slept[0] < slept[1]  # exponential backoff


def test_a_hung_server_times_out(libre, slept):
    libre.hang().hang().hang()
    with pytest.raises(MachineTranslationError, match=r"did not answer within 0\.5 s"):
        draft()
    assert len(libre.received) == 3


def test_an_answer_without_a_translation_is_an_error(libre):
    libre.answer(200, {"detectedLanguage": {"language": "en"}})
    with pytest.raises(MachineTranslationError, match="not a translation"):
        draft()


def test_an_unset_url_says_which_variable(libre, monkeypatch):
    monkeypatch.delenv("LIBRETRANSLATE_URL")
    with pytest.raises(MachineTranslationError, match="LIBRETRANSLATE_URL is not set"):
        draft()
    assert libre.received == []


def test_empty_text_needs_no_request(libre):
    assert draft("   ") == ""
    assert libre.received == []
