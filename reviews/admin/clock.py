"""How the desk's lists and the edition page show an urgency clock (``translations.clocks``)."""

from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from translations.clocks import clock_of


def duration_text(seconds):
    """``seconds`` as people say it: "12 min", "3 h 05 min", "2 d 4 h"."""
    minutes = abs(int(seconds)) // 60
    if minutes < 60:
        return ngettext("%(n)d min", "%(n)d min", minutes) % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return gettext("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return gettext("%(d)d d %(h)d h") % {"d": days, "h": hours}


def clock_html(edition, now=None):
    """The clock as a short marked-up phrase, or "–" for an edition without one."""
    clock = clock_of(edition, now)
    if clock is None:
        return "–"
    took = duration_text(clock.seconds)
    if clock.stopped:
        if clock.overdue:
            return format_html(
                '<span class="desk-clock desk-clock-late">{}</span>',
                gettext("live in %(time)s, late") % {"time": took},
            )
        return format_html(
            '<span class="desk-clock desk-clock-done">{}</span>',
            gettext("live in %(time)s") % {"time": took},
        )
    if clock.overdue:
        return format_html(
            '<strong class="desk-clock desk-clock-overdue">{}</strong>',
            gettext("%(time)s overdue") % {"time": took},
        )
    return format_html(
        '<span class="desk-clock">{}</span>', gettext("%(time)s left") % {"time": took}
    )
