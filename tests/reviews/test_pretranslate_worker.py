"""A real ``manage.py db_worker`` process pre-translating an edition an editor asked for."""

import json

import pytest

from reviews.models import MachineDraft, Pretranslation
from reviews.services.machine import edition_pretranslate
from tests.factories import article_with_paragraphs, assign, editor, translator
from translations.models import Paragraph
from translations.services import edition_get_or_create

from .test_worker_process import WorkerProcess

pytestmark = pytest.mark.django_db(transaction=True)

UPPER = {"default": {"provider": "tests.reviews.test_pretranslate.UpperProvider"}}


def test_the_worker_pretranslates_what_the_request_queued(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = article_with_paragraphs(count=3)
    edition = edition_get_or_create(article=article, language="kk")
    assign(edition, translator("alice"))
    run = edition_pretranslate(edition=edition, user=editor("erin"))
    assert Pretranslation.objects.get(pk=run.pk).state == "queued"  # no worker yet

    worker = WorkerProcess(
        tmp_path, "pretranslator", TILMASH_MT=json.dumps(UPPER),
        TILMASH_TEST_MAIL_DIR=str(tmp_path / "mail"), TILMASH_PRETRANSLATE_BATCH="2",
    )  # fmt: skip
    try:
        worker.wait_for(
            lambda: Pretranslation.objects.get(pk=run.pk).state == "done", "the run finished"
        )
    finally:
        worker.stop()
    run.refresh_from_db()
    assert (run.total, run.done, run.failed) == (4, 4, 0)
    assert Paragraph.objects.get(article=article, key="p3").text_kk == "PARAGRAPH 3."
    assert MachineDraft.objects.filter(edition=edition).count() == 4
