"""Pre-translation: the machine drafts an edition's untranslated paragraphs on the worker.

- :func:`edition_pretranslate` (an editor's request) records a
  :class:`~reviews.models.Pretranslation` and enqueues its task in the same
  transaction: a request rolled back leaves no task.
- :func:`pretranslation_run` (the task's body) translates the title and every
  untranslated paragraph with the provider configured for the pair
  (``aids.mt``), ``TILMASH_PRETRANSLATE_BATCH`` units at a time, each batch
  written through the normal save (``units_text_save``: a unit someone typed
  into meanwhile is not overwritten, it is skipped), with the counts stored
  after each batch for the progress shown on the edition and in the editor.
  The provider is called outside any transaction; nothing is locked while it
  answers. A provider that fails leaves its message on the run and the
  paragraphs it could not do untranslated.
- Each unit the machine wrote gets a :class:`~reviews.models.MachineDraft`
  (its text and hash). While the working copy still holds that text and
  nobody confirmed it (:func:`machine_confirm`), submission is refused
  (:func:`machine_problems`, called by ``submission_problems``). Machine
  writes carry no author: the machine is nobody's four-eyes conflict.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aids.mt import MachineTranslationError, mt_provider
from translations import services as content
from translations.models import Article, EditionState, Paragraph, Priority, Version
from translations.texts import text_hash

from ..models import MachineDraft, Pretranslation, PretranslationState, UnitEdit
from ..workflow import EDITABLE_STATES, Move, Permission, edition_actions
from .common import edition_lock, edition_move, require

logger = logging.getLogger(__name__)

TITLE_LIMIT = Article._meta.get_field("title").max_length

__all__ = [
    "edition_pretranslate",
    "edition_pretranslate_if_breaking",
    "machine_confirm",
    "machine_confirmers",
    "machine_drafts_of",
    "machine_problems",
    "machine_unconfirmed_keys",
    "pretranslation_latest",
    "pretranslation_run",
]


def _units(article, *, keys=None):
    """``[(key, unit)]``: the title, then the paragraphs in order (only ``keys``, if given)."""
    paragraphs = Paragraph.objects.filter(article=article).order_by("position")
    if keys is not None:
        paragraphs = paragraphs.filter(key__in=keys)
    units = [] if keys is not None and Version.TITLE_KEY not in keys else [
        (Version.TITLE_KEY, article)
    ]
    return units + [(p.key, p) for p in paragraphs]


def _labels(article):
    labels = {Version.TITLE_KEY: _("Title")}
    keys = Paragraph.objects.filter(article=article).order_by("position")
    for number, key in enumerate(keys.values_list("key", flat=True), 1):
        labels[key] = _("Paragraph %(n)d") % {"n": number}
    return labels


def pretranslation_latest(edition):
    """``edition``'s latest pre-translation request, or None (one query)."""
    return Pretranslation.objects.filter(edition=edition).order_by("-requested_at", "-id").first()


def _busy():
    return ValidationError(
        _("This edition is being pre-translated already; wait for it to finish."),
        code="running",
    )


