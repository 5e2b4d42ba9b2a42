"""A refused move says so in the reader's language: translated names of states and moves,
never the table's raw values."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import article_with_paragraphs
from translations.models import Edition, EditionState
from translations.states import (
    ARTICLE_STATE_LABELS,
    MOVE_LABELS,
    ArticleState,
    Move,
    article_state_move,
    edition_state_move,
)

pytestmark = pytest.mark.django_db


def test_every_move_has_a_label():
    assert set(MOVE_LABELS) == set(Move)
    assert set(ARTICLE_STATE_LABELS) == set(ArticleState)


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_a_refused_edition_move_names_its_state_and_move_in_the_language(language):
    edition = Edition.objects.create(article=article_with_paragraphs(count=1), language="ru")
    with translation.override(language), pytest.raises(ValidationError) as refused:
        edition_state_move(
            edition=edition, move=Move.REQUEST_CHANGES, user=None, action="tests.refused"
        )
    with translation.override(language):
        expected = translation.gettext(
            "This edition is “%(state)s”: “%(move)s” is not possible now."
        ) % {
            "state": str(EditionState.NOT_STARTED.label),
            "move": translation.pgettext("workflow move", "Request changes"),
        }
    assert refused.value.messages == [expected]
    assert "request_changes" not in expected and "request changes" not in expected


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_a_refused_article_move_names_its_state_and_move_in_the_language(language):
    article = article_with_paragraphs(count=1)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        article_state_move(
            article=article,
            move=Move.ARTICLE_REINSTATE,
            user=None,
            action="tests.refused",
            also={},
        )
    with translation.override(language):
        expected = translation.gettext(
            "This article is %(state)s: “%(move)s” is not possible now."
        ) % {
            "state": translation.pgettext("article state", "current"),
            "move": translation.pgettext("workflow move", "Reinstate the article"),
        }
    assert refused.value.messages == [expected]
    assert "article_reinstate" not in expected
