"""``/sitemap.xml``: every approved edition, with hreflang alternates.

``/sitemap.xml`` is an index of the Google News sitemap (``/sitemap-news.xml``,
``translations.news_sitemap``), listed while the newest article is recent
enough to be news, and one sitemap per day of datelines
(``/sitemap-2022-01-07.xml``), newest first, as news sites do: a newsroom
publishes a few hundred articles a day, so a day stays far under the
protocol's 50,000 URLs, ten years stay far under its 50,000 sitemaps, and
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
from .languages import language_tag
from .news_sitemap import NEWS_LOOKBACK


@dataclass(frozen=True)
class SitemapEntry:
    article: selectors.ArticleLive
    language: str
    approved_at: object


def _path(slug, language):
    with translation.override(language):
        return reverse("public:article_detail", kwargs={"slug": slug})


class EditionSitemap(Sitemap):
    """The approved editions of the articles dated on one day (local time)."""

    changefreq = "monthly"

    def __init__(self, day):
        self.since = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        following = day + datetime.timedelta(days=1)
        self.before = timezone.make_aware(datetime.datetime.combine(following, datetime.time()))

    def items(self):
        # Read once per request: Django asks for the items again for lastmod.
        if not hasattr(self, "_entries"):
            self._entries = [
                SitemapEntry(article, edition.language, edition.public_since or edition.approved_at)
                for article in selectors.article_languages_published_list(
                    since=self.since, before=self.before
                )
                for edition in article.editions
            ]
        return self._entries

    def get_latest_lastmod(self):
        # Not worth a query per day in the index; each URL has its own lastmod.
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
                {"lang_code": language_tag(code), "location": prefix + _path(article.slug, code)}
                for code in article.languages
            ] + [
                {
                    "lang_code": "x-default",
                    "location": prefix + _path(article.slug, article.default_language),
                }
            ]
        return urls


class DayInIndex(EditionSitemap):
    """A day as the index lists it: one file, without reading its rows to count
    pages (a day stays far under the 50,000 URLs a file may hold)."""

    @property
    def paginator(self):
        return Paginator([None], 1)


SECTION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _days(oldest, newest):
    """``"YYYY-MM-DD"`` from ``newest``'s day back to ``oldest``'s, in local time."""
    day, last = timezone.localdate(newest), timezone.localdate(oldest)
    while day >= last:
        yield day.isoformat()
        day -= datetime.timedelta(days=1)


def _section_sitemap(section, kind=EditionSitemap):
    if not SECTION.fullmatch(section or ""):
        raise Http404("No such sitemap.")
    try:
        day = datetime.date.fromisoformat(section)
    except ValueError:
        raise Http404("No such sitemap.") from None
    return kind(day)


class NewsInIndex(Sitemap):
    """The Google News sitemap (``translations.news_sitemap``) as the index lists it:
    one file, no lastmod; its URL is the section "news" (``/sitemap-news.xml``)."""

    paginator = Paginator([None], 1)

    def get_latest_lastmod(self):
        return None


def sitemap_index(request):
    """``/sitemap.xml``: the Google News sitemap while there is recent news, then a
    sitemap per day from the newest published article back."""
    oldest, newest = selectors.published_dateline_range()
    sections = {}
    if newest is not None:
        if newest >= timezone.now() - NEWS_LOOKBACK:
            sections["news"] = NewsInIndex()
        sections.update({day: _section_sitemap(day, DayInIndex) for day in _days(oldest, newest)})
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    """``/sitemap-YYYY-MM-DD.xml``: the approved editions of one day's articles."""
    return sitemap_views.sitemap(request, {section: _section_sitemap(section)}, section=section)
