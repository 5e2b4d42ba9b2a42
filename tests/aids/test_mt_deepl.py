"""DeepL through the official library, against a local fake of DeepL's API v2."""

import pytest
from django.test import override_settings

from aids.mt import MachineTranslationError, mt_translate
from aids.mt import deepl as deepl_provider
from tests.aids.conftest import glossary_term
from tests.factories import article_with_paragraphs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("loopback_only", "fresh_providers"),
]

KEY = "0b7c2ad1-test-key"
FAST = {"timeout": 0.5, "attempts": 3, "backoff": 0.01, "max_wait": 5}


def glossary_info(name, glossary_id="gl-1", count=1, source="en", target="kk"):
    return {"glossary_id": glossary_id, "name": name, "ready": True, "source_lang": source,
            "target_lang": target, "creation_time": "2026-12-07T03:00:00.000Z",
            "entry_count": count}


def translated(text):
    return {"translations": [{"detected_source_language": "EN", "text": text,
                              "billed_characters": 42}]}


@pytest.fixture
def deepl(service, monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", service.url)
    with override_settings(TILMASH_MT={"default": {"provider": "deepl", **FAST}}):
        yield service


@pytest.fixture
def article():
    return article_with_paragraphs(
        texts=["Markets opened calm.", "Tokayev met the minister.", "Talks went on."],
        title="Tokayev's day",
    )


def draft(text="Tokayev met the minister.", article=None, target="kk"):
    return mt_translate(text=text, source_language="en", target_language=target, article=article)


def test_without_terms_the_text_goes_to_v2_translate_with_the_key(deepl):
    deepl.answer(200, translated("Сәлем."))
    assert draft("Hello.") == "Сәлем."
    [request] = deepl.received
    assert (request.method, request.path) == ("POST", "/v2/translate")
    assert request.headers["authorization"] == f"DeepL-Auth-Key {KEY}"
    assert request.headers["user-agent"].startswith("deepl-python/")
    assert request.json["text"] == ["Hello."]
    assert (request.json["source_lang"], request.json["target_lang"]) == ("EN", "KK")
    assert "glossary_id" not in request.json


def test_our_glossary_becomes_a_deepl_glossary_used_for_the_translation(deepl, article):
    glossary_term(en="Tokayev", kk="Тоқаев")
    glossary_term(en="Astana", ru="Астана")  # no Kazakh spelling: not an entry
    name = deepl_provider.glossary_name({"Tokayev": "Тоқаев"}, "en", "kk")
    deepl.answer(200, {"glossaries": []})
    deepl.answer(201, glossary_info(name, "gl-1"))
    deepl.answer(200, translated("Тоқаев министрмен кездесті."))
    assert draft(article=article) == "Тоқаев министрмен кездесті."
    listing, creation, translation = deepl.received
    assert (listing.method, listing.path) == ("GET", "/v2/glossaries")
    assert (creation.method, creation.path) == ("POST", "/v2/glossaries")
    assert creation.json == {"name": name, "source_lang": "EN", "target_lang": "KK",
                             "entries_format": "tsv", "entries": "Tokayev\tТоқаев"}
    assert translation.json["glossary_id"] == "gl-1"
    # the title and the neighbouring paragraphs, as context DeepL does not translate
    assert translation.json["context"] == (
        "Tokayev's day\n\nMarkets opened calm.\n\nTalks went on.")


def test_the_same_terms_reuse_the_glossary_without_asking_again(deepl, article):
    glossary_term(en="Tokayev", kk="Тоқаев")
    name = deepl_provider.glossary_name({"Tokayev": "Тоқаев"}, "en", "kk")
    deepl.answer(200, {"glossaries": []}).answer(201, glossary_info(name, "gl-1"))
    deepl.answer(200, translated("Бір.")).answer(200, translated("Екі."))
    draft(article=article)
    draft("Talks went on.", article=article)
    paths = [request.path for request in deepl.received]
    assert paths == ["/v2/glossaries", "/v2/glossaries", "/v2/translate", "/v2/translate"]
    assert deepl.received[3].json["glossary_id"] == "gl-1"


def test_a_glossary_deepl_already_holds_is_found_by_its_name(deepl, article):
    glossary_term(en="Tokayev", kk="Тоқаев")
    name = deepl_provider.glossary_name({"Tokayev": "Тоқаев"}, "en", "kk")
    other = deepl_provider.glossary_name({"Tokayev": "Токаев"}, "en", "kk")
    deepl.answer(200, {"glossaries": [glossary_info(other, "gl-old"), glossary_info(name, "gl-7")]})
    deepl.answer(200, translated("Тоқаев."))
    draft(article=article)
    assert [r.method for r in deepl.received] == ["GET", "POST"]
    assert deepl.received[1].json["glossary_id"] == "gl-7"


def test_changed_terms_make_a_new_glossary(deepl, article):
    term = glossary_term(en="Tokayev", kk="Тоқаев")
    first = deepl_provider.glossary_name({"Tokayev": "Тоқаев"}, "en", "kk")
    deepl.answer(200, {"glossaries": []}).answer(201, glossary_info(first, "gl-1"))
    deepl.answer(200, translated("Бір."))
    draft(article=article)
    term.term_kk = "Тоқаевтың"
    term.save()
    second = deepl_provider.glossary_name({"Tokayev": "Тоқаевтың"}, "en", "kk")
    deepl.answer(200, {"glossaries": [glossary_info(first, "gl-1")]})
    deepl.answer(201, glossary_info(second, "gl-2"))
    deepl.answer(200, translated("Екі."))
    draft(article=article)
    creation = deepl.received[4]
    assert creation.json["name"] == second != first
    assert creation.json["entries"] == "Tokayev\tТоқаевтың"
    assert deepl.received[5].json["glossary_id"] == "gl-2"


def test_a_pair_without_glossary_support_is_translated_without_one(deepl, article):
    glossary_term(en="Tokayev", kk="Тоқаев")
    deepl.answer(200, {"glossaries": []})
    deepl.answer(400, {"message": "Unsupported glossary source and target pair"})
    deepl.answer(200, translated("Тоқаев."))
    assert draft(article=article) == "Тоқаев."
    assert "glossary_id" not in deepl.received[2].json
    deepl.answer(200, translated("Тоқаев."))
    draft(article=article)  # the refusal is remembered: straight to the translation
    assert [r.path for r in deepl.received[3:]] == ["/v2/translate"]


def test_english_is_asked_for_in_a_regional_variant(deepl):
    deepl.answer(200, translated("Hello."))
    mt_translate(text="Сәлем.", source_language="kk", target_language="en")
    assert deepl.received[0].json["target_lang"] == "EN-GB"


@pytest.mark.parametrize(
    ("status", "body", "message", "tries"),
    [
        (403, {"message": "Wrong endpoint"}, r"DeepL refused the credentials \(HTTP 403\)", 1),
        (456, {"message": "Quota Exceeded"}, "quota for this billing period is used up", 1),
        (400, {"message": "Value for 'target_lang' not supported."},
         "DeepL could not translate this: Value for 'target_lang' not supported.", 1),
        (503, {"message": "Service unavailable"}, r"DeepL is unavailable \(HTTP 503\)", 3),
        (500, {"message": "Internal error"}, r"DeepL is unavailable \(HTTP 500\)", 3),
    ],
)
def test_deepls_errors_are_named_and_only_passing_ones_retried(
    deepl, slept, status, body, message, tries
):
    for _ in range(tries):
        deepl.answer(status, body)
    with pytest.raises(MachineTranslationError, match=message):
        draft("Hello.")
    assert len(deepl.received) == tries


def test_a_rate_limit_waits_as_long_as_retry_after_says(deepl, slept):
    deepl.answer(429, {"message": "Too many requests"}, {"Retry-After": "3"})
    deepl.answer(200, translated("Сәлем."))
    assert draft("Hello.") == "Сәлем."
    assert slept == [3.0]


def test_a_hung_deepl_times_out_on_our_timeout(deepl, slept):
    deepl.hang().hang().hang()
    with pytest.raises(MachineTranslationError, match=r"DeepL did not answer within 0\.5 s"):
        draft("Hello.")
    assert len(deepl.received) == 3


def test_no_key_no_request(deepl, monkeypatch):
    monkeypatch.delenv("DEEPL_AUTH_KEY")
    with pytest.raises(MachineTranslationError, match="DEEPL_AUTH_KEY is not set"):
        draft("Hello.")
    assert deepl.received == []


def test_a_glossary_deleted_on_deepls_side_is_looked_up_again(deepl, article):
    glossary_term(en="Tokayev", kk="Тоқаев")
    name = deepl_provider.glossary_name({"Tokayev": "Тоқаев"}, "en", "kk")
    deepl.answer(200, {"glossaries": [glossary_info(name, "gl-1")]})
    deepl.answer(200, translated("Бір."))
    draft(article=article)
    deepl.answer(404, {"message": "Glossary not found"})
    with pytest.raises(MachineTranslationError, match=r"could not translate this \(HTTP 404\)"):
        draft(article=article)
    deepl.answer(200, {"glossaries": []}).answer(201, glossary_info(name, "gl-2"))
    deepl.answer(200, translated("Екі."))
    assert draft(article=article) == "Екі."
    assert deepl.received[-1].json["glossary_id"] == "gl-2"
