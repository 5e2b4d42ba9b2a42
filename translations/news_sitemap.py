"""``/sitemap-news.xml``: the Google News sitemap, the editions first public in the last two days.

Google News reads articles published in the last two days, at most 1,000 URLs
a file (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
Each entry is one public edition: its URL, the publication (the newsroom's
name, ``TILMASH_PUBLISHER_NAME``, and the edition's language), when it first
became public (its first approval, or its embargo's end if later: the same
``datePublished`` as the page's structured data) and its live title.
``/sitemap.xml``'s index lists it first, so crawlers that read the index find
it; it can also be submitted on its own.

One query, whatever the archive: the articles dated in the last
:data:`NEWS_LOOKBACK` (along the article index), narrowed to the editions
whose live version or embargo's end is recent before their first approval is
read. An edition first public more than a week after its article's dateline
is left out (it stays in the day's sitemap); a newsroom's news is not that late.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .models import Edition
from .selectors import published_filter
from .structured import iso

# What the protocol allows: two days of news, 1,000 URLs a file.
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_MAX_URLS = 1000
# How far back a dateline may be for its editions to count as news.
NEWS_LOOKBACK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class NewsEntry:
    language: str
    slug: str
    title: str
    published_at: object

    @property
    def publication_language(self):
        # Google News takes ISO 639 codes: "kk-latn" is Kazakh ("kk").
        return self.language.split("-")[0]


def editions_news_list(*, now=None, limit=NEWS_MAX_URLS):
    """The public editions first public in the last two days, newest first (one query).

    The first approval is the smallest approval time among the edition's versions
    (an aggregate over the join, computed once per edition; a correlated subquery
    would be written out again at each place the expression is used).
    """
    now = timezone.now() if now is None else now
    since = now - NEWS_WINDOW
    first = "first_approved_at"
    rows = (
        Edition.objects.filter(published_filter(now), article__dateline__gte=now - NEWS_LOOKBACK)
        # Public since ``since`` at the latest: the live version or an embargo's end is
        # recent (a first approval is never later than the live version's).
        .filter(
            Q(live_version__approved_at__gte=since)
            | Q(embargo_until__gte=since)
            | Q(article__embargo_until__gte=since)
        )
        .values_list(
            "id",
            "language",
            "article__slug",
            "live_version__title",
            "embargo_until",
            "article__embargo_until",
        )
        .annotate(first_approved_at=Min("versions__approved_at"))
        .annotate(
            published_at=Greatest(
                first,
                Coalesce("embargo_until", first),
                Coalesce("article__embargo_until", first),
            )
        )
        .filter(published_at__gte=since)
        .order_by("-published_at", "-id")
    )
    return [
        NewsEntry(language, slug, title, published_at)
        for _id, language, slug, title, _e, _ae, _first, published_at in rows[:limit]
    ]


def _location(request, entry):
    with translation.override(entry.language):
        path = reverse("public:article_detail", kwargs={"slug": entry.slug})
    return request.build_absolute_uri(path)


@require_safe
def news_sitemap(request):
    """``/sitemap-news.xml``: the Google News sitemap (see the module's docstring)."""
    entries = [
        {
            "location": _location(request, entry),
            "language": entry.publication_language,
            "published": iso(entry.published_at),
            "title": entry.title,
        }
        for entry in editions_news_list()
    ]
    context = {"entries": entries, "publication": settings.TILMASH_PUBLISHER_NAME}
    response = render(request, "sitemaps/news.xml", context, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    patch_cache_control(response, public=True, no_cache=True)
    return response
