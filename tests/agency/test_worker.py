"""A real ``manage.py db_worker`` queues a due feed source and imports its items."""

import pytest

from agency.models import FeedItem, FeedSource, ItemStatus
from tests.reviews.test_worker_process import WorkerProcess
from tests.worker import PLAIN_TASKS

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_runs_a_due_source_on_its_own(settings, feed_server, tmp_path):
    settings.TASKS = PLAIN_TASKS
    url = feed_server.serve("/feed.rss", fixture_bytes("feed.rss"))
    source = FeedSource.objects.create(name="Wire", url=url, format="rss", language="en")
    # A short lease makes the worker's periodic pass (a quarter of it) run every second.
    worker = WorkerProcess(
        tmp_path, "feeds", TILMASH_TASK_LEASE_SECONDS="4", TILMASH_TEST_MAIL_DIR=str(tmp_path)
    )
    try:
        worker.wait_for(
            lambda: FeedItem.objects.filter(status=ItemStatus.IMPORTED).count() == 2,
            "the feed's items imported",
            timeout=60,
        )
    finally:
        worker.stop()
    source.refresh_from_db()
    assert source.last_status == "partial" and source.next_run_at is not None
    assert feed_server.requests == ["/feed.rss"]
