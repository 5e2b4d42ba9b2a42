"""DeepL, through the official ``deepl`` library, with DeepL's glossaries fed from ours.

The library's own retries are turned off (``deepl.http_client.max_network_retries``,
its documented setting) so that :mod:`aids.mt.resilience` alone decides (it honours
``Retry-After``, which the library does not); our timeout and the reading of
``Retry-After`` sit in a transport adapter mounted on the library's ``requests``
session (a private attribute of the pinned version: the tests against the fake
server would catch a change).

Glossaries. DeepL keeps glossaries on its side, one per language pair, made of
source → target entries. Ours (the newsroom's terms and the article's own, each
with a spelling per language) becomes the entries of the pair; the entries'
SHA-256 names the DeepL glossary (``tilmash kk>en 1f2e…``), so the same terms reuse
the same glossary — found in this process's memory, else in DeepL's list, else
created — and changed terms make a new one. Creating a glossary for a pair DeepL
does not support fails softly: the text is translated without it (logged).

The article's title and neighbouring paragraphs go in DeepL's ``context`` (not
translated, not billed). ``DEEPL_AUTH_KEY`` is the key; ``DEEPL_SERVER_URL``
overrides the server (by default the library picks the free or paid API from
the key).
"""

import hashlib
import logging
import threading

import deepl
import requests
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

from .remote import RemoteProvider, from_environment, status_failure
from .resilience import ProviderFailure, retry_after_seconds

logger = logging.getLogger(__name__)

deepl.http_client.max_network_retries = 0

# DeepL wants a regional variant for some targets; ours are plain codes.
TARGET_CODES = {"en": "EN-GB", "pt": "PT-PT"}

_translators = {}
_glossary_ids = {}
_lock = threading.Lock()
_last_response = threading.local()


class _Adapter(HTTPAdapter):
    """Sends the library's requests with our timeout (it passes its own), and keeps the
    answer's ``Retry-After``, which the library's exceptions do not carry."""

    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def send(self, request, **kwargs):
        kwargs["timeout"] = self.timeout
        response = super().send(request, **kwargs)
        _last_response.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        return response


def _translator(key, server_url, timeout):
    """One library client per key, server and timeout, kept for its connections."""
    cache_key = (hashlib.sha256(key.encode()).hexdigest(), server_url, timeout)
    with _lock:
        translator = _translators.get(cache_key)
        if translator is None:
            translator = deepl.Translator(key, server_url=server_url or None,
                                          send_platform_info=False)
            session = translator._client._session
            adapter = _Adapter(timeout)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            _translators[cache_key] = translator
        return translator


def glossary_entries(glossary, source_language, target_language):
    """Source → target spellings of the terms that have both (DeepL's entries)."""
    entries = {}
    if not glossary:
        return entries
    for term in glossary.terms:
        source, target = term.rendering(source_language), term.rendering(target_language)
        source, target = " ".join(source.split()), " ".join(target.split())
        if source and target and source not in entries:
            entries[source] = target
    return entries


def glossary_name(entries, source_language, target_language):
    tsv = "\n".join(f"{source}\t{target}" for source, target in sorted(entries.items()))
    digest = hashlib.sha256(f"{source_language}>{target_language}\n{tsv}".encode()).hexdigest()
    return f"tilmash {source_language}>{target_language} {digest[:32]}"


def glossaries_forget():
    """Forget the glossary ids and clients this process knows (tests)."""
    with _lock:
        _glossary_ids.clear()
        _translators.clear()


class DeepLProvider(RemoteProvider):
    name = "deepl"
    label = "DeepL"
    wants_context = True
    wants_glossary = True

    def __init__(self, *, key_env="DEEPL_AUTH_KEY", url_env="DEEPL_SERVER_URL",
                 use_glossary=True, formality=None, target_codes=None, **options):
        super().__init__(**options)
        self.key = from_environment(key_env, label=self.label)
        self.server_url = from_environment(url_env, label=self.label, required=False)
        self.use_glossary = use_glossary
        self.formality = formality
        self.target_codes = {**TARGET_CODES, **(target_codes or {})}

    @property
    def breaker_key(self):
        return f"{self.name} {self.server_url}"

    def request(self, text, source_language, target_language):
        translator = _translator(self.key, self.server_url, self.timeout)
        _last_response.retry_after = None
        try:
            glossary_id = self._glossary_id(translator, source_language, target_language)
            options = {"glossary": glossary_id} if glossary_id else {}
            if self.formality:
                options["formality"] = self.formality
            context = self.context.as_text() if self.context else ""
            if context:
                options["context"] = context
            try:
                result = translator.translate_text(
                    text, source_lang=source_language.upper(),
                    target_lang=self.target_codes.get(target_language, target_language.upper()),
                    **options,
                )
            except deepl.DeepLException as error:
                if glossary_id and error.http_status_code in (400, 404):
                    # perhaps the glossary was deleted on DeepL's side: look again next time
                    self._forget(translator, source_language, target_language)
                raise
        except deepl.DeepLException as error:
            raise self._failure(error) from error
        return result.text

    def _glossary_id(self, translator, source_language, target_language):
        if not self.use_glossary:
            return None
        entries = glossary_entries(self.glossary, source_language, target_language)
        if not entries:
            return None
        name = glossary_name(entries, source_language, target_language)
        cache_key = (translator.server_url, name)
        with _lock:
            if cache_key in _glossary_ids:
                return _glossary_ids[cache_key]
        found = next((g for g in translator.list_glossaries() if g.name == name), None)
        if found is None:
            try:
                found = translator.create_glossary(
                    name, source_lang=source_language.upper(),
                    target_lang=target_language.upper(), entries=entries,
                )
            except deepl.DeepLException as error:
                if error.http_status_code != 400:
                    raise
                logger.warning("DeepL refused a glossary for %s>%s: %s",
                               source_language, target_language, error)
                with _lock:
                    _glossary_ids[cache_key] = None  # not asked again by this process
                return None
        with _lock:
            _glossary_ids[cache_key] = found.glossary_id
        return found.glossary_id

    def _forget(self, translator, source_language, target_language):
        prefix = f"tilmash {source_language}>{target_language} "
        with _lock:
            for server, name in list(_glossary_ids):
                if server == translator.server_url and name.startswith(prefix):
                    del _glossary_ids[(server, name)]

    def _failure(self, error):
        values = {"provider": self.label, "seconds": f"{self.timeout:g}"}
        status = getattr(error, "http_status_code", None)
        if isinstance(error, deepl.ConnectionException):
            if isinstance(error.__cause__, requests.Timeout):
                message = _("%(provider)s did not answer within %(seconds)s s.") % values
            else:
                message = _("%(provider)s could not be reached.") % values
            return ProviderFailure(message, transient=True)
        if isinstance(error, deepl.QuotaExceededException):
            return ProviderFailure(
                _("%(provider)s: the quota for this billing period is used up.") % values)
        if status:
            detail = str(error).partition("message: ")[2] if status == 400 else ""
            return status_failure(status, label=self.label, detail=detail,
                                  retry_after=getattr(_last_response, "retry_after", None))
        return ProviderFailure(_("%(provider)s failed unexpectedly.") % values, counts=False)
