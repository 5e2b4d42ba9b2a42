"""Every move on the desk writes exactly one audit entry, and entries never change."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from reviews import services
from reviews.services.comments import comment_add
from tests.factories import (
    ContributorFactory,
    UserFactory,
    article_with_paragraphs,
    assign,
    editor,
    publish,
    translator,
)
from translations.models import AuditEntry, Edition, EditionState
from translations.services import edition_get_or_create

from .helpers import rows_for, submitted, translate_as

pytestmark = pytest.mark.django_db
S = EditionState
TEXTS = ["Бір 1.", "Екі 2.", "Үш 3."]


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice")
    assign(edition, alice)
    return {
        "edition": edition,
        "alice": alice,
        "dana": translator("dana", pairs=[("en", "kk")]),
        "erin": editor("erin"),
    }


def fresh(desk):
    return Edition.objects.get(pk=desk["edition"].pk)


# Each move: (prepare the desk, make the move) -> what its one entry must say.
def start(desk):
    return None, lambda: translate_as(desk["alice"], desk["edition"], TEXTS)


def submit(desk):
    translate_as(desk["alice"], desk["edition"], TEXTS)
    return None, lambda: services.version_submit(
        edition=fresh(desk), user=desk["alice"], note="Ready"
    )


def withdraw(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    return version, lambda: services.version_withdraw(version=version, user=desk["alice"])


def request_changes(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    return version, lambda: services.version_request_changes(
        version=version, user=desk["erin"], comment="Paragraph 2: tense."
    )


def approve(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    return version, lambda: services.version_approve(
        version=version, user=desk["erin"], comment="Good."
    )


def reopen(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    services.version_approve(version=version, user=desk["erin"])
    return None, lambda: services.edition_reopen(
        edition=fresh(desk), user=desk["alice"], comment="Typo in the title"
    )


def assign_move(desk):
    return None, lambda: services.edition_assign(
        edition=desk["edition"],
        users=[desk["alice"], desk["dana"]],
        by=desk["erin"],
        deadline=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )


def claim(desk):
    article = article_with_paragraphs(count=1)
    pool = edition_get_or_create(article=article, language="kk")
    desk["edition"] = pool
    return None, lambda: services.edition_claim(edition=pool, user=desk["dana"])


def credits_change(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    outsider = ContributorFactory(name="Saniya Sakenova")
    return version, lambda: services.version_credits_set(
        version=version, user=desk["erin"], credits=[(outsider, "translator")]
    )


MOVES = [
    # move, action, actor, from, to, comment
    (start, "reviews.edition.start", "alice", S.NOT_STARTED, S.IN_PROGRESS, ""),
    (submit, "reviews.version.submit", "alice", S.IN_PROGRESS, S.IN_REVIEW, "Ready"),
    (withdraw, "reviews.version.withdraw", "alice", S.IN_REVIEW, S.IN_PROGRESS, ""),
    (
        request_changes,
        "reviews.version.request_changes",
        "erin",
        S.IN_REVIEW,
        S.CHANGES_REQUESTED,
        "Paragraph 2: tense.",
    ),
    (approve, "reviews.version.approve", "erin", S.IN_REVIEW, S.APPROVED, "Good."),
    (reopen, "reviews.edition.reopen", "alice", S.APPROVED, S.IN_PROGRESS, "Typo in the title"),
    (assign_move, "reviews.edition.assign", "erin", "", "", ""),
    (claim, "reviews.edition.claim", "dana", "", "", ""),
    (credits_change, "reviews.credits.change", "erin", "", "", ""),
]


@pytest.mark.parametrize(
    "move, action, actor, from_state, to_state, comment",
    MOVES,
    ids=[move[1] for move in MOVES],
)
def test_each_move_writes_exactly_one_entry_saying_who_when_from_to_and_why(
    desk, move, action, actor, from_state, to_state, comment
):
    version, make_move = move(desk)
    known = set(AuditEntry.objects.values_list("pk", flat=True))
    make_move()
    [entry] = AuditEntry.objects.exclude(pk__in=known)
    assert entry.action == action
    assert entry.actor == desk[actor]
    assert entry.created_at is not None
    assert (entry.from_state, entry.to_state, entry.comment) == (from_state, to_state, comment)
    assert entry.edition_id == desk["edition"].pk
    if version is not None:
        assert entry.version == version
    if from_state:
        assert fresh(desk).state == to_state


def test_the_submit_entry_names_the_new_version(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    entry = AuditEntry.objects.get(action="reviews.version.submit")
    assert (entry.version, entry.data["number"]) == (version, 1)


def test_a_refused_move_writes_nothing(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    before = AuditEntry.objects.count()
    with pytest.raises(Exception, match="comment is required"):
        services.version_request_changes(version=version, user=desk["erin"], comment="")
    with pytest.raises(Exception, match="may not"):
        services.version_approve(version=version, user=UserFactory(username="visitor"))
    assert AuditEntry.objects.count() == before


def test_a_save_that_is_not_the_first_writes_no_entry(desk):
    translate_as(desk["alice"], desk["edition"], TEXTS)
    before = AuditEntry.objects.count()
    services.units_save(
        edition=fresh(desk), user=desk["alice"], rows=rows_for(fresh(desk), ["A 1", "B 2", "C 3"])
    )
    assert AuditEntry.objects.count() == before


def test_a_comment_is_not_an_audited_move(desk):
    version = submitted(desk["alice"], desk["edition"], TEXTS)
    before = AuditEntry.objects.count()
    comment_add(version=version, unit_key="p1", user=desk["erin"], body="Why?")
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "change",
    [
        {"action": "reviews.version.forged"},
        {"comment": "rewritten"},
        {"from_state": S.APPROVED},
        {"to_state": S.NOT_STARTED},
        {"data": {"number": 99}},
        {"created_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
        {"actor": None},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_database_refuses_to_change_an_entry(desk, change):
    submitted(desk["alice"], desk["edition"], TEXTS)
    entry = AuditEntry.objects.get(action="reviews.version.submit")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(**change)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.comment, stored.actor) == (
        "reviews.version.submit",
        "",
        desk["alice"],
    )


def test_the_database_refuses_a_change_made_through_save(desk):
    submitted(desk["alice"], desk["edition"], TEXTS)
    entry = AuditEntry.objects.get(action="reviews.version.submit")
    entry.comment = "Looked fine to me"
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()
