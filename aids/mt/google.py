"""Google Cloud Translation v3 (Advanced), over its REST API.

``POST {url}/v3/projects/{project}/locations/{location}:translateText`` with
``contents``, ``mimeType``, ``sourceLanguageCode``, ``targetLanguageCode`` and,
when a glossary resource is configured for the pair, ``glossaryConfig``; the
answer's ``glossaryTranslations`` (with a glossary) or ``translations`` hold the
text. Errors are ``{"error": {"code", "message", "status"}}``.

Authentication is an OAuth 2.0 access token sent as a bearer token, read from
the environment (``GOOGLE_TRANSLATE_TOKEN``) or, since such tokens last an hour,
from a file (``GOOGLE_TRANSLATE_TOKEN_FILE``) that something outside the desk
keeps fresh (``gcloud auth print-access-token`` on a timer, or a metadata-server
sidecar); the file is read on every call. No Google library is needed and no
credential is fetched by the desk itself.

A Google glossary lives in Google's project (created from a CSV in Cloud
Storage); the setting names it, e.g. ``"glossary": "tilmash-kk-en"`` (or its full
``projects/…/glossaries/…`` name). Glossaries need a regional location, such as
``us-central1``, not ``global``.
"""

from pathlib import Path

from django.utils.translation import gettext as _

from .base import MachineTranslationError
from .remote import RemoteProvider, from_environment

API_URL = "https://translation.googleapis.com"


class GoogleProvider(RemoteProvider):
    name = "google"
    label = "Google Cloud Translation"

    def __init__(self, *, project_env="GOOGLE_CLOUD_PROJECT", location="global", glossary="",
                 model="", token_env="GOOGLE_TRANSLATE_TOKEN",
                 token_file_env="GOOGLE_TRANSLATE_TOKEN_FILE", url_env="GOOGLE_TRANSLATE_URL",
                 **options):
        super().__init__(**options)
        self.project = from_environment(project_env, label=self.label)
        self.location = location
        self.url = (from_environment(url_env, label=self.label, required=False)
                    or API_URL).rstrip("/")
        self.parent = f"projects/{self.project}/locations/{location}"
        self.glossary_name = (
            glossary if not glossary or glossary.startswith("projects/")
            else f"{self.parent}/glossaries/{glossary}"
        )
        self.model = model if not model or model.startswith("projects/") else (
            f"{self.parent}/models/{model}")
        self.token = self._token(token_env, token_file_env)

    def _token(self, token_env, token_file_env):
        path = from_environment(token_file_env, label=self.label, required=False)
        if path:
            try:
                token = Path(path).read_text(encoding="utf-8").strip()
            except OSError as error:
                raise MachineTranslationError(
                    _("%(provider)s is not configured: its token file cannot be read.")
                    % {"provider": self.label}
                ) from error
            if token:
                return token
        return from_environment(token_env, label=self.label)

    def request(self, text, source_language, target_language):
        body = {
            "contents": [text],
            "mimeType": "text/plain",
            "sourceLanguageCode": source_language,
            "targetLanguageCode": target_language,
        }
        if self.model:
            body["model"] = self.model
        if self.glossary_name:
            body["glossaryConfig"] = {"glossary": self.glossary_name, "ignoreCase": False}
        answer = self.post_json(
            f"{self.url}/v3/{self.parent}:translateText",
            body=body,
            headers={"Authorization": f"Bearer {self.token}",
                     "x-goog-user-project": self.project},
        )
        key = "glossaryTranslations" if self.glossary_name else "translations"
        try:
            translated = (answer.get(key) or answer["translations"])[0]["translatedText"]
        except (AttributeError, KeyError, IndexError, TypeError):
            raise self.unreadable() from None
        if not isinstance(translated, str):
            raise self.unreadable()
        return translated
