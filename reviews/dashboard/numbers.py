"""The dashboard's figures, from the rollup and the backlog, in a fixed number of queries."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from reviews.models import PublishTiming
from translations.clocks import publish_target
from translations.languages import language_codes
from translations.models import Edition, EditionState, Priority

WINDOWS = (7, 30)  # days
# Backlog ages: (upper bound, key); the last has none.
AGES = (
    (timedelta(hours=1), "1h"),
    (timedelta(days=1), "1d"),
    (timedelta(days=7), "7d"),
    (None, "older"),
)
ROUND_TRIP_BUCKETS = (0, 1, 2, 3)  # 3 stands for "3 or more"


def percentile(values, share):
    """The nearest-rank percentile of sorted ``values`` (``share`` 0.5: the median)."""
    if not values:
        return None
    return values[max(0, math.ceil(share * len(values)) - 1)]


@dataclass
class Timing:
    language: str
    priority: int
    window: int  # days
    count: int  # versions that went live with a running clock
    median: int | None  # seconds
    p90: int | None
    target: int
    on_time: int  # of ``count``

    @property
    def on_time_rate(self):
        return None if not self.count else self.on_time / self.count


@dataclass
class Dashboard:
    now: object
    timings: list = field(default_factory=list)  # Timing per window × language × priority
    backlog: dict = field(default_factory=dict)  # state -> {age key: count}
    output: dict = field(default_factory=dict)  # window -> [(name, versions)], most first
    round_trips: dict = field(default_factory=dict)  # bucket -> versions (30 days)
    round_trips_mean: float | None = None
    rows_read: int = 0  # rollup rows in the 30-day window


def dashboard_numbers(*, now=None):
    """Everything the dashboard shows, as of ``now``."""
    now = now or timezone.now()
    since = {days: now - timedelta(days=days) for days in WINDOWS}
    rows = list(
        PublishTiming.objects.filter(live_at__gte=since[max(WINDOWS)], live_at__lte=now)
        .order_by()
        .values_list(
            "language",
            "priority",
            "seconds",
            "target_seconds",
            "live_at",
            "round_trips",
            "translators",
        )  # fmt: skip
    )
    board = Dashboard(now=now, rows_read=len(rows))
    board.timings = _timings(rows, since)
    board.output = _output(rows, since)
    trips = [row[5] for row in rows]
    board.round_trips = dict.fromkeys(ROUND_TRIP_BUCKETS, 0)
    for value in trips:
        board.round_trips[min(value, ROUND_TRIP_BUCKETS[-1])] += 1
    board.round_trips_mean = sum(trips) / len(trips) if trips else None
    board.backlog = backlog(now=now)
    return board


def _timings(rows, since):
    found = defaultdict(list)
    for language, priority, seconds, target, live_at, *_rest in rows:
        if seconds is None:
            continue
        for days, start in since.items():
            if live_at >= start:
                found[days, language, priority].append((seconds, target))
    timings = []
    for days in WINDOWS:
        for language in language_codes():
            for priority in sorted(Priority.values, reverse=True):
                pairs = found.get((days, language, priority), [])
                seconds = sorted(s for s, _t in pairs)
                timings.append(
                    Timing(
                        language=language,
                        priority=priority,
                        window=days,
                        count=len(seconds),
                        median=percentile(seconds, 0.5),
                        p90=percentile(seconds, 0.9),
                        target=int(publish_target(priority).total_seconds()),
                        on_time=sum(1 for s, t in pairs if s <= t),
                    )
                )
    return timings


def _output(rows, since):
    counts = {days: Counter() for days in WINDOWS}
    for *_head, live_at, _trips, translators in rows:
        for days, start in since.items():
            if live_at >= start:
                counts[days].update(translators or [])
    people = set().union(*counts.values())
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=people)
    } if people else {}  # fmt: skip
    return {
        days: sorted(
            ((names.get(pk, f"#{pk}"), n) for pk, n in counted.items()),
            key=lambda item: (-item[1], item[0]),
        )
        for days, counted in counts.items()
    }


def backlog(*, now):
    """Editions not live yet (translations and sources alike), by state and age since
    they were opened, in one query over the editions still being worked on."""
    counts = {}
    lower = None
    for upper, key in AGES:
        condition = Q()
        if upper is not None:
            condition &= Q(created_at__gt=now - upper)
        if lower is not None:
            condition &= Q(created_at__lte=now - lower)
        counts[key] = Count("pk", filter=condition)
        lower = upper
    open_states = [state for state in EditionState.values if state != EditionState.APPROVED]
    # ``exclude``, as the partial index ``edition_working_order`` says it: it
    # holds state and created_at, so the count reads that index only.
    found = {
        row.pop("state"): row
        for row in Edition.objects.exclude(state=EditionState.APPROVED)
        .order_by()
        .values("state")
        .annotate(**counts)
    }
    empty = dict.fromkeys((key for _upper, key in AGES), 0)
    return {state: found.get(state, empty) for state in open_states}
