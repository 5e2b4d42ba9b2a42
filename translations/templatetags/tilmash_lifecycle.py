"""Template helpers for the stamps of updates and corrections on public pages."""

import datetime

from django import template
from django.utils import timezone, translation
from django.utils.translation import pgettext

from .tilmash_public import MONTHS

register = template.Library()


def _local(value):
    return timezone.localtime(value, timezone.get_default_timezone())


@register.filter
def update_stamp(value, dateline=None):
    """When an update was approved, in the newsroom's time zone: "14:05" on the
    dateline's day, else "5 December 14:05", in the active language."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = _local(value)
    if isinstance(dateline, datetime.datetime) and _local(dateline).date() == local.date():
        return local.strftime("%H:%M")
    return moment(value)


@register.filter
def moment(value):
    """The moment as "5 December 14:05", in the newsroom's time zone and the active language."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = _local(value)
    with translation.override(translation.get_language()):
        return pgettext("day, month and time of a correction", "%(day)s %(month)s %(time)s") % {
            "day": local.day,
            "month": MONTHS[local.month],
            "time": local.strftime("%H:%M"),
        }
