"""LibreTranslate (self-hosted), for newsrooms that keep text on their own servers.

``POST {url}/translate`` with ``q``, ``source``, ``target``, ``format`` and
``api_key`` (when the server requires one); the answer is ``{"translatedText": …}``,
an error ``{"error": "…"}``. LibreTranslate has no glossary.
"""

from .remote import RemoteProvider, from_environment


class LibreTranslateProvider(RemoteProvider):
    name = "libretranslate"
    label = "LibreTranslate"

    def __init__(self, *, url_env="LIBRETRANSLATE_URL", key_env="LIBRETRANSLATE_API_KEY",
                 **options):
        super().__init__(**options)
        self.url = from_environment(url_env, label=self.label).rstrip("/")
        self.api_key = from_environment(key_env, label=self.label, required=False)

    @property
    def breaker_key(self):
        return f"{self.name} {self.url}"

    def request(self, text, source_language, target_language):
        body = {"q": text, "source": source_language, "target": target_language,
                "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        answer = self.post_json(f"{self.url}/translate", body=body)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise self.unreadable()
        return translated