def _worker_lost(run):
    """True when the task of ``run`` (queued or running) ended without finishing it: its
    worker failed it (a crash, or lost again and again). Such a run is closed as failed."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not run.task_id:
        return False
    ended = DBTaskResult.objects.filter(
        pk=run.task_id, status__in=[TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    ).exists()
    if ended:
        message = _("The worker stopped before finishing this pre-translation; ask again.")
        _finish(run, state=PretranslationState.FAILED, message=message)
    return ended


def _enqueue(edition, user, *, automatic):
    from ..tasks import edition_pretranslate_task

    active = (
        Pretranslation.objects.select_for_update()
        .filter(
            edition=edition, state__in=[PretranslationState.QUEUED, PretranslationState.RUNNING]
        )
        .first()
    )
    if active is not None and not _worker_lost(active):
        raise _busy()
    try:
        with transaction.atomic():
            run = Pretranslation.objects.create(edition=edition, requested_by=user)
    except IntegrityError as error:  # a concurrent request won the race
        raise _busy() from error
    result = edition_pretranslate_task.enqueue(pretranslation_id=run.pk)
    Pretranslation.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.task_id = str(result.id)
    content.audit_record(
        action="reviews.edition.pretranslate",
        actor=user,
        edition=edition,
        data={"pretranslation": run.pk, "automatic": automatic},
    )
    return run


def edition_pretranslate(*, edition, user):
    """Queue the pre-translation of ``edition`` (an editor's request); the new run.

    Refused (``PermissionDenied``) to anyone but an editor, on a source edition
    and outside the editable states; refused (``ValidationError``) while a run
    of the same edition is queued or running.
    """
    with transaction.atomic():
        edition = edition_lock(edition)
        require(Permission.PRETRANSLATE, edition_actions(edition=edition, user=user))
        return _enqueue(edition, user, automatic=False)


def edition_pretranslate_if_breaking(*, edition, user):
    """Queue a pre-translation of a breaking edition when the newsroom turned that on
    (``TILMASH_PRETRANSLATE_BREAKING``); call inside the transaction that made it
    breaking or assigned it. Returns the run, or None when none was queued."""
    if not settings.TILMASH_PRETRANSLATE_BREAKING:
        return None
    if edition.priority != Priority.BREAKING or edition.language == edition.article.source_language:
        return None
    if edition.state not in EDITABLE_STATES:
        return None
    if Pretranslation.objects.filter(edition=edition).exists():
        return None  # once per edition: after that an editor asks
    return _enqueue(edition, user, automatic=True)


# --- The worker's side ----------------------------------------------------------------------


def _finish(run, *, state, message=""):
    run.state = state
    run.message = message
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "message", "finished_at", "done", "skipped", "failed"])
    content.audit_record(
        action="reviews.edition.pretranslated",
        edition=run.edition,
        data={
            "pretranslation": run.pk,
            "state": state,
            "done": run.done,
            "skipped": run.skipped,
            "failed": run.failed,
        },
    )


def pretranslation_run(*, pretranslation_id):
    """Do the work of one pre-translation request (the task's body); returns the run."""
    run = (
        Pretranslation.objects.select_related("edition__article", "requested_by")
        .filter(pk=pretranslation_id)
        .first()
    )
    if run is None or not run.active:
        return run  # deleted, or already finished (a task run twice)
    try:
        return _run(run)
    except Exception as error:
        logger.exception("pre-translation %s stopped", run.pk)
        _finish(
            run,
            state=PretranslationState.FAILED,
            message=_("The pre-translation stopped on an error: %(error)s") % {"error": error},
        )
        raise


def _run(run):
    edition, article = run.edition, run.edition.article
    language, source_language = edition.language, article.source_language
    run.state = PretranslationState.RUNNING
    run.started_at = run.started_at or timezone.now()
    run.save(update_fields=["state", "started_at"])
    try:
        provider = _provider(article, source_language, language)
    except MachineTranslationError as error:
        _finish(run, state=PretranslationState.FAILED, message=str(error))
        return run
    todo = [
        key
        for key, unit in _units(article)
        if unit.text_in(source_language).strip() and not unit.text_in(language).strip()
    ]
    run.total = len(todo)
    run.save(update_fields=["total"])
    batch = max(1, settings.TILMASH_PRETRANSLATE_BATCH)
    labels = _labels(article)
    errors = []
    for start in range(0, len(todo), batch):
        stopped = _batch(run, provider, todo[start : start + batch], labels, errors)
        if stopped:
            _finish(run, state=PretranslationState.FAILED, message=stopped)
            return run
    if run.failed:
        message = _(
            "%(failed)d of %(total)d paragraphs could not be translated and are left "
            "untranslated: %(error)s"
        ) % {"failed": run.failed, "total": run.total, "error": errors[0]}
        _finish(run, state=PretranslationState.FAILED, message=message)
    else:
        _finish(run, state=PretranslationState.DONE)
    return run


def _provider(article, source_language, language):
    provider = mt_provider(source_language=source_language, target_language=language)
    if provider.wants_glossary:
        from aids.glossary import glossary_for_article

        provider.glossary = glossary_for_article(article=article)
    provider.pretranslate_name = type(provider).__name__
    return provider


def _translate(provider, article, unit, key, source_language, language):
    text = unit.text_in(source_language)
    if provider.wants_context:
        from aids.mt.context import article_context

        provider.context = article_context(article=article, text=text, unit_key=key)
    return provider.translate(text, source_language, language)


def _batch(run, provider, keys, labels, errors):
    """Translate and save one batch; the counts go onto ``run``. A message when the
    edition left the editable states (the run stops), else None."""
    edition, article = run.edition, run.edition.article
    language, source_language = edition.language, article.source_language
    drafts = []
    for key, unit in _units(article, keys=set(keys)):
        if unit.text_in(language).strip():
            run.skipped += 1  # someone translated it since the run began
            continue
        try:
            text = _translate(provider, article, unit, key, source_language, language)
            if not (text or "").strip():
                raise MachineTranslationError(_("The provider returned no text."))
            content.text_validate(text, label=labels.get(key, key))
            if key == Version.TITLE_KEY and len(text) > TITLE_LIMIT:
                raise MachineTranslationError(
                    _("The machine's title is %(length)d characters long; the limit is "
                      "%(limit)d.") % {"length": len(text), "limit": TITLE_LIMIT}
                )
        except (MachineTranslationError, ValidationError) as error:
            run.failed += 1
            errors.append(getattr(error, "message", None) or str(error))
            logger.warning("pre-translation %s: %s %s: %s", run.pk, edition, key, error)
            continue
        drafts.append((key, unit, text))
    with transaction.atomic():
        locked = edition_lock(edition)
        if locked.state not in EDITABLE_STATES:
            run.skipped += len(drafts)
            Pretranslation.objects.filter(pk=run.pk).update(skipped=run.skipped, failed=run.failed)
            return _("The edition was %(state)s before the machine finished; it stopped.") % {
                "state": locked.get_state_display().lower()
            }
        writes = [
            content.UnitWrite(
                unit=unit,
                text=text,
                loaded_revision=unit.revision_in(language),
                source_revision=unit.revision_in(source_language),
                label=labels.get(key, key),
            )
            for key, unit, text in drafts
        ]
        results = content.units_text_save(writes=writes, language=language, user=None)
        saved = [
            (key, text)
            for (key, _unit, text), result in zip(drafts, results, strict=True)
            if result.saved
        ]
        run.done += len(saved)
        run.skipped += len(drafts) - len(saved)  # typed into while the machine worked
        if saved:
            keys = [key for key, _text in saved]
            MachineDraft.objects.filter(edition=edition, unit_key__in=keys).delete()
            MachineDraft.objects.bulk_create(
                MachineDraft(
                    edition=edition,
                    unit_key=key,
                    machine_text=text,
                    text_hash=text_hash(text),
                    provider=provider.pretranslate_name,
                )
                for key, text in saved
            )
            if locked.state == EditionState.NOT_STARTED:
                edition_move(locked, Move.START, user=run.requested_by)
        Pretranslation.objects.filter(pk=run.pk).update(
            done=run.done, skipped=run.skipped, failed=run.failed
        )
    return None


# --- Marks, confirmation, submission --------------------------------------------------------


def machine_drafts_of(edition):
    """``{unit_key: MachineDraft}`` of ``edition`` (one query)."""
    return {draft.unit_key: draft for draft in MachineDraft.objects.filter(edition=edition)}


def machine_unconfirmed_keys(drafts, texts):
    """The keys whose text in ``texts`` (``{key: text}``) is still the machine's and
    unconfirmed, given ``drafts`` (:func:`machine_drafts_of`)."""
    return {
        key
        for key, draft in drafts.items()
        if draft.confirmed_at is None and key in texts and text_hash(texts[key]) == draft.text_hash
    }


def machine_problems(edition, units, labels):
    """The message refusing submission while machine text is unconfirmed; [] if none.

    ``units`` is ``[(key, unit)]``, ``labels`` ``{key: label}``.
    """
    drafts = machine_drafts_of(edition)
    if not drafts:
        return []
    texts = {key: unit.text_in(edition.language) for key, unit in units}
    waiting = machine_unconfirmed_keys(drafts, texts)
    if not waiting:
        return []
    named = [labels[key] for key, _unit in units if key in waiting]
    return [
        _(
            "The machine translated these and nobody has edited or confirmed them yet: "
            "%(units)s."
        )
        % {"units": ", ".join(named)}
    ]


def machine_confirmers(version):
    """The ids of whoever confirmed the machine's text of a unit of ``version``, once per
    unit whose text in ``version`` is still the machine's (one query)."""
    texts = {unit["key"]: unit["text"] for unit in version.units}
    drafts = MachineDraft.objects.filter(
        edition_id=version.edition_id, confirmed_by__isnull=False
    ).only("unit_key", "text_hash", "confirmed_by_id")
    return [
        draft.confirmed_by_id
        for draft in drafts
        if draft.unit_key in texts and text_hash(texts[draft.unit_key]) == draft.text_hash
    ]


def machine_confirm(*, edition, user, keys):
    """Confirm the machine's text of ``keys`` as correct (the human takes it on); how many.

    Only a key whose working copy still holds the machine's text is confirmed;
    one a human edited needs no confirmation. Recorded as the user's edit (a
    "still correct" one): the confirmer is a writer of the version.
    """
    keys = set(keys)
    with transaction.atomic():
        edition = edition_lock(edition)
        require(Permission.EDIT, edition_actions(edition=edition, user=user))
        drafts = {
            draft.unit_key: draft
            for draft in MachineDraft.objects.select_for_update().filter(
                edition=edition, unit_key__in=keys, confirmed_at__isnull=True
            )
        }
        units = dict(_units(edition.article, keys=set(drafts)))
        texts = {key: unit.text_in(edition.language) for key, unit in units.items()}
        confirmed = sorted(machine_unconfirmed_keys(drafts, texts))
        if not confirmed:
            return 0
        now = timezone.now()
        MachineDraft.objects.filter(edition=edition, unit_key__in=confirmed).update(
            confirmed_by=user, confirmed_at=now
        )
        UnitEdit.objects.bulk_create(
            UnitEdit(
                edition=edition,
                unit_key=key,
                user=user,
                revision=units[key].revision_in(edition.language),
                confirmed_only=True,
                created_at=now,
            )
            for key in confirmed
        )
        content.audit_record(
            action="reviews.edition.machine_confirm",
            actor=user,
            edition=edition,
            data={"units": confirmed},
        )
    return len(confirmed)
