"""Machine translation for the translator's editor: one interface, pluggable providers.

``settings.TILMASH_MT_PROVIDER`` names the provider class (a dotted path);
:func:`mt_provider` returns an instance and :func:`mt_translate` calls it.
The default, :class:`PretranslateProvider`, needs no network.

Plugging in an online service (DeepL, Google Cloud Translation,
LibreTranslate) is a subclass in its own module, named in the setting::

    class DeepLProvider(MachineTranslationProvider):
        name = "deepl"
        label = _("DeepL")

        def translate(self, text, source_language, target_language):
            response = httpx.post(
                "https://api.deepl.com/v2/translate",
                headers={"Authorization": f"DeepL-Auth-Key {os.environ['DEEPL_KEY']}"},
                data={"text": text, "source_lang": source_language.upper(),
                      "target_lang": target_language.upper()},
                timeout=10,
            )
            response.raise_for_status()
            return response.json()["translations"][0]["text"]

with its key read from the environment (never from this file), a timeout,
and ``MachineTranslationError`` raised on failure so the editor can say
"machine translation is unavailable" instead of failing. Google's v3
``translateText`` and LibreTranslate's ``POST /translate`` (``q``, ``source``,
``target``) have the same shape. Such a provider sends article text to a
third party: the newsroom decides whether unpublished text may leave it.
"""

from abc import ABC, abstractmethod
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .glossary import glossary_for_article
from .memory.fingerprint import normalise, source_hash
from .memory.segmentation import sentence_split


class MachineTranslationError(Exception):
    """The provider could not translate (network, quota, unsupported language)."""


class MachineTranslationProvider(ABC):
    """Turns a text of one language into a draft in another."""

    name = ""
    label = ""

    @abstractmethod
    def translate(self, text, source_language, target_language):
        """Return the draft translation of ``text`` (a str)."""


class EchoProvider(MachineTranslationProvider):
    """Returns the source text unchanged: for tests and demos, translates nothing."""

    name = "echo"
    label = _("Echo (returns the source text; no translation)")

    def translate(self, text, source_language, target_language):
        return text


class PretranslateProvider(MachineTranslationProvider):
    """A draft from the newsroom's own approved work, with no network.

    Sentence by sentence: a sentence the memory holds exactly (from another
    approved article) is replaced by its approved translation; any other
    sentence stays in the source language, with the glossary's names in it
    replaced by their agreed spelling in the target language, for the
    translator to finish. Names keep no inflection: it is a draft.
    """

    name = "pretranslate"
    label = _("Pretranslate from the memory and the glossary (offline)")

    def __init__(self, glossary=None):
        self.glossary = glossary

    def translate(self, text, source_language, target_language):
        from .models import TMSegment

        sentences = sentence_split(text, source_language)
        if not sentences:
            return ""
        by_hash = {}
        for segment in TMSegment.objects.filter(
            source_language=source_language,
            target_language=target_language,
            source_hash__in={source_hash(sentence) for sentence in sentences},
        ).order_by("-id").only("source_hash", "target_text"):
            by_hash.setdefault(segment.source_hash, segment.target_text)
        glossary = self.glossary if self.glossary is not None else glossary_for_article()
        drafts = []
        for sentence in sentences:
            known = by_hash.get(source_hash(sentence))
            drafts.append(known or self._with_names(sentence, glossary, source_language,
                                                   target_language))
        return " ".join(drafts)

    @staticmethod
    def _with_names(sentence, glossary, source_language, target_language):
        sentence = normalise(sentence)
        for span in reversed(glossary.find(sentence, source_language)):
            agreed = span.term.rendering(target_language)
            if agreed:
                sentence = sentence[: span.start] + agreed + sentence[span.end :]
        return sentence


@lru_cache(maxsize=4)
def _provider_class(path):
    return import_string(path)


def mt_provider():
    """An instance of the configured provider (``settings.TILMASH_MT_PROVIDER``)."""
    return _provider_class(settings.TILMASH_MT_PROVIDER)()


def mt_translate(*, text, source_language, target_language, article=None):
    """Draft a translation with the configured provider.

    The offline provider also uses ``article``'s own glossary terms.
    Raises :class:`MachineTranslationError` when the provider fails.
    """
    provider = mt_provider()
    if isinstance(provider, PretranslateProvider) and article is not None:
        provider.glossary = glossary_for_article(article=article)
    return provider.translate(text, source_language, target_language)


__all__ = [
    "EchoProvider",
    "MachineTranslationError",
    "MachineTranslationProvider",
    "PretranslateProvider",
    "mt_provider",
    "mt_translate",
]
