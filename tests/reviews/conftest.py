import pytest

from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.services import edition_get_or_create

from .helpers import submitted


@pytest.fixture
def in_review():
    """Alice's submitted Kazakh version, and Erin, the editor who may decide it."""
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice, erin = translator("alice"), editor("erin")
    assign(edition, alice)
    return submitted(alice, edition), erin
