"""The dashboard page (editors only) and its CSV."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from reviews.admin.clock import duration_text
from reviews.workflow import roles_of
from translations.models import EditionState, Priority

from .charts import Bar, bar_chart
from .numbers import AGES, ROUND_TRIP_BUCKETS, WINDOWS, dashboard_numbers

STATES = dict(EditionState.choices)


def _editors_only(request):
    if not roles_of(request.user).is_editor:
        raise PermissionDenied


def _age_labels():
    return {
        "1h": _("under 1 hour"),
        "1d": _("1 to 24 hours"),
        "7d": _("1 to 7 days"),
        "older": _("over 7 days"),
    }


def _trip_label(bucket):
    if bucket == ROUND_TRIP_BUCKETS[-1]:
        return _("%(n)d or more") % {"n": bucket}
    return str(bucket)


def _time(seconds):
    return "–" if seconds is None else duration_text(seconds)


def _rate(timing):
    rate = timing.on_time_rate
    return "–" if rate is None else f"{rate:.0%}"


def _sections(board):
    priority = dict(Priority.choices)
    sections = []
    for days in WINDOWS:
        shown = [t for t in board.timings if t.window == days and t.count]
        bars = []
        for t in shown:
            label = f"{t.language} · {priority[t.priority]}"
            kind = "late" if t.p90 > t.target else "ok"
            bars.append(Bar(label=label + " p90", value=t.p90 / 60, text=_time(t.p90), kind=kind,
                            marker=t.target / 60))  # fmt: skip
            bars.append(Bar(label=label + " " + _("median"), value=t.median / 60,
                            text=_time(t.median), kind="median", marker=t.target / 60))  # fmt: skip
        sections.append({
            "id": f"publish-{days}",
            "title": _("Time to publish, last %(days)d days") % {"days": days},
            "chart": bar_chart(
                chart_id=f"chart-publish-{days}",
                title=_("Time to publish per language and priority, last %(days)d days")
                % {"days": days},
                description=_("Median and 90th percentile in minutes; the line is the target."),
                bars=bars,
            ),
            "headers": [_("language"), _("priority"), _("published"), _("median"),
                        _("90th percentile"), _("target"), _("on time")],
            "rows": [[t.language, priority[t.priority], t.count, _time(t.median), _time(t.p90),
                      _time(t.target), _rate(t)] for t in shown],
        })  # fmt: skip
    rates = [t for t in board.timings if t.window == max(WINDOWS) and t.count]
    sections.append({
        "id": "on-time",
        "title": _("On time, last %(days)d days") % {"days": max(WINDOWS)},
        "chart": bar_chart(
            chart_id="chart-on-time",
            title=_("Share published within the target, per language and priority"),
            description=_("Percent of versions that went live within the target."),
            bars=[Bar(label=f"{t.language} · {priority[t.priority]}", value=100 * t.on_time_rate,
                      text=_rate(t), kind="ok" if t.on_time == t.count else "late")
                  for t in rates],
            top=100,
        ),
        "headers": [_("language"), _("priority"), _("on time"), _("published"), _("rate")],
        "rows": [[t.language, priority[t.priority], t.on_time, t.count, _rate(t)] for t in rates],
    })  # fmt: skip
    ages = _age_labels()
    backlog_bars = [
        Bar(label=f"{STATES[state]} · {ages[age]}", value=n, text=str(n), kind=f"age-{age}")
        for state, counts in board.backlog.items()
        for age, n in counts.items()
    ]
    sections.append({
        "id": "backlog",
        "title": _("Backlog by state and age"),
        "chart": bar_chart(chart_id="chart-backlog", title=_("Editions not live yet"),
                           description=_("By state and time since the edition was opened."),
                           bars=backlog_bars),
        "headers": [_("state"), *[ages[key] for _upper, key in AGES], _("total")],
        "rows": [[STATES[state], *counts.values(), sum(counts.values())]
                 for state, counts in board.backlog.items()],
    })  # fmt: skip
    for days in WINDOWS:
        people = board.output[days]
        sections.append({
            "id": f"output-{days}",
            "title": _("Output per translator, last %(days)d days") % {"days": days},
            "chart": bar_chart(chart_id=f"chart-output-{days}",
                               title=_("Versions published per translator, last %(days)d days")
                               % {"days": days},
                               description=_("Versions that went live with their text."),
                               bars=[Bar(label=name, value=n, text=str(n)) for name, n in people]),
            "headers": [_("translator"), _("versions published")],
            "rows": [[name, n] for name, n in people],
        })  # fmt: skip
    trips = board.round_trips
    mean = board.round_trips_mean
    sections.append({
        "id": "round-trips",
        "title": _("Review round trips per version, last %(days)d days") % {"days": max(WINDOWS)},
        "chart": bar_chart(chart_id="chart-round-trips",
                           title=_("Versions by the number of changes requested before going live"),
                           description=_("Mean: %(mean)s") % {"mean": "–" if mean is None
                                                               else f"{mean:.2f}"},
                           bars=[Bar(label=_trip_label(b), value=n, text=str(n))
                                 for b, n in trips.items()]),
        "headers": [_("changes requested"), _("versions")],
        "rows": [[_trip_label(b), n] for b, n in trips.items()],
        "note": _("Mean: %(mean)s") % {"mean": "–" if mean is None else f"{mean:.2f}"},
    })  # fmt: skip
    return sections


def dashboard(request):
    _editors_only(request)
    board = dashboard_numbers()
    context = {
        **admin.site.each_context(request),
        "title": _("Desk dashboard"),
        "sections": _sections(board),
        "board": board,
    }
    return TemplateResponse(request, "admin/reviews/dashboard.html", context)


def dashboard_csv(request):
    """The dashboard's numbers, one figure a line: section, window, language, priority,
    key, value (times in seconds)."""
    _editors_only(request)
    board = dashboard_numbers()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tilmash-dashboard.csv"'
    out = csv.writer(response)
    out.writerow(["section", "window_days", "language", "priority", "key", "value"])
    for t in board.timings:
        name = Priority(t.priority).name.lower()
        for key, value in (("published", t.count), ("median_seconds", t.median),
                           ("p90_seconds", t.p90), ("target_seconds", t.target),
                           ("on_time", t.on_time)):  # fmt: skip
            out.writerow(["time_to_publish", t.window, t.language, name, key,
                          "" if value is None else value])  # fmt: skip
    for state, counts in board.backlog.items():
        for age, n in counts.items():
            out.writerow(["backlog", "", "", "", f"{state}:{age}", n])
    for days, people in board.output.items():
        for name, n in people:
            out.writerow(["output", days, "", "", name, n])
    for bucket, n in board.round_trips.items():
        out.writerow(["round_trips", max(WINDOWS), "", "", bucket, n])
    return response
