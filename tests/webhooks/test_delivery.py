"""Webhooks sent to a real HTTP receiver: signature, retries, rollback, filtering."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews import services
from tests.factories import editor, translator
from tests.lifecycle_helpers import senior_editor
from tests.worker import task_run
from webhooks import services as webhook_services
from webhooks.events import edition_payload, event_record
from webhooks.models import Delivery, Event, EventType

from .receiver import documented_signature

pytestmark = pytest.mark.django_db


def webhook_tasks():
    return DBTaskResult.objects.filter(task_path="webhooks.tasks.webhook_deliver")


def tasks_run_due():
    """Run the webhook tasks that are due (mail of the moves stays queued); how many ran."""
    ran = 0
    due = webhook_tasks().ready().order_by("enqueued_at").values_list("pk", flat=True)
    while pk := due.first():
        ran += task_run(pk)
    return ran


def retries_due_now():
    """The queued retries, made due now (as if their backoff had passed), then run."""
    webhook_tasks().filter(status="READY").update(run_after=timezone.now() - timedelta(seconds=1))
    return tasks_run_due()


def test_an_approval_sends_edition_published_signed_as_documented(
    in_review, receiver, subscribe, django_capture_on_commit_callbacks
):
    version, erin = in_review
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=version, user=erin)

    [request] = receiver.requests
    headers = request.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Tilmash-Event"] == "edition.published"
    assert headers["X-Tilmash-Signature"] == documented_signature(
        subscription.secret, headers, request.body
    )
    assert abs(int(headers["X-Tilmash-Timestamp"]) - timezone.now().timestamp()) < 300
    delivery = Delivery.objects.get()
    assert headers["X-Tilmash-Delivery"] == str(delivery.uuid)
    payload = json.loads(request.body)
    assert payload["id"] == str(delivery.event_id)
    assert payload["type"] == "edition.published"
    assert payload["article"]["slug"] == version.edition.article.slug
    assert payload["edition"]["language"] == "kk"
    assert payload["edition"]["state"] == "approved"
    assert payload["edition"]["url"].endswith(f"/kk/articles/{version.edition.article.slug}/")
    assert payload["version"] == {"id": version.pk, "number": 1, "kind": "standard"}
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    assert delivery.response_excerpt == '{"ok": true}'


def test_a_submission_says_ids_and_no_text(receiver, subscribe, django_capture_on_commit_callbacks):
    from tests.factories import article_with_paragraphs, assign, publish
    from tests.reviews.helpers import submitted
    from translations.services import edition_get_or_create

    subscribe(EventType.VERSION_SUBMITTED)
    article = article_with_paragraphs(count=1, texts=["Secret draft words."])
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice")
    assign(edition, alice)
    with django_capture_on_commit_callbacks(execute=True):
        version = submitted(alice, edition)

    [request] = receiver.requests
    payload = json.loads(request.body)
    assert payload["type"] == "version.submitted"
    assert payload["version"]["id"] == version.pk
    assert payload["edition"]["url"] is None  # not live in Kazakh
    assert b"Secret draft" not in request.body and b"[kk]" not in request.body


def test_a_500_is_retried_with_backoff_and_the_retry_delivers(
    in_review, receiver, subscribe, django_capture_on_commit_callbacks
):
    version, erin = in_review
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    receiver.plan = [(500, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=version, user=erin)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 1, 500)
    assert delivery.response_excerpt == "receiver says no"
    wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert wait == timedelta(minutes=1)
    [retry] = webhook_tasks().filter(status="READY")
    assert retry.run_after == delivery.next_attempt_at
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    assert retries_due_now() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 2, 200)
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["X-Tilmash-Delivery"] == second.headers["X-Tilmash-Delivery"]
    for request in (first, second):
        assert request.headers["X-Tilmash-Signature"] == documented_signature(
            subscription.secret, request.headers, request.body
        )
    assert [entry["code"] for entry in delivery.log] == [500, 200]


def test_a_timeout_is_retried(in_review, receiver, subscribe, settings):
    version, erin = in_review
    settings.TILMASH_WEBHOOK_READ_TIMEOUT = 0.3
    subscribe(EventType.EDITION_PUBLISHED)
    receiver.plan = [(200, 1.0)]  # answers after the sender stopped waiting
    services.version_approve(version=version, user=erin)
    assert tasks_run_due() == 1

    delivery = Delivery.objects.get()
    assert delivery.status == "retrying"
    assert delivery.response_code is None
    assert delivery.error.startswith("timed out")
    assert retries_due_now() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2


def test_a_connection_refused_is_retried(subscribe, receiver):
    receiver.server.shutdown()
    receiver.server.server_close()
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "retrying"
    assert delivery.error.startswith("could not connect")


@pytest.mark.parametrize(
    "status, outcome",
    [(400, "failed"), (410, "failed"), (302, "failed"), (408, "retrying"), (429, "retrying"),
     (503, "retrying")],
)  # fmt: skip
def test_which_answers_are_retried(receiver, subscribe, status, outcome):
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    receiver.plan = [(status, 0)]
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code) == (outcome, status)
    assert webhook_tasks().filter(status="READY").count() == (outcome == "retrying")


def test_after_the_last_retry_the_delivery_is_left_failed(receiver, subscribe, settings):
    settings.TILMASH_WEBHOOK_RETRY_DELAYS = [60, 240]
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    receiver.plan = [(500, 0)] * 5
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    retries_due_now()
    retries_due_now()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert not webhook_tasks().filter(status="READY").exists()
    assert len(receiver.requests) == 3


def test_a_rolled_back_move_sends_nothing(
    in_review, receiver, subscribe, django_capture_on_commit_callbacks
):
    version, erin = in_review
    subscribe()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.version_approve(version=version, user=erin)
            assert Event.objects.filter(type="edition.published").exists()
            raise RuntimeError("the move fails after the event was written")
    assert not Event.objects.exists()
    assert not Delivery.objects.exists()
    assert not webhook_tasks().exists()
    assert receiver.requests == []


def test_a_refused_move_sends_nothing(in_review, receiver, subscribe):
    version, _erin = in_review
    subscribe()
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, user=translator("bob"))
    assert not Event.objects.exists()


def test_only_active_subscriptions_to_the_event_get_it(
    in_review, receiver, subscribe, django_capture_on_commit_callbacks
):
    version, erin = in_review
    published = subscribe(EventType.EDITION_PUBLISHED)
    subscribe(EventType.VERSION_SUBMITTED, EventType.EDITION_CORRECTED)
    subscribe(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=version, user=erin)
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [published.pk]
    assert [r.headers["X-Tilmash-Event"] for r in receiver.requests] == ["edition.published"]


def test_a_subscription_made_inactive_after_the_event_is_not_sent(in_review, receiver, subscribe):
    version, erin = in_review
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    services.version_approve(version=version, user=erin)
    subscription.active = False
    subscription.save()
    tasks_run_due()
    assert receiver.requests == []
    assert Delivery.objects.get().status == "failed"


def test_a_request_for_changes_sends_version_changes_requested(
    in_review, receiver, subscribe, django_capture_on_commit_callbacks
):
    version, erin = in_review
    subscribe(EventType.VERSION_CHANGES_REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_request_changes(version=version, user=erin, comment="Fix the numbers.")
    [request] = receiver.requests
    payload = json.loads(request.body)
    assert (payload["type"], payload["version"]["id"]) == ("version.changes_requested", version.pk)
    assert payload["edition"]["state"] == "changes_requested"
    assert b"Fix the numbers" not in request.body


def test_a_withdrawal_sends_edition_withdrawn_for_every_live_edition(
    in_review, receiver, subscribe, django_capture_on_commit_callbacks
):
    version, erin = in_review
    services.version_approve(version=version, user=erin)
    subscribe(EventType.EDITION_WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(
            edition=version.edition, user=senior_editor("sam"), reason="Legal advice."
        )
    payloads = [json.loads(r.body) for r in receiver.requests]
    assert sorted(p["edition"]["language"] for p in payloads) == ["en", "kk"]
    assert {p["type"] for p in payloads} == {"edition.withdrawn"}
    assert all(p["edition"]["withdrawn_at"] for p in payloads)
    assert b"Legal advice" not in receiver.requests[0].body


def test_send_again_starts_a_new_series_and_old_retries_do_nothing(receiver, subscribe):
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    receiver.plan = [(500, 0)]
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "retrying"

    assert webhook_services.delivery_resend(deliveries=[delivery], user=editor("erin")) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.series) == ("pending", 2)
    retries_due_now()  # the new series' attempt, and the old series' retry
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2
    assert {r.headers["X-Tilmash-Delivery"] for r in receiver.requests} == {str(delivery.uuid)}


def test_send_again_is_refused_without_the_permission(receiver, subscribe):
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    delivery = Delivery.objects.get()
    with pytest.raises(PermissionDenied):
        webhook_services.delivery_resend(deliveries=[delivery], user=translator("bob"))
    delivery.refresh_from_db()
    assert delivery.series == 1


def test_the_payload_names_external_id_only_where_the_article_has_one(in_review):
    version, _erin = in_review
    edition = version.edition
    body = edition_payload(edition=edition, article=edition.article, version=version)
    assert "external_id" not in body["article"]
    edition.article.external_id = "cms-42"
    body = edition_payload(edition=edition, article=edition.article, version=version)
    assert body["article"]["external_id"] == "cms-42"


def test_moves_nobody_subscribed_to_write_nothing(in_review):
    version, erin = in_review
    services.version_approve(version=version, user=erin)
    assert not Event.objects.exists()
    assert not webhook_tasks().exists()


def readme_verifier():
    """The receiver's check as README shows it, run as written."""
    readme = (Path(django_settings.BASE_DIR) / "README.md").read_text()
    [snippet] = re.findall(r"```python\n(.*?def tilmash_signature_ok.*?)```", readme, re.S)
    namespace = {}
    exec(snippet, namespace)
    return namespace["tilmash_signature_ok"]


def test_readme_s_receiver_check_accepts_a_delivery_and_refuses_a_forgery(receiver, subscribe):
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    [request] = receiver.requests
    signature_ok = readme_verifier()
    assert signature_ok(subscription.secret, request.headers, request.body)
    assert not signature_ok("whsec_wrong", request.headers, request.body)
    assert not signature_ok(subscription.secret, request.headers, request.body + b" ")
