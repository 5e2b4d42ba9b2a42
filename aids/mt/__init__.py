"""Machine translation for the translator's editor: one interface, pluggable providers.

``settings.TILMASH_MT`` chooses a provider per language pair::

    TILMASH_MT = {
        "default": {"provider": "pretranslate"},
        "kk>en": {"provider": "deepl"},
        "ru>kk": {"provider": "openai", "model": "qwen3-32b"},
    }

``provider`` is a short name (``pretranslate``, ``echo``, ``deepl``, ``google``,
``libretranslate``, ``openai``) or a dotted path to a subclass of
:class:`MachineTranslationProvider`; the other keys are the provider's options
(timeouts, retries, glossary, model). Keys and URLs are never in the settings,
the database or the repository: an option names the environment variable that
holds them (``key_env``, ``url_env``, with defaults such as ``DEEPL_AUTH_KEY``).
Without a ``TILMASH_MT`` entry for the pair or a default, ``TILMASH_MT_PROVIDER``
(a dotted path) is used, by default the offline :class:`PretranslateProvider`.

Modules: ``base`` (the interface, the error), ``offline`` (memory and glossary,
no network), ``deepl``, ``google``, ``libretranslate``, ``chat`` (the online
providers), ``remote`` (their shared HTTP call and settings), ``resilience``
(timeouts, retries, circuit breaker), ``context`` (the article around a
paragraph). The names below are re-exported so that ``aids.mt.X`` keeps working.

An online provider sends article text to a third party (LibreTranslate and a
newsroom's own model server excepted): the newsroom decides whether unpublished
text may leave it.
"""

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..glossary import glossary_for_article
from .base import EchoProvider, MachineTranslationError, MachineTranslationProvider
from .offline import PretranslateProvider

PROVIDERS = {
    "pretranslate": "aids.mt.offline.PretranslateProvider",
    "echo": "aids.mt.base.EchoProvider",
    "deepl": "aids.mt.deepl.DeepLProvider",
    "google": "aids.mt.google.GoogleProvider",
    "libretranslate": "aids.mt.libretranslate.LibreTranslateProvider",
    "openai": "aids.mt.chat.ChatProvider",
}


@lru_cache(maxsize=16)
def _provider_class(path):
    return import_string(PROVIDERS.get(path, path))


def mt_config(*, source_language=None, target_language=None):
    """The provider options for a language pair: its entry in ``TILMASH_MT``, else the
    default entry, else ``TILMASH_MT_PROVIDER``."""
    configured = getattr(settings, "TILMASH_MT", None) or {}
    options = configured.get(f"{source_language}>{target_language}") or configured.get("default")
    if not options:
        return {"provider": settings.TILMASH_MT_PROVIDER}
    return dict(options)


def mt_provider(*, source_language=None, target_language=None):
    """An instance of the provider configured for the pair (or the default one).

    Raises :class:`MachineTranslationError` when the configuration is wrong (an
    unknown provider, a missing environment variable).
    """
    options = mt_config(source_language=source_language, target_language=target_language)
    path = options.pop("provider", "") or settings.TILMASH_MT_PROVIDER
    try:
        provider_class = _provider_class(path)
    except ImportError as error:
        raise MachineTranslationError(
            _("Machine translation is not configured: there is no provider %(name)s.")
            % {"name": path}
        ) from error
    try:
        return provider_class(**options)
    except TypeError as error:
        raise MachineTranslationError(
            _("Machine translation is not configured: %(provider)s does not take these "
              "options (%(options)s).")
            % {"provider": path, "options": ", ".join(sorted(options))}
        ) from error


def mt_translate(*, text, source_language, target_language, article=None, unit_key=None):
    """Draft a translation with the provider configured for the pair.

    The provider gets the newsroom's glossary and ``article``'s own terms and,
    if it uses them, the article's title and the neighbours of the paragraph
    ``unit_key`` (found by its text when no key is given).
    Raises :class:`MachineTranslationError` when the provider fails.
    """
    provider = mt_provider(source_language=source_language, target_language=target_language)
    if provider.wants_glossary and (article is not None or provider.glossary is None):
        provider.glossary = glossary_for_article(article=article)
    if provider.wants_context and article is not None:
        from .context import article_context

        provider.context = article_context(article=article, text=text, unit_key=unit_key)
    return provider.translate(text, source_language, target_language)


__all__ = [
    "EchoProvider",
    "MachineTranslationError",
    "MachineTranslationProvider",
    "PretranslateProvider",
    "mt_config",
    "mt_provider",
    "mt_translate",
]
