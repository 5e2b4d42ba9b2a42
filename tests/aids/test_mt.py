"""The machine translation hook and its offline provider."""

import socket

import pytest
from django.test import override_settings

from aids.mt import (
    EchoProvider,
    MachineTranslationProvider,
    PretranslateProvider,
    mt_provider,
    mt_translate,
)
from tests.aids.conftest import glossary_term
from tests.factories import article_with_paragraphs, publish, translate

CONDOLENCES_EN = "I express my sincere condolences to the families of the victims."
CONDOLENCES_KK = "Қаза тапқандардың отбасыларына көңіл айтамын."


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a machine translation test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def memory(django_capture_on_commit_callbacks):
    article = article_with_paragraphs(texts=[CONDOLENCES_EN])
    translate(article, "kk", [CONDOLENCES_KK])
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, "kk")
    return article


def test_the_default_provider_is_the_offline_one():
    assert isinstance(mt_provider(), PretranslateProvider)


@override_settings(TILMASH_MT_PROVIDER="aids.mt.EchoProvider")
def test_the_setting_chooses_the_provider_and_echo_translates_nothing():
    provider = mt_provider()
    assert isinstance(provider, EchoProvider)
    assert provider.translate("Hello.", "en", "kk") == "Hello."
    assert "no translation" in str(provider.label)


def test_a_provider_must_implement_translate():
    class Untranslating(MachineTranslationProvider):
        name = "untranslating"

    with pytest.raises(TypeError, match="translate"):
        Untranslating()


@pytest.mark.django_db
def test_pretranslate_reuses_exact_memory_sentences_and_glossary_names(memory):
    glossary_term(en="Tokayev", kk="Тоқаев")
    draft = mt_translate(
        text=f"Tokayev spoke on Friday. {CONDOLENCES_EN}",
        source_language="en",
        target_language="kk",
    )
    assert draft == f"Тоқаев spoke on Friday. {CONDOLENCES_KK}"


@pytest.mark.django_db
def test_pretranslate_uses_the_articles_own_terms(memory):
    article = article_with_paragraphs(count=1)
    glossary_term(article=article, en="Almaty", kk="Алматы")
    glossary_term(article=memory, en="Astana", kk="Астана")
    draft = mt_translate(text="Almaty and Astana.", source_language="en",
                         target_language="kk", article=article)
    assert draft == "Алматы and Astana."


@pytest.mark.django_db
def test_pretranslate_of_nothing_is_nothing():
    assert PretranslateProvider().translate("  ", "en", "kk") == ""
