"""A source's run, the pass that queues due sources, and "run now".

Each item goes through the article importer on its own transaction: the
first time its GUID is seen it becomes an article (a draft of the source
language, as ``import_article`` without ``--publish`` makes one); a newer
version of it (a higher version number, else a later updated time) is
imported into that article as a source update, with the importer's re-import
rules (paragraph keys kept, the translations of changed paragraphs
outdated). An item the importer refuses is recorded as failed, with the
reason, and the run goes on; the same version is not tried again.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from translations.importing import ArticleImportError, article_import

from .fetching import FetchError, NotModified, documents_fetch
from .formats import FormatError, ItemProblem, items_read
from .models import FeedItem, FeedSource, ItemStatus, RunStatus

logger = logging.getLogger(__name__)

UNCHANGED = "unchanged"
# Problems listed in a source's report after a run.
MAX_PROBLEMS = 20


@dataclass
class RunReport:
    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    status: str = RunStatus.OK

    def summary(self):
        counts = self.counts
        return _(
            "%(imported)d new, %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed."
        ) % {
            "imported": counts[ItemStatus.IMPORTED],
            "updated": counts[ItemStatus.UPDATED],
            "unchanged": counts[UNCHANGED],
            "failed": counts[ItemStatus.FAILED],
        }


def feed_source_run(*, source):
    """Fetch ``source`` and import its items; record the run on the source."""
    report = RunReport()
    try:
        documents, validators = documents_fetch(source)
    except NotModified:
        report.problems.append(_("Not modified since the last run."))
        return _finish(source, report)
    except FetchError as error:
        report.status = RunStatus.FAILED
        report.problems.append(str(error))
        return _finish(source, report)
    for name, data in documents:
        if data is None:
            _problem(report, name, _("larger than the size limit: not read."))
            continue
        try:
            items = items_read(data, source.format)
        except FormatError as error:
            _problem(report, name, str(error))
            continue
        for item in items:
            if isinstance(item, ItemProblem):
                if item.guid:
                    _failure_record(source, item.guid, "", None, item.problem)
                _problem(report, item.guid or name, item.problem)
                continue
            try:
                outcome, problem = item_import(source=source, item=item)
            except Exception as error:  # one item's surprise must not stop the rest
                logger.exception("agency source %s: item %s failed", source.pk, item.guid)
                outcome, problem = (
                    ItemStatus.FAILED,
                    _("Unexpected error: %(error)s") % {"error": type(error).__name__},
                )
            report.counts[outcome] += 1
            if problem:
                _problem(report, item.guid, problem, counted=True)
    if report.counts[ItemStatus.FAILED]:
        worked = sum(
            report.counts[kind] for kind in (ItemStatus.IMPORTED, ItemStatus.UPDATED, UNCHANGED)
        )
        report.status = RunStatus.PARTIAL if worked else RunStatus.FAILED
    return _finish(source, report, validators)


def item_import(*, source, item):
    """Import one item by its GUID: ``(outcome, problem)``; the outcome is an
    :class:`ItemStatus` or ``"unchanged"``, the problem the importer's refusal."""
    key = item.version_key()
    try:
        with transaction.atomic():
            row = (
                FeedItem.objects.select_for_update(of=("self",))
                .select_related("article")
                .filter(source=source, guid=item.guid)
                .first()
            )
            if row is not None and not _is_newer(row, item):
                FeedItem.objects.filter(pk=row.pk).update(last_seen_at=timezone.now())
                return UNCHANGED, ""
            article = row.article if row is not None else None
            try:
                report = article_import(
                    data=item.as_text(source.language),
                    language=source.language,
                    article_slug=article.slug if article else None,
                )
            except ArticleImportError as error:
                _failure_record(source, item.guid, key, item.updated, str(error), row=row)
                return ItemStatus.FAILED, str(error)
            status = ItemStatus.UPDATED if article else ItemStatus.IMPORTED
            values = {
                "article_id": _article_id(report.slug),
                "version": key,
                "updated": item.updated,
                "status": status,
                "error": "",
            }
            if row is None:
                FeedItem.objects.create(source=source, guid=item.guid, **values)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.save()
            return status, ""
    except IntegrityError:
        # Another run took this GUID at the same moment: it is that run's item.
        return UNCHANGED, ""


def _article_id(slug):
    from translations.models import Article

    return Article.objects.only("id").get(slug=slug).pk


def _is_newer(row, item):
    key = item.version_key()
    if not key or key == row.version:
        return False
    if item.version and row.version.isdigit() and item.version.isdigit():
        return int(item.version) > int(row.version)
    if item.updated and row.updated:
        return item.updated > row.updated
    return True


def _failure_record(source, guid, key, updated, problem, row=None):
    values = {"version": key, "updated": updated, "status": ItemStatus.FAILED, "error": problem}
    if row is None:
        FeedItem.objects.update_or_create(source=source, guid=guid, defaults=values)
        return
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


def _problem(report, where, problem, counted=False):
    if not counted:
        report.counts[ItemStatus.FAILED] += 1
    if len(report.problems) < MAX_PROBLEMS:
        report.problems.append(f"{str(where)[:120]}: {problem}")


def _finish(source, report, validators=None):
    now = timezone.now()
    message = "\n".join([report.summary(), *report.problems])
    FeedSource.objects.filter(pk=source.pk).update(
        last_run_at=now, last_status=report.status, last_message=message, **(validators or {})
    )
    if report.status != RunStatus.OK:
        logger.warning("agency source %s: %s", source.pk, message)
    return report


# --- Scheduling -----------------------------------------------------------------------


def feeds_due_enqueue(*, now=None):
    """Queue a run of every active source that is due, and move its next run on.

    Rows are claimed with ``SKIP LOCKED`` where the database has it, so two
    workers' passes never queue one source twice. Returns how many were queued.
    """
    from .tasks import feed_source_run_task

    now = now or timezone.now()
    with transaction.atomic():
        due = (
            FeedSource.objects.select_for_update(skip_locked=True)
            .filter(active=True)
            .exclude(next_run_at__gt=now)
            .order_by("next_run_at", "id")
        )
        queued = 0
        for source in due:
            source.next_run_at = now + datetime.timedelta(minutes=source.interval)
            source.save(update_fields=["next_run_at"])
            feed_source_run_task.enqueue(source_id=source.pk)
            queued += 1
    return queued


def feed_source_run_now(*, source, user):
    """Queue a run of ``source`` at once (an editor's "Run now")."""
    from .tasks import feed_source_run_task

    if not (user and user.is_active and user.has_perm("agency.change_feedsource")):
        raise PermissionDenied(_("Only editors may run a feed source."))
    with transaction.atomic():
        feed_source_run_task.enqueue(source_id=source.pk)
