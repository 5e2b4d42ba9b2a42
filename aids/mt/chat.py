"""An OpenAI-compatible chat-completions endpoint: a newsroom's own model server
(vLLM, Ollama, llama.cpp) or a hosted one.

``POST {base}/v1/chat/completions`` with ``Authorization: Bearer {key}`` and
``{"model", "messages", "temperature"}``; the answer is
``choices[0].message.content``. The system message carries the instructions,
the article's context (title and neighbouring paragraphs, bounded), the glossary
terms that occur in the paragraph with their required spelling, and the house
style; the user message is the paragraph alone. Models add wrapping despite
being told not to (a "Translation:" label, code fences, quotes around the
whole answer, a reasoning block): :func:`answer_cleaned` strips it.

``MT_CHAT_URL`` is the base URL (``http://gpu1:8000`` or ``…/v1``),
``MT_CHAT_API_KEY`` the key (optional for servers without one), ``model`` the
model's name in the setting (or ``MT_CHAT_MODEL``).
"""

import re

from django.utils.translation import gettext_lazy as _

from .remote import RemoteProvider, from_environment

LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English", "kk-latn": "Kazakh (Latin)"}
QUOTES = {
    "kk": "«…» (with „…“ inside)",
    "ru": "«…» (with „…“ inside)",
    "en": "“…” (with ‘…’ inside)",
}
MAX_TERMS = 40

THINKING_RE = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
FENCE_RE = re.compile(r"\A```[\w-]*\n(.*?)\n?```\Z", re.DOTALL)
LABEL_RE = re.compile(
    r"\A(?:here is|here's|sure[,!.]?|certainly[,!.]?|translation|translated text|перевод|аударма)"
    r"[^\n:]{0,80}:\s*\n?",
    re.IGNORECASE,
)
QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "'": "'", "„": "“"}


def language_name(code):
    return LANGUAGE_NAMES.get(code, code)


def required_terms(glossary, text, source_language, target_language):
    """(source words, required rendering) for the glossary terms found in ``text``."""
    if not glossary:
        return []
    terms, seen = [], set()
    for span in glossary.find(text, source_language):
        rendering = span.term.rendering(target_language)
        if rendering and span.term not in seen:
            seen.add(span.term)
            terms.append((span.text, rendering))
    return terms[:MAX_TERMS]


def chat_messages(*, text, source_language, target_language, context=None, terms=()):
    """The ``messages`` of the request: instructions and context, then the paragraph."""
    source, target = language_name(source_language), language_name(target_language)
    lines = [
        f"You are a news agency's professional translator from {source} into {target}.",
        f"Translate the {source} paragraph in the user's message into {target}.",
        "Answer with the translation only: no introduction, no notes, no quotation marks "
        "around it, no explanation.",
        "House style:",
        f"- Quotation marks in {target}: "
        f"{QUOTES.get(target_language, 'as the language requires')}.",
        "- Keep every number, amount, date and time as in the source (the same figures; "
        "do not spell them out, round them or convert units); keep names of people and "
        "places as the glossary gives them.",
        "- Keep the paragraph's meaning and tone; add nothing, leave nothing out.",
    ]
    if terms:
        lines.append(
            f"Glossary: use these {target} renderings, inflected as the sentence requires:")
        lines += [f"- {found} → {rendering}" for found, rendering in terms]
    if context is not None and (context.title or context.before or context.after):
        lines.append("Context from the same article (do not translate it):")
        if context.title:
            lines.append(f"Title: {context.title}")
        if context.before:
            lines.append(f"Previous paragraph: {context.before}")
        if context.after:
            lines.append(f"Next paragraph: {context.after}")
    return [
        {"role": "system", "content": "\n".join(lines)},
        {"role": "user", "content": text},
    ]


def answer_cleaned(answer, source_text):
    """The translation without the wrapping a model adds around it."""
    answer = THINKING_RE.sub("", answer).strip()
    fenced = FENCE_RE.match(answer)
    if fenced:
        answer = fenced.group(1).strip()
    answer = LABEL_RE.sub("", answer, count=1).strip()
    fenced = FENCE_RE.match(answer)
    if fenced:
        answer = fenced.group(1).strip()
    source = source_text.strip()
    if len(answer) >= 2 and QUOTE_PAIRS.get(answer[0]) == answer[-1]:
        quoted_source = len(source) >= 2 and source[0] in QUOTE_PAIRS
        inner = answer[1:-1]
        # A quotation in the source stays one; quotes the model wrapped around its answer go.
        if not quoted_source and answer[0] not in inner and answer[-1] not in inner:
            answer = inner.strip()
    return answer


class ChatProvider(RemoteProvider):
    name = "openai"
    label = _("Chat model")
    wants_context = True
    wants_glossary = True

    def __init__(self, *, url_env="MT_CHAT_URL", key_env="MT_CHAT_API_KEY", model="",
                 model_env="MT_CHAT_MODEL", temperature=0.0, label="", **options):
        options.setdefault("timeout", 60.0)  # a model writes slower than a translation API
        super().__init__(**options)
        if label:
            self.label = label
        base = from_environment(url_env, label=self.label).rstrip("/")
        self.url = base + ("" if base.endswith("/v1") else "/v1") + "/chat/completions"
        self.key = from_environment(key_env, label=self.label, required=False)
        self.model = model or from_environment(model_env, label=self.label)
        self.temperature = float(temperature)

    @property
    def breaker_key(self):
        return f"{self.name} {self.url}"

    def request(self, text, source_language, target_language):
        terms = required_terms(self.glossary, text, source_language, target_language)
        body = {
            "model": self.model,
            "messages": chat_messages(text=text, source_language=source_language,
                                      target_language=target_language, context=self.context,
                                      terms=terms),
            "temperature": self.temperature,
        }
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        answer = self.post_json(self.url, body=body, headers=headers)
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise self.unreadable() from None
        if not isinstance(content, str):
            raise self.unreadable()
        translated = answer_cleaned(content, text)
        if not translated:
            raise self.unreadable()
        return translated
