"""Two editors deciding on the same version at the same moment.

Real threads, each with its own PostgreSQL connection and its own
transaction, meet at a barrier inside their transactions and then call the
services at once. The services lock the edition row first
(``select_for_update``), so one decision wins and the other, once the lock is
free, finds the review decided and is refused with the winner's name.
Nothing is mocked.
"""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from reviews import services
from reviews.models import Review, ReviewState
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.models import AuditEntry, Edition, EditionState, Version
from translations.services import edition_get_or_create

from .helpers import submitted

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

DECISIONS = ("reviews.version.approve", "reviews.version.request_changes")
# How long a winner keeps its transaction open after deciding: long enough
# that the other thread is certainly waiting on the edition's lock, not
# arriving after the commit. It makes the race certain; nothing measures it.
HOLD_SECONDS = 0.5


@pytest.fixture
def desk():
    """Version 1 approved and live; version 2 waiting for review."""
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice")
    assign(edition, alice)
    erin = editor("erin", first_name="Erin", last_name="Ek")
    frank = editor("frank", first_name="Frank", last_name="Fox")
    first = submitted(alice, edition, ["Бір 1.", "Екі 2.", "Үш 3."])
    services.version_approve(version=first, user=erin)
    services.edition_reopen(edition=edition, user=alice)
    second = submitted(alice, Edition.objects.get(pk=edition.pk), ["Бір 1.", "Екі 2!", "Үш 3."])
    return {"edition": edition, "first": first, "version": second, "erin": erin, "frank": frank}


def race(*moves):
    """Run ``moves`` (callables) at once, each in its own thread, connection and
    transaction; return what each returned or raised, in order."""
    barrier = threading.Barrier(len(moves))
    outcomes = [None] * len(moves)

    def run(index, move):
        try:
            with transaction.atomic():
                # Start the transaction for real before meeting the other thread.
                Edition.objects.exists()
                barrier.wait(timeout=10)
                outcomes[index] = move()
                time.sleep(HOLD_SECONDS)
        except (ValidationError, PermissionDenied) as error:
            outcomes[index] = error
        except Exception as error:  # surfaced by the test, not lost in the thread
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a decision never finished"
    return outcomes


def winner_and_loser(outcomes, people):
    won = [i for i, outcome in enumerate(outcomes) if not isinstance(outcome, Exception)]
    lost = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, Exception)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    error = outcomes[lost[0]]
    assert isinstance(error, ValidationError), repr(error)
    return people[won[0]], people[lost[0]], " ".join(error.messages)


def test_approve_against_approve_one_wins_and_the_other_is_told_who(desk):
    version = desk["version"]
    people = [desk["erin"], desk["frank"]]
    outcomes = race(
        *(lambda user=user: services.version_approve(version=version, user=user) for user in people)
    )
    winner, _loser, message = winner_and_loser(outcomes, people)
    name = winner.get_full_name()
    assert message == f"This version is no longer waiting for review: {name} approved it."
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert (edition.state, edition.live_version_id) == (EditionState.APPROVED, version.pk)
    review = Review.objects.get(version=version)
    assert (review.state, review.decided_by) == (ReviewState.APPROVED, winner)
    [decision] = AuditEntry.objects.filter(version=version, action__in=DECISIONS)
    assert (decision.action, decision.actor) == ("reviews.version.approve", winner)
    editors = Version.objects.get(pk=version.pk).credits.filter(role="editor")
    assert [credit.contributor.user for credit in editors] == [winner]


def test_approve_against_request_changes_one_decision_stands(desk):
    version = desk["version"]
    erin, frank = desk["erin"], desk["frank"]
    outcomes = race(
        lambda: services.version_approve(version=version, user=erin),
        lambda: services.version_request_changes(
            version=version, user=frank, comment="Paragraph 2: punctuation."
        ),
    )
    winner, _loser, message = winner_and_loser(outcomes, [erin, frank])
    [decision] = AuditEntry.objects.filter(version=version, action__in=DECISIONS)
    review = Review.objects.get(version=version)
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert decision.actor == winner == review.decided_by
    if winner == erin:
        assert message.endswith("Erin Ek approved it.")
        assert decision.action == "reviews.version.approve"
        assert (edition.state, edition.live_version_id) == (EditionState.APPROVED, version.pk)
    else:
        assert message.endswith("Frank Fox requested changes.")
        assert decision.action == "reviews.version.request_changes"
        # The approved version stays live; nothing of the refused approval was written.
        assert edition.state == EditionState.CHANGES_REQUESTED
        assert edition.live_version_id == desk["first"].pk
        assert Version.objects.get(pk=version.pk).approved_at is None
        assert not version.credits.filter(role="editor").exists()


def test_the_losing_decision_leaves_no_trace(desk):
    """Whoever loses, the database holds one decision's writes and nothing of the other."""
    version = desk["version"]
    erin, frank = desk["erin"], desk["frank"]
    before = AuditEntry.objects.count()
    outcomes = race(
        lambda: services.version_request_changes(version=version, user=erin, comment="A"),
        lambda: services.version_request_changes(version=version, user=frank, comment="B"),
    )
    winner, _loser, message = winner_and_loser(outcomes, [erin, frank])
    assert message.endswith(f"{winner.get_full_name()} requested changes.")
    assert AuditEntry.objects.count() == before + 1
    review = Review.objects.get(version=version)
    assert review.comment == ("A" if winner == erin else "B")
