"""Work the desk hands to the task worker (``manage.py db_worker``).

Tasks are rows of django-tasks-db's ``DBTaskResult``, written in the
transaction of the move that causes them: a move rolled back leaves no task,
a committed one leaves its tasks waiting until a worker runs them, however
long no worker is up. The admin lists them (*Task results*), failures with
their tracebacks.

Two things django-tasks-db leaves to the project, done here:

- **Retries.** A task that raises is simply failed. ``mail_send`` enqueues
  its own next attempt (``attempt`` + 1, ``run_after`` backing off) before
  it fails, so each failed attempt stays visible with its traceback; after
  ``TILMASH_MAIL_ATTEMPTS`` attempts it gives up, and that last failure says so.
- **A worker that dies.** A task is marked RUNNING when a worker claims it
  and nothing resets it if that worker is killed. ``tasks_recover`` (run by
  each worker at start and then periodically, see the ``db_worker`` command
  here) makes a task RUNNING for longer than the lease READY again, so
  another worker runs it; one claimed ``TILMASH_TASK_MAX_CLAIMS`` times
  without finishing is marked failed instead of being retried forever.
  A mail whose worker died after the server accepted it is sent twice: once
  too often rather than never.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone

logger = logging.getLogger(__name__)

MAIL_BACKOFF_SECONDS = 60  # before the second attempt; ×4 before each next one


class MailNotSent(Exception):
    """One attempt at a mail failed (the cause is chained)."""


class WorkerLost(Exception):
    """The workers running a task kept dying before it finished."""


def mail_retry_delay(attempt):
    """How long to wait after failed ``attempt`` (1, 2, …) before the next one."""
    return timedelta(seconds=MAIL_BACKOFF_SECONDS * 4 ** (attempt - 1))


@task
def mail_send(*, recipients, subject, body, attempt=1):
    """Send one rendered mail; on failure enqueue the next attempt, then fail.

    Arguments are plain JSON (addresses, texts, a number): the worker may run
    this long after the move, in another process.
    """
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception as exc:
        attempts = settings.TILMASH_MAIL_ATTEMPTS
        if attempt >= attempts:
            logger.error("gave up sending %r to %s after %d attempts", subject, recipients, attempt)
            raise MailNotSent(
                f"attempt {attempt} of {attempts} failed; giving up: {exc!r}"
            ) from exc
        run_after = timezone.now() + mail_retry_delay(attempt)
        retry = mail_send.using(run_after=run_after).enqueue(
            recipients=recipients, subject=subject, body=body, attempt=attempt + 1
        )
        logger.warning(
            "could not send %r to %s (attempt %d): %r", subject, recipients, attempt, exc
        )
        raise MailNotSent(
            f"attempt {attempt} of {attempts} failed: {exc!r}; "
            f"attempt {attempt + 1} is task {retry.id}, after {run_after:%Y-%m-%d %H:%M:%S %Z}"
        ) from exc
    return {"to": recipients, "attempt": attempt}


def tasks_recover(*, lease=None, max_claims=None, now=None):
    """Hand tasks whose worker died back to the queue; return (requeued, failed).

    A task RUNNING for longer than ``lease`` seconds is READY again, unless
    workers have claimed it ``max_claims`` times already: then it is failed
    with ``WorkerLost``, so a task that kills its worker cannot loop forever.
    Keep every task well under the lease (mail: the SMTP timeout).
    """
    from django_tasks_db.models import DBTaskResult

    lease = settings.TILMASH_TASK_LEASE_SECONDS if lease is None else lease
    max_claims = settings.TILMASH_TASK_MAX_CLAIMS if max_claims is None else max_claims
    cutoff = (now or timezone.now()) - timedelta(seconds=lease)
    requeued = failed = 0
    with transaction.atomic():
        stale = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        for result in stale:
            if len(result.worker_ids) >= max_claims:
                result.set_failed(
                    WorkerLost(
                        f"started {len(result.worker_ids)} times, its worker never "
                        f"finished it (lease {lease} s)"
                    )
                )
                failed += 1
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                requeued += 1
    if requeued or failed:
        logger.warning(
            "tasks left running by a lost worker: %d requeued, %d failed", requeued, failed
        )
    return requeued, failed


@task
def edition_pretranslate_task(*, pretranslation_id):
    """Pre-translate an edition: ``reviews.services.machine.pretranslation_run``."""
    from .services.machine import pretranslation_run

    run = pretranslation_run(pretranslation_id=pretranslation_id)
    if run is None:
        return None
    return {"state": run.state, "done": run.done, "skipped": run.skipped, "failed": run.failed}
