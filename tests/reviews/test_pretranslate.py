"""Pre-translation: the request, the worker's run, machine marks, confirmation, submission."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from aids.mt import MachineTranslationError, MachineTranslationProvider
from reviews import services
from reviews.models import MachineDraft, Pretranslation, PretranslationState, UnitEdit
from reviews.services import RowInput
from reviews.services.machine import (
    edition_pretranslate,
    edition_pretranslate_if_breaking,
    machine_confirm,
    pretranslation_run,
)
from reviews.workflow import Permission, edition_actions, four_eyes_conflict
from tests.factories import article_with_paragraphs, assign, editor, translator
from tests.worker import PLAIN_TASKS
from translations.models import AuditEntry, Edition, EditionState, Paragraph, Priority
from translations.services import edition_get_or_create

pytestmark = pytest.mark.django_db

UPPER = "tests.reviews.test_pretranslate.UpperProvider"


class UpperProvider(MachineTranslationProvider):
    """A stand-in machine: the source in capitals."""

    def translate(self, text, source_language, target_language):
        return text.upper()


class BrokenProvider(MachineTranslationProvider):
    def translate(self, text, source_language, target_language):
        raise MachineTranslationError("The provider is down (HTTP 503).")


class HalfBrokenProvider(MachineTranslationProvider):
    """Fails on the second paragraph only."""

    def translate(self, text, source_language, target_language):
        if text == "Paragraph 2.":
            raise MachineTranslationError("Quota exceeded.")
        return text.upper()


class TypingMeanwhileProvider(MachineTranslationProvider):
    """While the machine works on paragraph 1, a translator types into paragraph 2."""

    translator = None

    def translate(self, text, source_language, target_language):
        if text == "Paragraph 1.":
            edition = Edition.objects.get(article__paragraphs__key="p2", language=target_language)
            p2 = Paragraph.objects.get(article=edition.article, key="p2")
            services.units_save(
                edition=edition,
                user=TypingMeanwhileProvider.translator,
                rows=[RowInput(key="p2", text="Human words.", revision=p2.revision_in("kk"))],
            )
        return text.upper()


@pytest.fixture
def desk(settings):
    settings.TILMASH_MT = {"default": {"provider": UPPER}}
    settings.TASKS = PLAIN_TASKS  # the tests run the work themselves
    article = article_with_paragraphs(count=3)
    edition = edition_get_or_create(article=article, language="kk")
    alice, erin = translator("alice"), editor("erin")
    assign(edition, alice)
    return edition, alice, erin


def _run(edition, user):
    run = edition_pretranslate(edition=edition, user=user)
    return pretranslation_run(pretranslation_id=run.pk)


def _text(edition, key):
    if key == "title":
        return edition.article.__class__.objects.get(pk=edition.article_id).text_in("kk")
    return Paragraph.objects.get(article_id=edition.article_id, key=key).text_in("kk")


# --- Permission -----------------------------------------------------------------------------


def test_only_an_editor_may_pretranslate_and_not_a_source_edition(desk):
    edition, alice, erin = desk
    assert Permission.PRETRANSLATE in edition_actions(edition=edition, user=erin)
    assert Permission.PRETRANSLATE not in edition_actions(edition=edition, user=alice)
    with pytest.raises(PermissionDenied):
        edition_pretranslate(edition=edition, user=alice)
    source = edition_get_or_create(article=edition.article, language="en")
    with pytest.raises(PermissionDenied):
        edition_pretranslate(edition=source, user=erin)
    assert not Pretranslation.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_not_while_in_review(desk):
    edition, _alice, erin = desk
    Edition.objects.filter(pk=edition.pk).update(state=EditionState.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        edition_pretranslate(edition=edition, user=erin)


# --- The request ----------------------------------------------------------------------------


class Rollback(Exception):
    pass


def test_the_task_is_enqueued_and_audited_in_the_request_s_transaction(desk):
    edition, _alice, erin = desk
    with pytest.raises(Rollback), transaction.atomic():
        edition_pretranslate(edition=edition, user=erin)
        assert DBTaskResult.objects.count() == 1
        raise Rollback
    assert not DBTaskResult.objects.exists()
    assert not Pretranslation.objects.exists()
    assert not AuditEntry.objects.filter(action="reviews.edition.pretranslate").exists()

    run = edition_pretranslate(edition=edition, user=erin)
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["kwargs"] == {"pretranslation_id": run.pk}
    assert task.status == "READY"
    assert run.state == PretranslationState.QUEUED
    entry = AuditEntry.objects.get(action="reviews.edition.pretranslate")
    assert entry.actor == erin and entry.edition_id == edition.pk


def test_a_second_request_while_one_waits_is_refused(desk):
    edition, _alice, erin = desk
    edition_pretranslate(edition=edition, user=erin)
    with pytest.raises(ValidationError, match="already"):
        edition_pretranslate(edition=edition, user=erin)
    assert Pretranslation.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_worker_task_runs_the_request(desk, settings):
    from tests.worker import tasks_run_due

    edition, _alice, erin = desk
    run = edition_pretranslate(edition=edition, user=erin)
    assert tasks_run_due() == 1
    run.refresh_from_db()
    assert run.state == PretranslationState.DONE
    assert _text(edition, "p1") == "PARAGRAPH 1."


# --- The run --------------------------------------------------------------------------------


def test_the_run_translates_title_and_paragraphs_in_batches_and_counts(desk, settings):
    settings.TILMASH_PRETRANSLATE_BATCH = 2
    edition, _alice, erin = desk
    run = _run(edition, erin)
    assert (run.state, run.total, run.done, run.skipped, run.failed) == ("done", 4, 4, 0, 0)
    assert run.percent == 100
    stored = Pretranslation.objects.get(pk=run.pk)
    assert (stored.total, stored.done, stored.state) == (4, 4, "done")
    assert stored.finished_at is not None
    assert _text(edition, "p3") == "PARAGRAPH 3."
    assert _text(edition, "title").startswith("TITLE OF")
    assert set(MachineDraft.objects.values_list("unit_key", flat=True)) == {
        "title", "p1", "p2", "p3"
    }
    # Written with no author: the machine is nobody's four-eyes conflict.
    p1 = Paragraph.objects.get(article=edition.article, key="p1")
    assert p1.edited_by_id_in("kk") is None and p1.revision_in("kk") == 1
    assert p1.source_revision_in("kk") == p1.revision_in("en")
    assert not UnitEdit.objects.exists()
    edition.refresh_from_db()
    assert edition.state == EditionState.IN_PROGRESS
    assert AuditEntry.objects.filter(action="reviews.edition.pretranslated").count() == 1


def test_translated_rows_are_left_as_they_are(desk):
    edition, alice, erin = desk
    p1 = Paragraph.objects.get(article=edition.article, key="p1")
    services.units_save(
        edition=edition, user=alice, rows=[RowInput(key="p1", text="Mine.", revision=0)]
    )
    run = _run(edition, erin)
    assert (run.total, run.done) == (3, 3)
    assert _text(edition, "p1") == "Mine."
    assert not MachineDraft.objects.filter(unit_key=p1.key).exists()


def test_a_row_typed_into_while_the_machine_worked_is_skipped(desk, settings):
    edition, alice, erin = desk
    settings.TILMASH_MT = {"default": {"provider": f"{__name__}.TypingMeanwhileProvider"}}
    TypingMeanwhileProvider.translator = alice
    run = _run(edition, erin)
    assert _text(edition, "p2") == "Human words."
    assert _text(edition, "p1") == "PARAGRAPH 1."
    assert run.skipped == 1 and run.done == 3
    assert not MachineDraft.objects.filter(unit_key="p2").exists()


def test_a_failing_provider_leaves_a_message_and_the_rows_untranslated(desk, settings):
    edition, _alice, erin = desk
    settings.TILMASH_MT = {"default": {"provider": f"{__name__}.BrokenProvider"}}
    run = _run(edition, erin)
    assert run.state == PretranslationState.FAILED
    assert (run.done, run.failed) == (0, 4)
    assert "The provider is down (HTTP 503)." in run.message
    assert "4 of 4" in run.message
    assert _text(edition, "p1") == ""
    assert not MachineDraft.objects.exists()


def test_a_provider_failing_on_one_row_still_does_the_others(desk, settings):
    edition, _alice, erin = desk
    settings.TILMASH_MT = {"default": {"provider": f"{__name__}.HalfBrokenProvider"}}
    run = _run(edition, erin)
    assert (run.state, run.done, run.failed) == ("failed", 3, 1)
    assert "Quota exceeded." in run.message
    assert _text(edition, "p2") == ""
    assert _text(edition, "p3") == "PARAGRAPH 3."


def test_a_misconfigured_provider_fails_the_run_with_its_message(desk, settings):
    edition, _alice, erin = desk
    settings.TILMASH_MT = {"default": {"provider": "no.such.Provider"}}
    run = _run(edition, erin)
    assert run.state == PretranslationState.FAILED
    assert "no.such.Provider" in run.message


def test_a_run_stops_when_the_edition_left_the_editable_states(desk):
    edition, _alice, erin = desk
    run = edition_pretranslate(edition=edition, user=erin)
    Edition.objects.filter(pk=edition.pk).update(state=EditionState.IN_REVIEW)
    run = pretranslation_run(pretranslation_id=run.pk)
    assert run.state == PretranslationState.FAILED
    assert _text(edition, "p1") == ""


# --- Marks, confirmation, submission --------------------------------------------------------


def test_submission_is_refused_until_every_machine_row_is_edited_or_confirmed(desk):
    edition, alice, erin = desk
    _run(edition, erin)
    with pytest.raises(ValidationError) as refused:
        services.version_submit(edition=edition, user=alice)
    [message] = [m for m in refused.value.messages if "machine" in m]
    assert "Title, Paragraph 1, Paragraph 2, Paragraph 3" in message

    # Editing a row takes it over; confirming the others does too.
    p1 = Paragraph.objects.get(article=edition.article, key="p1")
    services.units_save(
        edition=edition,
        user=alice,
        rows=[RowInput(key="p1", text="1-абзац.", revision=p1.revision_in("kk"))],
    )
    with pytest.raises(ValidationError) as refused:
        services.version_submit(edition=edition, user=alice)
    [message] = [m for m in refused.value.messages if "machine" in m]
    assert "Paragraph 1" not in message and "Title, Paragraph 2, Paragraph 3" in message

    assert machine_confirm(edition=edition, user=alice, keys=["title", "p2"]) == 2
    with pytest.raises(ValidationError, match="Paragraph 3"):
        services.version_submit(edition=edition, user=alice)
    assert machine_confirm(edition=edition, user=alice, keys=["p3"]) == 1
    version = services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=alice)
    assert version.number == 1


def test_confirming_records_who_and_is_refused_without_edit_rights(desk):
    edition, alice, erin = desk
    _run(edition, erin)
    outsider = translator("olga", pairs=())
    with pytest.raises(PermissionDenied):
        machine_confirm(edition=edition, user=outsider, keys=["p1"])
    assert machine_confirm(edition=edition, user=alice, keys=["p1", "p1", "nope"]) == 1
    draft = MachineDraft.objects.get(unit_key="p1")
    assert draft.confirmed_by == alice and draft.confirmed_at is not None
    assert UnitEdit.objects.get(unit_key="p1").confirmed_only
    assert machine_confirm(edition=edition, user=alice, keys=["p1"]) == 0  # done already
    entry = AuditEntry.objects.get(action="reviews.edition.machine_confirm")
    assert entry.data == {"units": ["p1"]} and entry.actor == alice


def test_a_human_edit_needs_no_confirmation_and_cannot_be_confirmed(desk):
    edition, alice, erin = desk
    _run(edition, erin)
    p1 = Paragraph.objects.get(article=edition.article, key="p1")
    services.units_save(
        edition=edition,
        user=alice,
        rows=[RowInput(key="p1", text="Changed.", revision=p1.revision_in("kk"))],
    )
    assert machine_confirm(edition=edition, user=alice, keys=["p1"]) == 0
    draft = MachineDraft.objects.get(unit_key="p1")
    assert draft.confirmed_at is None and draft.machine_text == "PARAGRAPH 1."


def test_the_requesting_editor_is_no_writer_but_a_confirming_one_is(desk):
    edition, alice, erin = desk
    _run(edition, erin)
    machine_confirm(edition=edition, user=alice, keys=["title", "p1", "p2", "p3"])
    version = services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=alice)
    assert not four_eyes_conflict(version=version, user=erin)
    assert four_eyes_conflict(version=version, user=alice)
    services.version_approve(version=version, user=erin)


# --- Automatic for breaking news ------------------------------------------------------------


def test_breaking_editions_are_pretranslated_on_assignment_only_when_turned_on(desk, settings):
    edition, alice, erin = desk
    services.edition_assign(edition=edition, users=[alice], by=erin, priority=Priority.BREAKING)
    assert not Pretranslation.objects.exists()  # off by default

    settings.TILMASH_PRETRANSLATE_BREAKING = True
    services.edition_assign(edition=edition, users=[alice], by=erin, priority=Priority.NORMAL)
    assert not Pretranslation.objects.exists()
    services.edition_assign(edition=edition, users=[alice], by=erin, priority=Priority.BREAKING)
    run = Pretranslation.objects.get()
    assert run.requested_by == erin
    assert AuditEntry.objects.get(action="reviews.edition.pretranslate").data["automatic"]
    # Once: assigning again queues no second run.
    pretranslation_run(pretranslation_id=run.pk)
    services.edition_assign(edition=edition, users=[alice], by=erin, priority=Priority.BREAKING)
    assert Pretranslation.objects.count() == 1
    assert edition_pretranslate_if_breaking(edition=edition, user=erin) is None


class DigitDroppingProvider(MachineTranslationProvider):
    def translate(self, text, source_language, target_language):
        return "".join(c for c in text if not c.isdigit()).upper()


def test_the_qa_checks_run_on_machine_text_like_on_any(desk, settings):
    edition, alice, erin = desk
    settings.TILMASH_MT = {"default": {"provider": f"{__name__}.DigitDroppingProvider"}}
    _run(edition, erin)
    machine_confirm(edition=edition, user=alice, keys=["title", "p1", "p2", "p3"])
    with pytest.raises(ValidationError) as refused:
        services.version_submit(edition=edition, user=alice)
    assert any("Paragraph 1: 1 in the source is missing" in m for m in refused.value.messages)
    assert not any("machine" in m for m in refused.value.messages)


class CrashingProvider(MachineTranslationProvider):
    def translate(self, text, source_language, target_language):
        raise RuntimeError("segfault in the model server client")


def test_a_crash_fails_the_run_and_its_task_and_a_new_request_is_allowed(desk, settings):
    from tests.worker import tasks_run_due

    edition, _alice, erin = desk
    settings.TILMASH_MT = {"default": {"provider": f"{__name__}.CrashingProvider"}}
    run = edition_pretranslate(edition=edition, user=erin)
    assert run.task_id == str(DBTaskResult.objects.get().id)
    tasks_run_due()
    run.refresh_from_db()
    assert run.state == PretranslationState.FAILED
    assert "segfault in the model server client" in run.message
    assert DBTaskResult.objects.get().status == "FAILED"
    settings.TILMASH_MT = {"default": {"provider": UPPER}}
    edition_pretranslate(edition=edition, user=erin)
    assert tasks_run_due() == 1
    assert _text(edition, "p1") == "PARAGRAPH 1."


def test_a_run_whose_task_the_worker_gave_up_on_does_not_block_a_new_request(desk):
    edition, _alice, erin = desk
    lost = edition_pretranslate(edition=edition, user=erin)
    # The worker died with it, again and again: tasks_recover failed the task.
    DBTaskResult.objects.filter(pk=lost.task_id).update(status="FAILED")
    run = edition_pretranslate(edition=edition, user=erin)
    lost.refresh_from_db()
    assert lost.state == PretranslationState.FAILED and "ask again" in lost.message
    assert run.state == PretranslationState.QUEUED and run.pk != lost.pk


class WordyProvider(MachineTranslationProvider):
    def translate(self, text, source_language, target_language):
        return (text + " ") * 60


def test_a_machine_title_too_long_for_the_title_fails_that_unit_only(desk, settings):
    edition, _alice, erin = desk
    settings.TILMASH_MT = {"default": {"provider": f"{__name__}.WordyProvider"}}
    run = _run(edition, erin)
    assert (run.done, run.failed) == (3, 1)
    assert "the limit is 500" in run.message
    assert _text(edition, "title") == ""
