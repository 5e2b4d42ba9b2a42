"""Bar charts drawn as SVG on the server: no script, no inline style (CSP-safe).

Colours come from classes in ``static/reviews/desk.css``. Each chart is an
``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the page puts a
table of the same numbers beside it for screen readers and for reading.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH = 620
LABEL = 230  # width of the labels' column
ROW = 22  # height of one bar's row
BAR = 14


@dataclass
class Bar:
    label: str
    value: float  # in the chart's unit; None: no data
    text: str  # the value as shown at the bar's end
    kind: str = ""  # a class suffix: chart-bar-<kind>
    marker: float | None = None  # a target line across the bar (same unit)


def bar_chart(*, chart_id, title, description, bars, top=None):
    """Horizontal bars, one per ``bars`` row, scaled to ``top`` (or the largest value or marker)."""
    values = [b.value for b in bars if b.value is not None]
    values += [b.marker for b in bars if b.marker is not None]
    top = top or max(values, default=0) or 1
    span = WIDTH - LABEL - 70
    height = ROW * max(1, len(bars)) + 8
    rows = []
    for n, bar in enumerate(bars):
        y = 4 + n * ROW
        width = 0 if bar.value is None else max(1, round(span * min(bar.value, top) / top))
        parts = [
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL - 6,
                y + BAR - 2,
                bar.label,
            ),  # fmt: skip
            format_html(
                '<rect class="chart-bar chart-bar-{}" x="{}" y="{}" width="{}" height="{}"></rect>',
                bar.kind or "plain",
                LABEL,
                y,
                width,
                BAR,
            ),  # fmt: skip
            format_html(
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                LABEL + width + 4,
                y + BAR - 2,
                bar.text,
            ),  # fmt: skip
        ]
        if bar.marker is not None:
            x = LABEL + round(span * min(bar.marker, top) / top)
            parts.append(
                format_html(
                    '<line class="chart-target" x1="{}" x2="{}" y1="{}" y2="{}"></line>',
                    x,
                    x,
                    y - 2,
                    y + BAR + 2,
                )  # fmt: skip
            )
        rows.append(mark_safe("".join(parts)))
    return format_html(
        '<svg class="desk-chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}</svg>',
        id=chart_id, w=WIDTH, h=height, title=title, desc=description,
        rows=format_html_join("", "{}", ((row,) for row in rows)),
    )  # fmt: skip
