"""Comments pinned to paragraphs, and editors' "checked" marks across rounds."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reviews import services
from reviews.models import Comment, ParagraphCheck
from reviews.services.comments import (
    COMMENT_MAX_CHARS,
    checked_keys,
    comment_add,
    comment_resolve,
    unit_check_set,
)
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.models import AuditEntry, Edition, EditionState
from translations.services import edition_get_or_create

from .helpers import submitted

pytestmark = pytest.mark.django_db
TEXTS = ["Бір 1.", "Екі 2.", "Үш 3."]


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice")
    assign(edition, alice)
    version = submitted(alice, edition, TEXTS)
    return {
        "article": article,
        "edition": edition,
        "version": version,
        "alice": alice,
        "bob": translator("bob"),
        "erin": editor("erin"),
        "frank": editor("frank"),
    }


def next_round(desk, texts):
    """Request changes on the version in review and submit ``texts`` as the next one."""
    services.version_request_changes(version=desk["version"], user=desk["erin"], comment="Redo")
    desk["version"] = submitted(desk["alice"], Edition.objects.get(pk=desk["edition"].pk), texts)
    return desk["version"]


# --- Comments -------------------------------------------------------------------------


def test_a_comment_is_pinned_to_one_paragraph_of_one_version(desk):
    comment = comment_add(
        version=desk["version"], unit_key="p2", user=desk["erin"], body="  Tense?  "
    )
    assert (comment.version, comment.unit_key, comment.author, comment.body) == (
        desk["version"],
        "p2",
        desk["erin"],
        "Tense?",
    )


def test_the_title_takes_comments_too(desk):
    assert comment_add(version=desk["version"], unit_key="title", user=desk["erin"], body="Long")


@pytest.mark.parametrize(
    "unit_key, body, message",
    [
        ("p2", "", "Write something: the comment is empty."),
        ("p2", " \n ", "Write something: the comment is empty."),
        ("p2", "x" * (COMMENT_MAX_CHARS + 1), f"the limit is {COMMENT_MAX_CHARS}"),
        ("p2", "bell \x07", "cannot be stored (U+0007)"),
        ("p9", "Where?", "This version has no paragraph p9."),
    ],
)
def test_bad_comments_are_refused_and_nothing_is_written(desk, unit_key, body, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        comment_add(version=desk["version"], unit_key=unit_key, user=desk["erin"], body=body)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["bob", "stranger"])
def test_only_editors_and_the_editions_translators_comment(desk, who):
    from tests.factories import UserFactory

    user = desk.get(who) or UserFactory(username=who)
    with pytest.raises(PermissionDenied):
        comment_add(version=desk["version"], unit_key="p1", user=user, body="Hello")
    assert comment_add(version=desk["version"], unit_key="p1", user=desk["alice"], body="Why?")


def test_a_reply_joins_the_thread_and_a_reply_to_a_reply_joins_it_too(desk):
    first = comment_add(version=desk["version"], unit_key="p1", user=desk["erin"], body="Q")
    reply = comment_add(
        version=desk["version"], unit_key="p1", user=desk["alice"], body="A", parent=first
    )
    again = comment_add(
        version=desk["version"], unit_key="p1", user=desk["erin"], body="OK", parent=reply
    )
    assert reply.parent == first and again.parent == first


def test_a_reply_on_another_paragraph_is_refused(desk):
    first = comment_add(version=desk["version"], unit_key="p1", user=desk["erin"], body="Q")
    with pytest.raises(ValidationError, match="another paragraph or version"):
        comment_add(
            version=desk["version"], unit_key="p2", user=desk["alice"], body="A", parent=first
        )


def test_resolving_marks_the_thread_once_and_says_who_did_it_first(desk):
    first = comment_add(version=desk["version"], unit_key="p1", user=desk["erin"], body="Q")
    reply = comment_add(
        version=desk["version"], unit_key="p1", user=desk["alice"], body="A", parent=first
    )
    resolved = comment_resolve(comment=reply, user=desk["alice"])
    assert resolved.pk == first.pk
    first.refresh_from_db()
    assert first.resolved_by == desk["alice"] and first.resolved_at is not None
    with pytest.raises(ValidationError, match="already resolved by alice"):
        comment_resolve(comment=first, user=desk["erin"])


def test_a_stranger_cannot_resolve(desk):
    first = comment_add(version=desk["version"], unit_key="p1", user=desk["erin"], body="Q")
    with pytest.raises(PermissionDenied):
        comment_resolve(comment=first, user=desk["bob"])
    first.refresh_from_db()
    assert first.resolved_at is None


def test_comments_and_checks_are_not_audited(desk):
    """They are not moves in the workflow: their own rows say who and when."""
    before = AuditEntry.objects.count()
    comment = comment_add(version=desk["version"], unit_key="p1", user=desk["erin"], body="Q")
    comment_resolve(comment=comment, user=desk["erin"])
    unit_check_set(version=desk["version"], unit_key="p1", user=desk["erin"], checked=True)
    assert AuditEntry.objects.count() == before


# --- Checked marks ----------------------------------------------------------------------


def test_only_an_editor_marks_a_version_in_review_checked(desk):
    with pytest.raises(PermissionDenied, match="Only an editor"):
        unit_check_set(version=desk["version"], unit_key="p1", user=desk["alice"], checked=True)
    check = unit_check_set(version=desk["version"], unit_key="p1", user=desk["erin"], checked=True)
    assert check.checked_by == desk["erin"]


def test_an_unknown_paragraph_cannot_be_checked(desk):
    with pytest.raises(ValidationError, match="no paragraph p7"):
        unit_check_set(version=desk["version"], unit_key="p7", user=desk["erin"], checked=True)
    assert not ParagraphCheck.objects.exists()


def test_a_decided_version_takes_no_more_marks(desk):
    services.version_approve(version=desk["version"], user=desk["erin"])
    with pytest.raises(PermissionDenied):
        unit_check_set(version=desk["version"], unit_key="p1", user=desk["frank"], checked=True)


def test_unchecking_removes_the_mark(desk):
    unit_check_set(version=desk["version"], unit_key="p1", user=desk["erin"], checked=True)
    unit_check_set(version=desk["version"], unit_key="p1", user=desk["frank"], checked=False)
    assert checked_keys(desk["version"], ParagraphCheck.objects.all()) == set()


def test_marks_carry_over_for_unchanged_paragraphs_and_lapse_for_changed_ones(desk):
    for key in ("title", "p1", "p2"):
        unit_check_set(version=desk["version"], unit_key=key, user=desk["erin"], checked=True)
    second = next_round(desk, ["Бір 1.", "Екі өзгерді 2.", "Үш 3."])
    assert Edition.objects.get(pk=desk["edition"].pk).state == EditionState.IN_REVIEW
    assert checked_keys(second, ParagraphCheck.objects.all()) == {"title", "p1"}


def test_a_mark_lapses_when_the_source_changed_under_an_unchanged_translation(desk):
    unit_check_set(version=desk["version"], unit_key="p1", user=desk["erin"], checked=True)
    first = desk["version"]
    changed_source = dict(first.units[1], source="Paragraph 1, rewritten.")
    lookalike = type(first)(units=[first.units[0], changed_source, *first.units[2:]])
    assert checked_keys(lookalike, ParagraphCheck.objects.all()) == set()
    assert checked_keys(first, ParagraphCheck.objects.all()) == {"p1"}
