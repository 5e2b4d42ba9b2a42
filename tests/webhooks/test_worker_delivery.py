"""A real ``manage.py db_worker`` process delivers a committed move's webhook.

As in tests/reviews/test_worker_process.py the worker runs against this test's
database, so the test is ``transaction=True``; the receiver is a thread of
this test process, so the request crosses from the worker's process to it.
"""

import json

import pytest

from reviews import services
from tests.reviews.test_worker_process import WorkerProcess
from tests.worker import PLAIN_TASKS
from webhooks.models import Delivery, EventType

from .receiver import documented_signature

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_delivers_a_committed_approval_s_webhook(
    settings, in_review, receiver, subscribe, tmp_path
):
    settings.TASKS = PLAIN_TASKS  # nothing runs in this process: the worker must
    version, erin = in_review
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    services.version_approve(version=version, user=erin)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and receiver.requests == []

    worker = WorkerProcess(tmp_path, "hooks", TILMASH_TEST_MAIL_DIR=str(tmp_path / "mail"))
    try:
        worker.wait_for(
            lambda: Delivery.objects.values_list("status", flat=True).get() == "delivered",
            "the webhook delivered",
        )
    finally:
        worker.stop()
    [request] = receiver.requests
    assert request.headers["X-Tilmash-Signature"] == documented_signature(
        subscription.secret, request.headers, request.body
    )
    assert json.loads(request.body)["version"]["id"] == version.pk
