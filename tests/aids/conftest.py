import pytest

from aids.models import GlossaryTerm
from tests.factories import article_with_paragraphs, translate
from translations import services


def glossary_term(*, article=None, kind="other", forbidden=None, **spellings):
    """A glossary term: ``glossary_term(kk="Тоқаев", ru="Токаев", en="Tokayev")``."""
    term = GlossaryTerm(kind=kind, article=article)
    for language, spelling in spellings.items():
        setattr(term, f"term_{language}", spelling)
    for language, variants in (forbidden or {}).items():
        setattr(term, f"forbidden_{language}", "\n".join(variants))
    term.save()
    return term


@pytest.fixture
def tokayev():
    return glossary_term(
        kind="person", kk="Тоқаев", ru="Токаев", en="Tokayev", forbidden={"en": ["Tokaev"]}
    )


SOURCE = [
    "Almaty alone was attacked by 20,000 bandits.",
    "Head of State Kassym-Jomart Tokayev addressed the nation.",
    "“I express my sincere condolences.”",
]
RUSSIAN = [
    "Только на Алматы напали 2 000 бандитов.",
    "Глава государства Касым-Жомарт Токаев обратился к народу.",
    "«Выражаю искренние соболезнования».",
]


@pytest.fixture
def russian_edition(tokayev):
    """An English article with a Russian working copy whose first paragraph loses a zero."""
    article = article_with_paragraphs(texts=SOURCE, title="Tokayev addresses the nation")
    translate(article, "ru", RUSSIAN, title="Токаев обратился к народу")
    return services.edition_get_or_create(article=article, language="ru")


# The machine translation tests' local fake services (tests/aids/fake_http.py).
from tests.aids.fake_http import fresh_providers, loopback_only, service, slept  # noqa: E402, F401
