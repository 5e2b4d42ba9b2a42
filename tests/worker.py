"""The task backend of the test settings, and helpers to run queued tasks.

``CommitRunningBackend`` is django-tasks-db's backend (the task is a row
written in the caller's transaction, exactly as in production) that also runs
the task in this process once that transaction commits, as an idle worker
would a moment later. Tests that capture on-commit callbacks
(``django_capture_on_commit_callbacks(execute=True)``) so see the mail a move
sends, without a worker process; a rolled-back move runs nothing. Tests of
the worker itself switch to the plain backend (``plain_backend``) and start
a real ``db_worker``.
"""

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

PLAIN_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def approval_mails():
    """The queued mails that announce an approval."""
    return DBTaskResult.objects.filter(args_kwargs__kwargs__subject__startswith="Approved")


def _worker():
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process",
        excluded_queue_names=[],
    )


def task_run(result_id):
    """Run one task if it is due (``run_after`` passed) and nobody took it yet."""
    result = DBTaskResult.objects.ready().filter(pk=result_id).first()
    if result is None:
        return False
    result.claim("in-process")
    _worker().run_task(result)
    return True


def tasks_run_due():
    """Run every task that is due, in this process; return how many ran."""
    ran = 0
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim("in-process")
        _worker().run_task(result)
        ran += 1
    return ran


class CommitRunningBackend(DatabaseBackend):
    def enqueue(self, task, args, kwargs):
        result = super().enqueue(task, args, kwargs)
        transaction.on_commit(lambda: task_run(result.id))
        return result
