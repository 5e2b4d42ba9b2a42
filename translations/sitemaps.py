"""``/sitemap.xml``: every approved edition, with hreflang alternates.

``/sitemap.xml`` is an index of one sitemap per month of datelines
(``/sitemap-2022-01.xml``), newest first: a newsroom publishes a few hundred
articles a day, so a month stays far under the protocol's 50,000 URLs, and
each file is one walk along the article index however large the archive.

Django's own i18n sitemap would list each article in every configured
language and build ``x-default`` by dropping the language prefix, which on
this site (every URL carries one) is a redirect that may end in a 404. So
each entry here is one approved edition, and its alternates are the
article's other approved editions plus ``x-default``: the source-language
edition when approved, else the first approved one.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from . import selectors


@dataclass(frozen=True)
class SitemapEntry:
    article: selectors.ArticleLive
    language: str
    approved_at: object


def _path(slug, language):
    with translation.override(language):
        return reverse("public:article_detail", kwargs={"slug": slug})


class EditionSitemap(Sitemap):
    """The approved editions of the articles dated in one month (local time)."""

    changefreq = "monthly"

    def __init__(self, year, month):
        self.since = timezone.make_aware(datetime.datetime(year, month, 1))
        following = datetime.datetime(year + month // 12, month % 12 + 1, 1)
        self.before = timezone.make_aware(following)

    def items(self):
        # Read once per request: Django asks for the items again for lastmod.
        if not hasattr(self, "_entries"):
            self._entries = [
                SitemapEntry(article, edition.language, edition.approved_at)
                for article in selectors.article_languages_published_list(
                    since=self.since, before=self.before
                )
                for edition in article.editions
            ]
        return self._entries

    def get_latest_lastmod(self):
        # Not worth a query per month in the index; each URL has its own lastmod.
        return None

    def location(self, entry):
        return _path(entry.article.slug, entry.language)

    def lastmod(self, entry):
        return entry.approved_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        prefix = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            article = url["item"].article
            url["alternates"] = [
                {"lang_code": code, "location": prefix + _path(article.slug, code)}
                for code in article.languages
            ] + [
                {
                    "lang_code": "x-default",
                    "location": prefix + _path(article.slug, article.default_language),
                }
            ]
        return urls


class MonthInIndex(EditionSitemap):
    """A month as the index lists it: one file, without reading its rows to count
    pages (a month stays far under the 50,000 URLs a file may hold)."""

    @property
    def paginator(self):
        return Paginator([None], 1)


SECTION = re.compile(r"([0-9]{4})-([0-9]{2})")


def _months(oldest, newest):
    """``"YYYY-MM"`` from ``newest``'s month back to ``oldest``'s, in local time."""
    oldest, newest = timezone.localtime(oldest), timezone.localtime(newest)
    year, month = newest.year, newest.month
    while (year, month) >= (oldest.year, oldest.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


def _section_sitemap(section, kind=EditionSitemap):
    match = SECTION.fullmatch(section or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise Http404("No such sitemap.")
    return kind(int(match[1]), int(match[2]))


def sitemap_index(request):
    """``/sitemap.xml``: the months that have published articles, newest first."""
    oldest, newest = selectors.published_dateline_range()
    months = (
        {}
        if newest is None
        else {month: _section_sitemap(month, MonthInIndex) for month in _months(oldest, newest)}
    )
    return sitemap_views.index(request, months, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    """``/sitemap-YYYY-MM.xml``: the approved editions of one month's articles."""
    return sitemap_views.sitemap(request, {section: _section_sitemap(section)}, section=section)
