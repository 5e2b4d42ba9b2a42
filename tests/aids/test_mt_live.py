"""Each provider against the real service, only when its key or URL is in the environment.

Opt-in: ``DEEPL_AUTH_KEY``; ``GOOGLE_CLOUD_PROJECT`` with ``GOOGLE_TRANSLATE_TOKEN``
(or ``…_TOKEN_FILE``; ``GOOGLE_TRANSLATE_LOCATION``, ``GOOGLE_TRANSLATE_GLOSSARY``
optional); ``LIBRETRANSLATE_URL``; ``MT_CHAT_URL`` with ``MT_CHAT_MODEL``. Without them
each test is skipped and says what it needs. The DeepL test leaves one small glossary
(``tilmash en>ru …``) in the account, reused by later runs.
"""

import os

import pytest
from django.test import override_settings

from aids.mt import mt_translate
from tests.aids.conftest import glossary_term
from tests.factories import article_with_paragraphs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_providers")]

TEXT = "President Tokayev met the minister on Friday."


def needs(*variables):
    missing = [name for name in variables if not os.environ.get(name)]
    return pytest.mark.skipif(
        bool(missing), reason=f"live test: set {', '.join(missing)} to run it against the service"
    )


def live_draft(provider, **options):
    glossary_term(en="Tokayev", ru="Токаев", kk="Тоқаев")
    article = article_with_paragraphs(texts=["The talks began.", TEXT], title="Talks")
    with override_settings(TILMASH_MT={"en>ru": {"provider": provider, **options}}):
        return mt_translate(text=TEXT, source_language="en", target_language="ru",
                            article=article)


@needs("DEEPL_AUTH_KEY")
def test_deepl_translates_with_our_glossary():
    assert "Токаев" in live_draft("deepl")


@pytest.mark.skipif(
    not os.environ.get("GOOGLE_CLOUD_PROJECT") or not (
        os.environ.get("GOOGLE_TRANSLATE_TOKEN") or os.environ.get("GOOGLE_TRANSLATE_TOKEN_FILE")
    ),
    reason="live test: set GOOGLE_CLOUD_PROJECT and GOOGLE_TRANSLATE_TOKEN (or "
    "GOOGLE_TRANSLATE_TOKEN_FILE) to run it against the service",
)
def test_google_translates():
    options = {"location": os.environ.get("GOOGLE_TRANSLATE_LOCATION", "global"),
               "glossary": os.environ.get("GOOGLE_TRANSLATE_GLOSSARY", "")}
    assert "Токаев" in live_draft("google", **options)


@needs("LIBRETRANSLATE_URL")
def test_libretranslate_translates():
    draft = live_draft("libretranslate")
    assert draft and draft != TEXT


@needs("MT_CHAT_URL", "MT_CHAT_MODEL")
def test_the_chat_model_translates_with_the_required_spelling():
    draft = live_draft("openai")
    assert "Токаев" in draft
    assert not draft.lower().startswith(("here", "translation", "перевод"))
