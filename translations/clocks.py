"""Urgency clocks: how long each language has, from the source's approval to going live.

Each priority has a target (``TILMASH_PUBLISH_TARGETS``: breaking 15 minutes,
urgent an hour, normal a day by default). A translation's clock starts when
its article's source edition first goes live, or when the translation is
opened after that; it stops when the translation first goes live. What a
clock needs is kept on the edition (``clock_started_at``, ``due_at``), so a
list shows it from the row it reads anyway, and ``clock_next_at`` says when
the next notice (half time, then full time) falls due, along a partial index
(``edition_clock_next``) that the clock pass (``reviews.clocks``) walks.

A later correction of the source restarts nothing: the clock measures the
story reaching each language once.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Edition, EditionState, Priority

HALF, FULL = 1, 2  # ``Edition.clock_stage``: the last notice sent


def publish_target(priority):
    """The target time to go live for ``priority`` (a ``timedelta``)."""
    value = settings.TILMASH_PUBLISH_TARGETS[Priority(priority).name.lower()]
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def clock_fields(*, priority, started_at, stage=0):
    """``due_at`` and ``clock_next_at`` of a clock started at ``started_at``."""
    target = publish_target(priority)
    due = started_at + target
    if stage >= FULL:
        following = None
    elif stage == HALF:
        following = due
    else:
        following = started_at + target / 2
    return {"due_at": due, "clock_next_at": following}


def clocks_start(*, article, now=None):
    """The source of ``article`` went live: start the clocks of its other editions
    that have none and are not live yet (one statement per priority)."""
    now = now or timezone.now()
    waiting = (
        Edition.objects.filter(article=article, clock_started_at__isnull=True)
        .exclude(language=article.source_language)
        .exclude(state=EditionState.APPROVED)
    )
    for priority in Priority.values:
        waiting.filter(priority=priority).update(
            clock_started_at=now, clock_stage=0, **clock_fields(priority=priority, started_at=now)
        )


def clock_open(*, edition, now=None):
    """A translation opened after its source went live starts its clock now."""
    article = edition.article
    if edition.language == article.source_language or edition.clock_started_at:
        return
    source_live = Edition.objects.filter(
        article=article, language=article.source_language, live_version__isnull=False
    ).exists()
    if source_live:
        now = now or timezone.now()
        fields = clock_fields(priority=edition.priority, started_at=now)
        fields["clock_started_at"] = now
        Edition.objects.filter(pk=edition.pk).update(**fields)
        for name, value in fields.items():
            setattr(edition, name, value)


def clock_stop(*, edition, at):
    """``edition`` went live at ``at``: its clock stops (first time only). Returns
    the seconds it took, or ``None`` when it had no running clock."""
    if not edition.clock_started_at or edition.clock_stopped_at:
        return None
    Edition.objects.filter(pk=edition.pk).update(clock_stopped_at=at, clock_next_at=None)
    edition.clock_stopped_at, edition.clock_next_at = at, None
    return max(0, int((at - edition.clock_started_at).total_seconds()))


def clock_reprioritise(*, edition):
    """The priority changed: a running clock keeps its start and takes the new target."""
    if not edition.clock_started_at or edition.clock_stopped_at:
        return
    fields = clock_fields(
        priority=edition.priority, started_at=edition.clock_started_at, stage=edition.clock_stage
    )
    Edition.objects.filter(pk=edition.pk).update(**fields)
    for name, value in fields.items():
        setattr(edition, name, value)


@dataclass(frozen=True)
class Clock:
    """What a list shows of an edition's clock."""

    seconds: int  # left (running), or taken (stopped)
    overdue: bool
    stopped: bool

    @property
    def minutes(self):
        return abs(self.seconds) // 60


def clock_of(edition, now=None):
    """The clock of ``edition`` as of ``now``, from its own row; ``None`` without one."""
    if not edition.clock_started_at or not edition.due_at:
        return None
    if edition.clock_stopped_at:
        taken = int((edition.clock_stopped_at - edition.clock_started_at).total_seconds())
        return Clock(seconds=taken, overdue=edition.clock_stopped_at > edition.due_at, stopped=True)
    left = int((edition.due_at - (now or timezone.now())).total_seconds())
    return Clock(seconds=left, overdue=left < 0, stopped=False)
