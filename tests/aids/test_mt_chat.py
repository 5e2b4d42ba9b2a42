"""An OpenAI-compatible chat-completions endpoint against a local fake."""

import pytest
from django.test import override_settings

from aids.mt import MachineTranslationError, mt_translate
from aids.mt.chat import answer_cleaned
from aids.mt.context import MAX_CHARS
from tests.aids.conftest import glossary_term
from tests.factories import article_with_paragraphs

pytestmark = pytest.mark.usefixtures("loopback_only", "fresh_providers")

FAST = {"timeout": 0.5, "attempts": 3, "backoff": 0.01, "max_wait": 5}
PARAGRAPH = "Tokayev met the minister on 7 December at 10:30."


def completion(content):
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "model": "qwen3-32b",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 200, "completion_tokens": 20, "total_tokens": 220},
    }


@pytest.fixture
def chat(service, monkeypatch):
    monkeypatch.setenv("MT_CHAT_URL", service.url)
    monkeypatch.setenv("MT_CHAT_API_KEY", "sk-local")
    with override_settings(
        TILMASH_MT={"default": {"provider": "openai", "model": "qwen3-32b", **FAST}}
    ):
        yield service


@pytest.fixture
def article():
    return article_with_paragraphs(
        texts=["Markets opened calm.", PARAGRAPH, "Talks went on in Astana."],
        title="A day of talks",
    )


def draft(text=PARAGRAPH, article=None, target="kk"):
    return mt_translate(text=text, source_language="en", target_language=target, article=article)


@pytest.mark.django_db
def test_the_request_is_a_chat_completion_with_context_terms_and_house_style(chat, article):
    glossary_term(en="Tokayev", kk="Тоқаев")
    glossary_term(en="Astana", kk="Астана")  # only in the next paragraph: not required
    chat.answer(200, completion("Тоқаев министрмен 7 желтоқсанда 10:30-да кездесті."))
    assert draft(article=article) == "Тоқаев министрмен 7 желтоқсанда 10:30-да кездесті."
    [request] = chat.received
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer sk-local"
    assert request.headers["content-type"] == "application/json"
    assert set(request.json) == {"model", "messages", "temperature"}
    assert (request.json["model"], request.json["temperature"]) == ("qwen3-32b", 0.0)
    system, user = request.json["messages"]
    assert (system["role"], user) == ("system", {"role": "user", "content": PARAGRAPH})
    prompt = system["content"]
    assert "from English into Kazakh" in prompt
    assert "Answer with the translation only" in prompt
    assert "- Tokayev → Тоқаев" in prompt and "Астана" not in prompt
    assert "Quotation marks in Kazakh: «…»" in prompt
    assert "Keep every number" in prompt
    assert "Title: A day of talks" in prompt
    assert "Previous paragraph: Markets opened calm." in prompt
    assert "Next paragraph: Talks went on in Astana." in prompt


@pytest.mark.django_db
def test_english_asks_for_english_quotes(chat):
    chat.answer(200, completion("Hello."))
    mt_translate(text="Сәлем.", source_language="kk", target_language="en")
    assert "Quotation marks in English: “…”" in chat.received[0].json["messages"][0]["content"]


@pytest.mark.django_db
def test_the_context_is_bounded_whatever_the_neighbours_length(chat):
    long = "word " * 2000
    article = article_with_paragraphs(texts=[long, PARAGRAPH, long], title="t " * 240)
    chat.answer(200, completion("Аударма."))
    draft(article=article)
    prompt = chat.received[0].json["messages"][0]["content"]
    context = prompt.split("Context from the same article")[1]
    assert len(context) < 4 * (MAX_CHARS + 40)


@pytest.mark.django_db
def test_a_base_url_ending_in_v1_is_not_doubled(chat, monkeypatch):
    monkeypatch.setenv("MT_CHAT_URL", chat.url + "/v1/")
    chat.answer(200, completion("Сәлем."))
    draft("Hello.")
    assert chat.received[0].path == "/v1/chat/completions"


@pytest.mark.django_db
def test_without_a_key_no_authorization_is_sent(chat, monkeypatch):
    monkeypatch.delenv("MT_CHAT_API_KEY")
    chat.answer(200, completion("Сәлем."))
    draft("Hello.")
    assert "authorization" not in chat.received[0].headers


@pytest.mark.django_db
def test_the_wrapping_a_model_adds_is_stripped(chat):
    chat.answer(200, completion("<think>The user wants Kazakh.</think>\n"
                                "Here is the translation:\n\n\"Сәлем, әлем.\""))
    assert draft("Hello, world.") == "Сәлем, әлем."


@pytest.mark.parametrize(
    ("answer", "source", "expected"),
    [
        ("Сәлем.", "Hello.", "Сәлем."),
        ("```\nСәлем.\n```", "Hello.", "Сәлем."),
        ("Translation: Сәлем.", "Hello.", "Сәлем."),
        ("Перевод:\nПривет.", "Hello.", "Привет."),
        ("“Hello.”", "Сәлем.", "Hello."),
        ("«Сәлем», — деді ол.", "“Hello,” he said.", "«Сәлем», — деді ол."),
        ("«Бейбітшілік керек».", "“We need peace.”", "«Бейбітшілік керек»."),
        ("«Біз» және «олар»", "Us and them", "«Біз» және «олар»"),
        ("Sure! Here's the Kazakh translation:\n\nСәлем.", "Hello.", "Сәлем."),
    ],
)
def test_answer_cleaning(answer, source, expected):
    assert answer_cleaned(answer, source) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "body", "message", "tries"),
    [
        (404, {"error": {"message": "The model `qwen3-32b` does not exist.",
                         "type": "invalid_request_error", "code": "model_not_found"}},
         "could not translate this: The model `qwen3-32b` does not exist.", 1),
        (401, {"error": {"message": "Incorrect API key provided.",
                         "type": "invalid_request_error"}},
         r"refused the credentials \(HTTP 401\)", 1),
        (400, {"error": "model \"qwen3\" not found, try pulling it first"},  # Ollama's shape
         "could not translate this: model \"qwen3\" not found", 1),
        (502, b"<html>Bad Gateway</html>", r"is unavailable \(HTTP 502\)", 3),
    ],
)
def test_the_servers_errors_are_named_and_only_passing_ones_retried(
    chat, slept, status, body, message, tries
):
    for _ in range(tries):
        chat.answer(status, body)
    with pytest.raises(MachineTranslationError, match=message):
        draft("Hello.")
    assert len(chat.received) == tries


@pytest.mark.django_db
def test_a_rate_limited_model_server_is_asked_again_after_retry_after(chat, slept):
    chat.answer(429, {"error": {"message": "Rate limit reached", "type": "requests"}},
                {"Retry-After": "2"})
    chat.answer(200, completion("Сәлем."))
    assert draft("Hello.") == "Сәлем."
    assert slept == [2.0]


@pytest.mark.django_db
def test_a_hung_model_server_times_out(chat, slept):
    chat.hang().hang().hang()
    with pytest.raises(MachineTranslationError, match=r"did not answer within 0\.5 s"):
        draft("Hello.")


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["", None])
def test_an_empty_answer_is_an_error(chat, content):
    chat.answer(200, completion(content))
    with pytest.raises(MachineTranslationError, match="not a translation"):
        draft("Hello.")
