"""Mail as background tasks: enqueued with the move, retried, recovered (in process).

The same paths with a real ``db_worker`` process are in ``test_worker_process.py``.
"""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews import services, tasks
from tests.worker import PLAIN_TASKS, approval_mails, tasks_run_due
from translations.models import Edition, EditionState


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_the_mail_task_is_written_in_the_move_s_transaction_and_goes_with_it(in_review, settings):
    settings.TASKS = PLAIN_TASKS  # nothing runs the task: it must stay queued
    version, erin = in_review
    with pytest.raises(Rollback), transaction.atomic():
        services.version_approve(version=version, user=erin)
        assert approval_mails().count() == 1  # written inside, before any commit
        raise Rollback
    assert approval_mails().count() == 0
    assert Edition.objects.get(pk=version.edition_id).state == EditionState.IN_REVIEW

    services.version_approve(version=version, user=erin)
    [task] = approval_mails()
    assert task.status == "READY"
    assert task.args_kwargs["kwargs"]["recipients"] == ["alice@example.org"]


@pytest.mark.django_db
def test_a_failing_mail_is_retried_with_backoff_then_left_failed(settings, monkeypatch):
    settings.TILMASH_MAIL_ATTEMPTS = 3
    sent = []

    def refuse(*args, **kwargs):
        sent.append(args)
        raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    tasks.mail_send.enqueue(recipients=["a@example.org"], subject="Hello", body="Text")

    assert tasks_run_due() == 1
    failed, waiting = DBTaskResult.objects.failed().get(), DBTaskResult.objects.ready().first()
    assert waiting is None  # the next attempt is not due yet
    [waiting] = DBTaskResult.objects.filter(status="READY")
    assert waiting.args_kwargs["kwargs"]["attempt"] == 2
    delay = waiting.run_after - failed.finished_at
    assert delay == pytest.approx(timedelta(seconds=60), abs=timedelta(seconds=5))
    assert "attempt 1 of 3 failed" in failed.traceback
    assert "SMTPServerDisconnected" in failed.traceback

    for _attempt in (2, 3):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        assert tasks_run_due() == 1
    assert len(sent) == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()
    last = DBTaskResult.objects.failed().order_by("-finished_at").first()
    assert last.args_kwargs["kwargs"]["attempt"] == 3
    assert "attempt 3 of 3 failed; giving up" in last.traceback
    assert last.exception_class_path == "reviews.tasks.MailNotSent"


def test_the_backoff_grows_fourfold():
    delays = [tasks.mail_retry_delay(n).total_seconds() for n in (1, 2, 3, 4)]
    assert delays == [60, 240, 960, 3840]


@pytest.mark.django_db
def test_a_retry_that_gets_through_delivers_the_mail(monkeypatch):
    outcomes = [smtplib.SMTPServerDisconnected("gone")]

    def flaky(*args, **kwargs):
        if outcomes:
            raise outcomes.pop()
        return mail.send_mail(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", flaky)
    tasks.mail_send.enqueue(recipients=["a@example.org"], subject="Hello", body="Text")
    tasks_run_due()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    tasks_run_due()
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "FAILED",
        "SUCCESSFUL",
    ]


def _running(*, started_ago, claims=1):
    result = tasks.mail_send.enqueue(recipients=["a@example.org"], subject="s", body="b")
    row = DBTaskResult.objects.get(pk=result.id)
    for n in range(claims):
        row.claim(f"worker-{n}")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(seconds=started_ago)
    )
    return row.pk


@pytest.mark.django_db
def test_a_task_left_running_past_its_lease_is_queued_again():
    lost = _running(started_ago=120)
    busy = _running(started_ago=10)
    assert tasks.tasks_recover(lease=60, max_claims=3) == (1, 0)
    assert DBTaskResult.objects.get(pk=lost).status == "READY"
    assert DBTaskResult.objects.get(pk=busy).status == "RUNNING"
    assert tasks_run_due() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_task_whose_workers_keep_dying_is_failed_not_retried_forever():
    doomed = _running(started_ago=120, claims=3)
    assert tasks.tasks_recover(lease=60, max_claims=3) == (0, 1)
    row = DBTaskResult.objects.get(pk=doomed)
    assert row.status == "FAILED"
    assert row.exception_class_path == "reviews.tasks.WorkerLost"
    assert "started 3 times" in row.traceback


@pytest.mark.django_db
def test_a_mail_that_keeps_failing_is_shown_to_editors_in_the_admin(client, settings, monkeypatch):
    from tests.factories import editor

    settings.TILMASH_MAIL_ATTEMPTS = 1

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")})

    monkeypatch.setattr(tasks, "send_mail", refuse)
    tasks.mail_send.enqueue(recipients=["a@example.org"], subject="Hello", body="Text")
    tasks_run_due()
    [failed] = DBTaskResult.objects.failed()

    client.force_login(editor("erin", is_staff=True))
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert str(failed.id) in listing.content.decode()
    page = client.get(f"/admin/django_tasks_database/dbtaskresult/{failed.id}/change/")
    assert "attempt 1 of 1 failed; giving up" in page.content.decode()
    assert "SMTPRecipientsRefused" in page.content.decode()
