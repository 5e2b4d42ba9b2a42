"""The dashboard and the desk's lists with their urgency clocks, on a bench corpus.

Run as ``python -m bench.inprocess dashboard`` (``bench/run.py`` does, on the
10k corpus and on the large one). A bench corpus is written row by row, not
through going live, so its rollup and clocks are filled here first, once, in
two statements: a ``PublishTiming`` row for every approved translation
version (live at its approval, a time to publish spread over 0–3 hours
against the normal target, the submitter as translator) and a clock on every
translation not live (started when it was opened, due a day later, its
notices already sent). The corpus's datelines run a minute apart back from
its build, so the 30-day window holds the newest 43,200 articles' versions
whatever the corpus's size: what grows with the archive lies outside it.

Figures: the dashboard page and its CSV (ms, queries, rollup rows read), the
backlog count alone, My work (as it opens, and sorted by its clock) and the
review queue (first page, as an editor),
and one clock pass with nothing due; ``*_uses_index`` says whether
PostgreSQL's plan for the rollup's window and the clock pass reads an index.
"""

from .inprocess import _editor, _logged_in, _url, figures, queries_of, timed


def rollup_ensure():
    """Fill the rollup and the clocks of a corpus that has none (see the docstring)."""
    from django.db import connection, transaction

    from reviews.models import PublishTiming

    if PublishTiming.objects.exists():
        return 0
    array = "jsonb_build_array" if connection.vendor == "postgresql" else "json_array"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO reviews_publishtiming
                (edition_id, version_id, language, priority, live_at, seconds,
                 target_seconds, round_trips, translators)
            SELECT e.id, v.id, e.language, e.priority, v.approved_at, (e.id * 7919) % 10800,
                   86400, (e.id % 7) / 3,
                   CASE WHEN v.created_by_id IS NULL THEN {array}()
                        ELSE {array}(v.created_by_id) END
            FROM translations_version v
            JOIN translations_edition e ON e.id = v.edition_id
            JOIN translations_article a ON a.id = e.article_id
            WHERE v.approved_at IS NOT NULL AND e.language <> a.source_language
            """
        )
        written = cursor.rowcount
        cursor.execute(
            f"""
            UPDATE translations_edition SET clock_started_at = created_at,
                due_at = created_at + {_day(connection)}, clock_stage = 2
            WHERE state <> 'approved' AND clock_started_at IS NULL
            """
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reviews_publishtiming")
            cursor.execute("ANALYZE translations_edition")
    return written


def _clock_sort(client, url):
    """The query string of My work sorted by its clock column, as its header links it."""
    import re

    page = client.get(url, follow=True).content.decode()
    found = re.search(r'column-clock_shown.*?href="(\?o=[^"]+)"', page, re.DOTALL)
    return found.group(1).replace("&amp;", "&")


def _day(connection):
    return "interval '1 day'" if connection.vendor == "postgresql" else "0"


def _uses_index(queryset):
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    plan = queryset.explain()
    return int("Index" in plan)


def section_dashboard(reps):
    from datetime import timedelta

    from django.utils import timezone

    from reviews.clocks import clocks_run
    from reviews.dashboard.numbers import backlog, dashboard_numbers
    from reviews.models import PublishTiming
    from translations.models import Edition

    out = {"dashboard_rollup_written": rollup_ensure()}
    client = _logged_in(_editor())
    pages = {
        "dashboard": _url("desk_dashboard:dashboard"),
        "dashboard_csv": _url("desk_dashboard:csv"),
        "my_work": _url("admin:translations_edition_changelist"),
        "review_queue_clocks": _url("admin:reviews_review_changelist"),
    }
    pages["my_work_by_clock"] = pages["my_work"] + _clock_sort(client, pages["my_work"])
    for name, url in pages.items():
        samples = []
        response = timed(samples, reps, lambda url=url: client.get(url))
        assert response.status_code == 200, (name, response.status_code)
        out.update(figures(name, samples))
        _, out[f"{name}_queries"] = queries_of(client, url)
    now = timezone.now()
    samples = []
    timed(samples, reps, lambda: backlog(now=now))
    out.update(figures("dashboard_backlog", samples))
    samples = []
    timed(samples, reps, lambda: clocks_run())
    out.update(figures("clock_pass_idle", samples))
    out["dashboard_rows_read"] = dashboard_numbers().rows_read
    out["dashboard_rollup_rows"] = PublishTiming.objects.count()
    out["dashboard_backlog_editions"] = sum(
        sum(ages.values()) for ages in backlog(now=now).values()
    )
    window = PublishTiming.objects.filter(live_at__gte=now - timedelta(days=30))
    out["dashboard_window_uses_index"] = _uses_index(window.values_list("seconds"))
    out["clock_pass_uses_index"] = _uses_index(Edition.objects.filter(clock_next_at__lte=now))
    return out
