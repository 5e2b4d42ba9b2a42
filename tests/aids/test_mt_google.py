"""Google Cloud Translation v3 (REST ``translateText``) against a local fake."""

import pytest
from django.test import override_settings

from aids.mt import MachineTranslationError, mt_translate

pytestmark = pytest.mark.usefixtures("loopback_only", "fresh_providers")

FAST = {"timeout": 0.5, "attempts": 3, "backoff": 0.01, "max_wait": 5}
PATH = "/v3/projects/newsroom-1/locations/us-central1:translateText"
GLOSSARY = "projects/newsroom-1/locations/us-central1/glossaries/tilmash-en-kk"


@pytest.fixture
def google(service, monkeypatch):
    monkeypatch.setenv("GOOGLE_TRANSLATE_URL", service.url)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "newsroom-1")
    monkeypatch.setenv("GOOGLE_TRANSLATE_TOKEN", "ya29.token")
    return service


def configured(**options):
    settings = {"provider": "google", "location": "us-central1", **FAST, **options}
    return override_settings(TILMASH_MT={"en>kk": settings})


def draft(text="Tokayev met the minister."):
    return mt_translate(text=text, source_language="en", target_language="kk")


def google_error(code, status, message):
    return {"error": {"code": code, "message": message, "status": status}}


def test_the_request_is_translatetext_with_the_bearer_token(google):
    google.answer(200, {"translations": [{"translatedText": "Тоқаев министрмен кездесті."}]})
    with configured():
        assert draft() == "Тоқаев министрмен кездесті."
    [request] = google.received
    assert (request.method, request.path) == ("POST", PATH)
    assert request.headers["authorization"] == "Bearer ya29.token"
    assert request.headers["x-goog-user-project"] == "newsroom-1"
    assert request.json == {
        "contents": ["Tokayev met the minister."],
        "mimeType": "text/plain",
        "sourceLanguageCode": "en",
        "targetLanguageCode": "kk",
    }


def test_a_configured_glossary_goes_in_glossaryconfig_and_its_translation_is_taken(google):
    google.answer(200, {
        "translations": [{"translatedText": "Токаев министрмен кездесті."}],
        "glossaryTranslations": [{"translatedText": "Тоқаев министрмен кездесті.",
                                  "glossaryConfig": {"glossary": GLOSSARY}}],
    })
    with configured(glossary="tilmash-en-kk", model="general/nmt"):
        assert draft() == "Тоқаев министрмен кездесті."
    body = google.received[0].json
    assert body["glossaryConfig"] == {"glossary": GLOSSARY, "ignoreCase": False}
    assert body["model"] == "projects/newsroom-1/locations/us-central1/models/general/nmt"


def test_the_token_file_is_read_on_every_call(google, monkeypatch, tmp_path):
    token = tmp_path / "token"
    token.write_text("ya29.first\n")
    monkeypatch.setenv("GOOGLE_TRANSLATE_TOKEN_FILE", str(token))
    google.answer(200, {"translations": [{"translatedText": "Бір."}]})
    google.answer(200, {"translations": [{"translatedText": "Екі."}]})
    with configured():
        draft()
        token.write_text("ya29.second\n")
        draft()
    assert [r.headers["authorization"] for r in google.received] == [
        "Bearer ya29.first", "Bearer ya29.second"]


@pytest.mark.parametrize(
    ("status", "body", "message", "tries"),
    [
        (401, google_error(401, "UNAUTHENTICATED",
                           "Request had invalid authentication credentials."),
         r"refused the credentials \(HTTP 401\): check its key", 1),
        (400, google_error(400, "INVALID_ARGUMENT", "Target language is invalid."),
         "could not translate this: Target language is invalid.", 1),
        (503, google_error(503, "UNAVAILABLE", "The service is currently unavailable."),
         r"Google Cloud Translation is unavailable \(HTTP 503\)", 3),
    ],
)
def test_googles_errors_are_named_and_only_passing_ones_retried(
    google, slept, status, body, message, tries
):
    for _ in range(tries):
        google.answer(status, body)
    with configured(), pytest.raises(MachineTranslationError, match=message):
        draft()
    assert len(google.received) == tries


def test_resource_exhausted_is_retried_after_the_pause_asked(google, slept):
    google.answer(429, google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded."),
                  {"Retry-After": "1"})
    google.answer(200, {"translations": [{"translatedText": "Сәлем."}]})
    with configured():
        assert draft("Hello.") == "Сәлем."
    assert slept == [1.0]


def test_a_hung_google_times_out(google, slept):
    google.hang().hang().hang()
    with configured(), pytest.raises(MachineTranslationError, match=r"within 0\.5 s"):
        draft()


def test_without_a_token_nothing_is_sent(google, monkeypatch):
    monkeypatch.delenv("GOOGLE_TRANSLATE_TOKEN")
    with configured(), pytest.raises(MachineTranslationError,
                                     match="GOOGLE_TRANSLATE_TOKEN is not set"):
        draft()
    assert google.received == []
