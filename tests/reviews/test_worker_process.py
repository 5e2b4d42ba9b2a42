"""A real ``manage.py db_worker`` process delivering the mail of a real move.

The worker runs with ``tests.worker_settings`` against this test's database
(on SQLite the test database is a file, see config/test_settings.py), so the
tests are ``transaction=True``: the move must be committed for another
process to see its task. Mail crosses the process boundary as files in a
temporary folder, or over SMTP to a socket the test holds.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews import services
from reviews.tasks import mail_send
from tests.worker import PLAIN_TASKS, approval_mails

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plain_tasks(settings):
    """Tasks wait in the database for a worker: nothing runs them in this process."""
    settings.TASKS = PLAIN_TASKS


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, tmp_path, worker_id, **env):
        self.log = tmp_path / f"{worker_id}.log"
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2",
             "--no-startup-delay", "--no-reload", "--worker-id", worker_id],
            cwd=BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
                "DATABASE_URL": database_url(),
                **env,
            },
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_for(self, condition, what, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.log_text()}")
            time.sleep(0.2)
        pytest.fail(f"{what}: not within {timeout} s. Worker log:\n{self.log_text()}")

    def log_text(self):
        return self.log.read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def status(task):
    return DBTaskResult.objects.values_list("status", flat=True).get(pk=task.pk)


def delivered(mail_dir):
    return [path.read_text(errors="replace") for path in sorted(mail_dir.glob("*"))]


def test_a_move_s_mail_waits_for_a_worker_and_the_worker_delivers_it(
    plain_tasks, in_review, tmp_path
):
    version, erin = in_review
    services.version_approve(version=version, user=erin)
    [task] = approval_mails()
    assert status(task) == "READY"  # no worker is running: the mail waits
    # And one a worker took twenty minutes ago, then died (the lease is ten).
    orphan = DBTaskResult.objects.get(
        pk=mail_send.enqueue(recipients=["bob@example.org"], subject="Orphan", body="x").id
    )
    orphan.claim("dead")
    DBTaskResult.objects.filter(pk=orphan.pk).update(
        started_at=timezone.now() - timedelta(minutes=20)
    )

    mail_dir = tmp_path / "mail"
    worker = WorkerProcess(tmp_path, "w1", TILMASH_TEST_MAIL_DIR=str(mail_dir))
    try:
        worker.wait_for(
            lambda: status(task) == status(orphan) == "SUCCESSFUL", "the waiting mails sent"
        )
    finally:
        worker.stop()
    mails = delivered(mail_dir)
    approvals = [m for m in mails if "Subject: Approved and published:" in m]
    assert len(approvals) == 1
    assert "To: alice@example.org" in approvals[0]
    assert "Version 1 is now live." in approvals[0]
    assert any("Subject: Orphan" in m for m in mails)


def test_a_worker_killed_mid_mail_leaves_the_mail_to_the_next_worker(
    plain_tasks, in_review, tmp_path
):
    version, erin = in_review
    DBTaskResult.objects.all().delete()  # the submission's mail: only the approval's is queued
    # A mail server that takes the connection and never answers: the first
    # worker hangs inside the task until it is killed.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    mail_dir = tmp_path / "mail"
    first = WorkerProcess(tmp_path, "w1", TILMASH_TEST_SMTP_PORT=str(silent.getsockname()[1]))
    second = None
    try:
        services.version_approve(version=version, user=erin)
        [task] = approval_mails()
        first.wait_for(lambda: status(task) == "RUNNING", "the first worker taking the mail")
        second = WorkerProcess(
            tmp_path, "w2", TILMASH_TEST_MAIL_DIR=str(mail_dir), TILMASH_TASK_LEASE_SECONDS="5"
        )

        def second_up():
            # The first worker holds the task as if it had just started it, so the
            # second one's check at start leaves it alone: only the checks it makes
            # while it runs can find it, once the first is gone and the lease is over.
            DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now())
            return "Starting worker" in second.log_text()

        second.wait_for(second_up, "the second worker up")
        first.stop(signal.SIGKILL)
        task.refresh_from_db()
        assert (task.status, task.worker_ids) == ("RUNNING", ["w1"])  # its worker is gone

        second.wait_for(lambda: status(task) == "SUCCESSFUL", "the mail sent by the second worker")
    finally:
        first.stop(signal.SIGKILL)
        silent.close()
        if second is not None:
            second.stop()
    task.refresh_from_db()
    assert task.worker_ids == ["w1", "w2"]
    approvals = [m for m in delivered(mail_dir) if "Subject: Approved and published:" in m]
    assert len(approvals) == 1
    assert "tasks left running by a lost worker: 1 requeued" in second.log_text()
