"""The desk dashboard: its numbers on a crafted desk, the page, the CSV, its cost."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reviews.dashboard.numbers import dashboard_numbers, percentile
from reviews.models import PublishTiming
from tests.factories import article_with_paragraphs, editor, publish, translator
from translations.models import Edition, EditionState, Priority, Version
from translations.services import edition_get_or_create

pytestmark = pytest.mark.django_db

NOW = timezone.now()
BREAKING, NORMAL = Priority.BREAKING, Priority.NORMAL


def timings(rows):
    """PublishTiming rows: (language, priority, seconds, days ago, round trips, translators)."""
    for n, (language, priority, seconds, days_ago, trips, people) in enumerate(rows):
        article = article_with_paragraphs(count=1)
        edition = edition_get_or_create(article=article, language=language)
        version = Version.objects.create(edition=edition, number=1, title="t", units=[])
        PublishTiming.objects.create(
            edition=edition, version=version, language=language, priority=priority,
            live_at=NOW - timedelta(days=days_ago, minutes=n), seconds=seconds,
            target_seconds=900 if priority == BREAKING else 86400, round_trips=trips,
            translators=[p.pk for p in people],
        )  # fmt: skip


@pytest.fixture
def crafted():
    alice = translator("alice", first_name="Alice", last_name="A", is_staff=True)
    bob = translator("bob", first_name="Bob", last_name="B", is_staff=True)
    timings([
        # kk breaking, last 7 days: 60 120 180 240 600 1200 (one over the 900 s target)
        ("kk", BREAKING, 60, 1, 0, [alice]),
        ("kk", BREAKING, 120, 1, 0, [alice]),
        ("kk", BREAKING, 180, 2, 1, [alice, bob]),
        ("kk", BREAKING, 240, 3, 0, [bob]),
        ("kk", BREAKING, 600, 4, 2, [alice]),
        ("kk", BREAKING, 1200, 5, 0, [alice]),
        # … and 20 days ago, late
        ("kk", BREAKING, 3000, 20, 4, [bob]),
        # ru normal, within a day, 10 days ago
        ("ru", NORMAL, 3600, 10, 1, [bob]),
        # a correction: no time to publish, but output and round trips
        ("ru", NORMAL, None, 2, 0, [bob]),
        # outside both windows
        ("kk", BREAKING, 5, 40, 3, [alice]),
    ])  # fmt: skip
    return alice, bob


def by(board, window, language, priority):
    (found,) = [
        t
        for t in board.timings
        if (t.window, t.language, t.priority) == (window, language, priority)
    ]
    return found


def test_nearest_rank_percentiles():
    assert percentile([], 0.5) is None
    assert percentile([1, 2, 3, 4], 0.5) == 2
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile(list(range(1, 12)), 0.9) == 10


def test_time_to_publish_median_p90_and_on_time_per_window(crafted):
    board = dashboard_numbers(now=NOW)
    week = by(board, 7, "kk", BREAKING)
    assert (week.count, week.median, week.p90, week.target) == (6, 180, 1200, 900)
    assert week.on_time == 5
    month = by(board, 30, "kk", BREAKING)
    assert (month.count, month.median, month.p90) == (7, 240, 3000)
    assert month.on_time_rate == pytest.approx(5 / 7)
    ru = by(board, 30, "ru", NORMAL)
    assert (ru.count, ru.median, ru.p90, ru.on_time) == (1, 3600, 3600, 1)
    assert by(board, 7, "ru", NORMAL).count == 0  # the correction has no time to publish
    assert board.rows_read == 9


def test_output_per_translator_and_round_trips(crafted):
    board = dashboard_numbers(now=NOW)
    assert board.output[7] == [("Alice A", 5), ("Bob B", 3)]
    assert board.output[30] == [("Alice A", 5), ("Bob B", 5)]
    # round trips of the 9 versions in 30 days: 0 0 1 0 2 0 4 1 0
    assert board.round_trips == {0: 5, 1: 2, 2: 1, 3: 1}
    assert board.round_trips_mean == pytest.approx(8 / 9)


def test_backlog_by_state_and_age():
    made = [
        (EditionState.IN_PROGRESS, timedelta(minutes=10)),
        (EditionState.IN_PROGRESS, timedelta(hours=5)),
        (EditionState.IN_REVIEW, timedelta(days=3)),
        (EditionState.CHANGES_REQUESTED, timedelta(days=30)),
        (EditionState.NOT_STARTED, timedelta(days=30)),
    ]
    for state, age in made:
        edition = edition_get_or_create(article=article_with_paragraphs(count=1), language="kk")
        Edition.objects.filter(pk=edition.pk).update(state=state, created_at=NOW - age)
    publish(article_with_paragraphs(count=1), "kk")  # live: not backlog
    # The articles' source editions were opened now and wait in progress or not started.
    sources = dict.fromkeys(EditionState.values, 0)
    for edition in Edition.objects.filter(language="en"):
        sources[edition.state] += 1
    backlog = dashboard_numbers(now=NOW + timedelta(seconds=1)).backlog
    assert EditionState.APPROVED not in backlog
    assert backlog[EditionState.IN_PROGRESS] == {
        "1h": 1 + sources[EditionState.IN_PROGRESS], "1d": 1, "7d": 0, "older": 0}  # fmt: skip
    assert backlog[EditionState.IN_REVIEW] == {"1h": 0, "1d": 0, "7d": 1, "older": 0}
    assert backlog[EditionState.CHANGES_REQUESTED] == {"1h": 0, "1d": 0, "7d": 0, "older": 1}
    assert backlog[EditionState.NOT_STARTED]["older"] == 1


def test_the_page_shows_charts_with_their_tables(client, crafted):
    client.force_login(editor("erin", is_staff=True))
    response = client.get(reverse("desk_dashboard:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 7  # 2 × time to publish, on time, backlog, 2 × output, trips
    assert '<title id="chart-publish-7-title">' in page
    assert "<caption class=\"visually-hidden\">" in page and "Alice A" in page
    assert "3 min" in page  # the kk breaking median, last 7 days
    assert "style=" not in page.split('<div id="content-main"', 1)[1]  # CSP: no inline style
    assert reverse("desk_dashboard:csv") in page


def test_the_desk_home_links_the_dashboard_for_editors_only(client):
    client.force_login(editor("erin", is_staff=True))
    assert (
        reverse("desk_dashboard:dashboard") in client.get(reverse("admin:index")).content.decode()
    )
    client.force_login(translator("tina", is_staff=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("desk_dashboard:dashboard") not in page


def test_the_csv_holds_the_same_numbers(client, crafted):
    client.force_login(editor("erin", is_staff=True))
    response = client.get(reverse("desk_dashboard:csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "window_days", "language", "priority", "key", "value"]
    assert ["time_to_publish", "7", "kk", "breaking", "median_seconds", "180"] in rows
    assert ["time_to_publish", "30", "kk", "breaking", "p90_seconds", "3000"] in rows
    assert ["time_to_publish", "30", "kk", "breaking", "on_time", "5"] in rows
    assert ["output", "30", "", "", "Bob B", "5"] in rows
    assert ["round_trips", "30", "", "", "3", "1"] in rows


def test_translators_are_refused(client):
    client.force_login(translator("tina", is_staff=True))
    assert client.get(reverse("desk_dashboard:dashboard")).status_code == 403
    assert client.get(reverse("desk_dashboard:csv")).status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboard_costs_the_same_queries_however_much_it_counts(
    client, django_assert_num_queries, size
):
    people = [translator(f"t{n}", is_staff=True) for n in range(3)]
    timings([
        ("kk" if n % 2 else "ru", (BREAKING, NORMAL)[n % 2], 60 * n, n % 20, n % 4,
         people[: 1 + n % 3])
        for n in range(size)
    ])  # fmt: skip
    for _n in range(size):
        edition_get_or_create(article=article_with_paragraphs(count=1), language="kk")
    client.force_login(editor("erin", is_staff=True))
    with django_assert_num_queries(QUERIES + (connection.vendor != "postgresql")):
        assert client.get(reverse("desk_dashboard:dashboard")).status_code == 200


# Session and user (2), the editor's groups and language pairs (2), the
# admin's permissions for its menu (2); times to publish, output per
# translator, their names, round trips and the backlog (5): the same at every
# size. Elsewhere than on PostgreSQL the percentiles take one query more.
QUERIES = 11
