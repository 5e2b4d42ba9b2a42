"""``manage.py db_worker``: django-tasks-db's worker, recovering tasks of dead workers.

Same command line as the package's own (``--queue-name``, ``--interval``,
``--batch``, ``--max-tasks``, ``--worker-id``, …), which this one replaces
because ``reviews`` comes before ``django_tasks_db`` in INSTALLED_APPS. Before
it starts taking tasks, and then every quarter of the lease (at most every
minute), it runs ``reviews.tasks.tasks_recover``: a task left RUNNING by a
worker that was killed goes back to the queue once its lease has run out.
In the same loop it runs the urgency clocks' pass (``reviews.clocks``) and
queues a run of each agency feed source that is due (``agency.services``).
"""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from agency.services import feeds_due_enqueue
from reviews.clocks import clocks_run
from reviews.tasks import tasks_recover

logger = logging.getLogger(__name__)


def recovery_period():
    return min(60.0, max(1.0, settings.TILMASH_TASK_LEASE_SECONDS / 4))


def _recover_periodically(stop):
    while not stop.wait(recovery_period()):
        try:
            close_old_connections()
            tasks_recover()
        except Exception:  # a database blip must not end the recovery loop
            logger.exception("recovering lost tasks failed; trying again later")
        try:
            clocks_run()
        except Exception:
            logger.exception("the urgency clocks' pass failed; trying again later")
        try:
            feeds_due_enqueue()
        except Exception:
            logger.exception("queueing the agency feeds failed; trying again later")
        finally:
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run tasks from the database (django-tasks-db's worker), handing tasks left "
        "running by a killed worker back to the queue once their lease runs out."
    )

    def handle(self, *args, **options):
        # With --reload the outer process only watches files; the inner one works.
        if not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            tasks_recover()
            threading.Thread(
                target=_recover_periodically,
                args=(threading.Event(),),
                name="tasks-recover",
                daemon=True,
            ).start()
        return super().handle(*args, **options)
