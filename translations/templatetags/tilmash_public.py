"""Template helpers of the public pages: datelines and language links."""

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from ..languages import language_codes, language_name, language_tag

register = template.Library()

# Month names as they stand in a dateline ("7 января 2022"). Django's own
# formats do not fit: its Russian DATETIME_FORMAT adds "г." and drops the
# comma, it has no Kazakh formats at all (so kk falls back to "Қаң. 7, 2022,
# 3:23 Т.Қ."), and its Kazakh month names are capitalised. Keeping the names
# and the pattern in our catalogues makes a new language a catalogue entry.
MONTHS = {
    1: pgettext_lazy("month in a dateline", "January"),
    2: pgettext_lazy("month in a dateline", "February"),
    3: pgettext_lazy("month in a dateline", "March"),
    4: pgettext_lazy("month in a dateline", "April"),
    5: pgettext_lazy("month in a dateline", "May"),
    6: pgettext_lazy("month in a dateline", "June"),
    7: pgettext_lazy("month in a dateline", "July"),
    8: pgettext_lazy("month in a dateline", "August"),
    9: pgettext_lazy("month in a dateline", "September"),
    10: pgettext_lazy("month in a dateline", "October"),
    11: pgettext_lazy("month in a dateline", "November"),
    12: pgettext_lazy("month in a dateline", "December"),
}


def dateline_format(value, language=None):
    """``value`` in the newsroom's time zone, as "7 January 2022, 15:23" in ``language``."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = timezone.localtime(value, timezone.get_default_timezone())
    with translation.override(language or translation.get_language()):
        return pgettext("dateline", "%(day)s %(month)s %(year)s, %(time)s") % {
            "day": local.day,
            "month": MONTHS[local.month],
            "year": local.year,
            "time": local.strftime("%H:%M"),
        }


@register.filter
def dateline(value, language=None):
    return dateline_format(value, language)


@register.filter(name="language_tag")
def language_tag_filter(code):
    """A language code as a BCP 47 tag for ``lang`` and ``hreflang``: "kk-latn" → "kk-Latn"."""
    return language_tag(code) if code else ""


@register.filter
def iso_local(value):
    """The machine-readable ``datetime`` attribute of a ``<time>``."""
    if not isinstance(value, datetime.datetime):
        return ""
    return timezone.localtime(value, timezone.get_default_timezone()).isoformat()


def language_autonym(code):
    """A language's name in that language ("Қазақша", "Русский", "English")."""
    with translation.override(code):
        return str(language_name(code))


@register.simple_tag
def language_home_links():
    """Links to every language's front page, for pages that exist in all of them."""
    current = translation.get_language()
    links = []
    for code in language_codes():
        with translation.override(code):
            url = reverse("public:article_list")
        links.append(
            {
                "language": code,
                "name": language_autonym(code),
                "url": url,
                "current": code == current,
            }
        )
    return links
