"""The desk's side of the urgency clocks: notices at half and full time, and the rollup.

``clocks_run`` is the clock pass. The task worker runs it every minute
(``manage.py db_worker``, beside its recovery of lost tasks) and
``manage.py desk_clocks`` runs it once (for cron, or a desk without a
worker). It walks only the editions whose next notice fell due
(``edition_clock_next``), and takes each notice by moving the edition's
``clock_stage`` on with a conditional ``UPDATE``: of two passes at the same
time, one sends it, so each notice goes out once. A notice is a mail (a task,
enqueued in the same transaction) to the assigned translators and the
language's editors, and a ``DeskNotice`` each shown on their desk's home page.
A pass that comes after full time without having sent the half-time notice
sends only the full-time one.

``version_published`` (connected in ``reviews.apps``) starts the clocks when
a source goes live, stops one when a translation goes live, and writes the
``PublishTiming`` row the dashboard reads, in the approving transaction.
"""

import logging

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from translations import clocks
from translations.models import Edition, Version

from . import notifications
from .models import Assignment, DeskNotice, PublishTiming, Review, ReviewState

logger = logging.getLogger(__name__)

PASS_BATCH = 500  # notices taken per pass at most; the next pass takes the rest


def clocks_run(*, now=None, batch=PASS_BATCH):
    """Send the clock notices that fell due by ``now``; return how many editions had one."""
    now = now or timezone.now()
    due = list(
        Edition.objects.filter(clock_next_at__lte=now)
        .select_related("article")
        .order_by("clock_next_at")[:batch]
    )
    sent = 0
    for edition in due:
        with transaction.atomic():
            if _notice_take(edition, now):
                _notice_send(edition)
                sent += 1
    return sent


def _notice_take(edition, now):
    """Claim the edition's next notice (half or full time); ``False`` if another pass did."""
    stage = clocks.FULL if edition.due_at <= now else clocks.HALF
    following = edition.due_at if stage == clocks.HALF else None
    taken = Edition.objects.filter(
        pk=edition.pk, clock_stage=edition.clock_stage, clock_next_at=edition.clock_next_at,
        clock_stopped_at__isnull=True,
    ).update(clock_stage=stage, clock_next_at=following)  # fmt: skip
    edition.clock_stage, edition.clock_next_at = stage, following
    return bool(taken)


def _notice_send(edition):
    kind = DeskNotice.Kind.DUE if edition.clock_stage == clocks.FULL else DeskNotice.Kind.HALF
    users = {a.user for a in Assignment.objects.filter(edition=edition).select_related("user")}
    users |= set(notifications._editors_for(edition.language))
    users = sorted((u for u in users if u.is_active), key=lambda u: u.pk)
    DeskNotice.objects.bulk_create(
        [DeskNotice(user=user, edition=edition, kind=kind) for user in users],
        ignore_conflicts=True,
    )
    label = notifications.edition_label(edition)

    def compose():  # once per recipient language, that language active
        due = formats.date_format(timezone.localtime(edition.due_at), "DATETIME_FORMAT")
        if kind == DeskNotice.Kind.DUE:
            subject = _("Overdue: %(edition)s") % {"edition": label}
            body = _("%(edition)s was due live at %(due)s and is not live yet.")
        else:
            subject = _("Half the time gone: %(edition)s") % {"edition": label}
            body = _("%(edition)s is due live at %(due)s; half its time is gone.")
        body = body % {"edition": label, "due": due}
        return subject, body + "\n\n" + notifications.editor_link(edition)

    notifications.notify_each(users, compose)


def desk_notices(user, limit=10):
    """``user``'s latest clock notices about editions not live yet, newest first."""
    return list(
        DeskNotice.objects.filter(user=user, edition__clock_stopped_at__isnull=True)
        .select_related("edition__article")
        .order_by("-created_at", "-pk")[:limit]
    )


def version_published(sender, *, version, user=None, **kwargs):
    """Start, stop and record clocks as ``version`` goes live (in its transaction)."""
    edition = Edition.objects.select_related("article").get(pk=version.edition_id)
    article = edition.article
    live_at = version.approved_at or timezone.now()
    if edition.language == article.source_language:
        clocks.clocks_start(article=article, now=live_at)
        return
    seconds = clocks.clock_stop(edition=edition, at=live_at)
    # A version made live again (already approved) keeps its first row.
    PublishTiming.objects.get_or_create(
        version=version,
        defaults={
            "edition": edition,
            "language": edition.language,
            "priority": edition.priority,
            "live_at": live_at,
            "seconds": seconds,
            "target_seconds": int(clocks.publish_target(edition.priority).total_seconds()),
            "round_trips": _round_trips(version),
            "translators": sorted({u["author"] for u in version.units if u.get("author")}),
        },
    )


def _round_trips(version):
    """Changes requested on the edition's versions since its previous live version."""
    previous = (
        Version.objects.filter(
            edition_id=version.edition_id, approved_at__isnull=False, number__lt=version.number
        ).aggregate(top=Max("number"))["top"]
        or 0
    )
    return Review.objects.filter(
        edition_id=version.edition_id,
        state=ReviewState.CHANGES_REQUESTED,
        version__number__gt=previous,
        version__number__lt=version.number,
    ).count()
