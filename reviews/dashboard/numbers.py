"""The dashboard's figures, from the rollup and the backlog, in a fixed number of queries."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Aggregate, Case, Count, F, IntegerField, Q, Sum, Value, When
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


class PercentileDisc(Aggregate):
    """PostgreSQL's ``percentile_disc(share) WITHIN GROUP (ORDER BY expression)``: the
    nearest-rank percentile, as :func:`percentile` computes it."""

    function = "percentile_disc"
    template = "%(function)s(%(share)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = IntegerField()

    def __init__(self, expression, share, **extra):
        super().__init__(expression, share=float(share), **extra)


def dashboard_numbers(*, now=None):
    """Everything the dashboard shows, as of ``now``.

    Each figure is aggregated by the database over the window's rollup rows
    (one query each for the times, the output and the round trips); on
    PostgreSQL the percentiles too, elsewhere they are taken from the timed
    rows' seconds, read for that alone.
    """
    now = now or timezone.now()
    since = {days: now - timedelta(days=days) for days in WINDOWS}
    window = PublishTiming.objects.filter(live_at__gte=since[max(WINDOWS)], live_at__lte=now)
    board = Dashboard(now=now)
    board.timings = _timings(window.filter(seconds__isnull=False), since)
    board.output = _output(since, now)
    buckets = Case(
        *[When(round_trips=b, then=Value(b)) for b in ROUND_TRIP_BUCKETS[:-1]],
        default=Value(ROUND_TRIP_BUCKETS[-1]),
    )
    trips = dict.fromkeys(ROUND_TRIP_BUCKETS, 0)
    total = count = 0
    for row in (
        window.order_by()
        .annotate(bucket=buckets)
        .values("bucket")
        .annotate(versions=Count("pk"), trips=Sum("round_trips"))
    ):
        trips[row["bucket"]] = row["versions"]
        count += row["versions"]
        total += row["trips"] or 0
    board.round_trips = trips
    board.round_trips_mean = total / count if count else None
    board.rows_read = count
    board.backlog = backlog(now=now)
    return board


def _timings(timed, since):
    on_postgres = connection.vendor == "postgresql"
    aggregates = {}
    for days, start in since.items():
        recent = Q(live_at__gte=start)
        aggregates[f"count_{days}"] = Count("pk", filter=recent)
        aggregates[f"on_time_{days}"] = Count(
            "pk", filter=recent & Q(seconds__lte=F("target_seconds"))
        )
        if on_postgres:
            aggregates[f"median_{days}"] = PercentileDisc("seconds", 0.5, filter=recent)
            aggregates[f"p90_{days}"] = PercentileDisc("seconds", 0.9, filter=recent)
    found = {
        (row["language"], row["priority"]): row
        for row in timed.order_by().values("language", "priority").annotate(**aggregates)
    }
    if not on_postgres:
        _percentiles_in_python(timed, since, found)
    timings = []
    for days in WINDOWS:
        for language in language_codes():
            for priority in sorted(Priority.values, reverse=True):
                row = found.get((language, priority), {})
                timings.append(
                    Timing(
                        language=language,
                        priority=priority,
                        window=days,
                        count=row.get(f"count_{days}", 0),
                        median=row.get(f"median_{days}"),
                        p90=row.get(f"p90_{days}"),
                        target=int(publish_target(priority).total_seconds()),
                        on_time=row.get(f"on_time_{days}", 0),
                    )
                )
    return timings


def _percentiles_in_python(timed, since, found):
    values = defaultdict(list)
    rows = timed.order_by("seconds").values_list("language", "priority", "seconds", "live_at")
    for language, priority, seconds, live_at in rows:
        for days, start in since.items():
            if live_at >= start:
                values[days, language, priority].append(seconds)
    for (days, language, priority), seconds in values.items():
        row = found[language, priority]
        row[f"median_{days}"] = percentile(seconds, 0.5)
        row[f"p90_{days}"] = percentile(seconds, 0.9)


def _output(since, now):
    """Versions per translator and window: the rollup's ``translators`` arrays unnested
    and counted by the database."""
    table = PublishTiming._meta.db_table
    if connection.vendor == "postgresql":
        unnest = f"jsonb_array_elements_text({table}.translators) AS person(value)"
    else:
        unnest = f"json_each({table}.translators) AS person"
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {table}.live_at >= %s)" for _days in WINDOWS)
    sql = (
        f"SELECT person.value, {counts} FROM {table}, {unnest} "
        f"WHERE {table}.live_at >= %s AND {table}.live_at <= %s GROUP BY person.value"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [adapt(since[days]) for days in WINDOWS] + [adapt(since[max(WINDOWS)]), adapt(now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [(int(value), numbers) for value, *numbers in cursor.fetchall()]
    people = {pk for pk, _numbers in rows}
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=people)
    } if people else {}  # fmt: skip
    return {
        days: sorted(
            ((names.get(pk, f"#{pk}"), numbers[n]) for pk, numbers in rows if numbers[n]),
            key=lambda item: (-item[1], item[0]),
        )
        for n, days in enumerate(WINDOWS)
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
