"""Building pre-built pages: every page of one article, rendered by the view's own code."""

import dataclasses
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import quote_etag

from .. import selectors
from ..models import Article, Edition, PublicPage, PublicPageGeneration
from .store import _memory, _origin, build_tag, enabled, inputs_fingerprint, micros, page_key

logger = logging.getLogger(__name__)

# Future embargo ends built ahead per article; a page past the last one is
# rendered on request and its article rebuilt then.
MAX_EPOCHS = 4


class _SiteRequest(HttpRequest):
    """A GET on the canonical origin, to render a page outside any request."""

    def __init__(self, site_url):
        super().__init__()
        self.method = "GET"
        self._site_scheme, self._site_host = _origin(site_url)
        self.META = {"REQUEST_METHOD": "GET", "HTTP_HOST": self._site_host}

    def _get_scheme(self):
        return self._site_scheme

    def get_host(self):
        return self._site_host


def _generation_token():
    return secrets.randbits(62)


def _generation_read(article_id):
    found = (
        PublicPageGeneration.objects.filter(article_id=article_id)
        .values_list("generation", flat=True)
        .first()
    )
    if found is None:
        PublicPageGeneration.objects.bulk_create(
            [PublicPageGeneration(article_id=article_id, generation=_generation_token())],
            ignore_conflicts=True,
        )
        found = (
            PublicPageGeneration.objects.filter(article_id=article_id)
            .values_list("generation", flat=True)
            .get()
        )
    return found


def article_pages_build(*, article_id):
    """Build and store every public page of the article ``article_id`` for now and for
    each coming end of its embargoes; its other rows are deleted. Returns the rows.

    The generation is read before anything the pages show: a change that
    commits meanwhile replaces it, so these rows are never served and the
    next request rebuilds them.
    """
    if not enabled():
        return []
    now = timezone.now()
    with transaction.atomic():
        slug = Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()
        if slug is None:
            return []
        generation = _generation_read(article_id)
        PublicPage.objects.filter(article_id=article_id).delete()
        rows, moment, start = [], now, 0
        for _ in range(MAX_EPOCHS):
            live = selectors.article_live_get(slug=slug, now=moment)
            if live is None:
                break
            live = dataclasses.replace(live, as_of=moment)
            until = live.next_change_at
            common = {
                "article_id": article_id,
                "public_from": start,
                "visible_until": micros(until) if until is not None else None,
                "generation": generation,
                "build_tag": build_tag(),
                "verified_at": micros(now),
            }
            rows += _pages_render(live, common)
            if until is None:
                break
            moment, start = until, micros(until)
        PublicPage.objects.bulk_create(rows)
    _memory.forget()
    return rows


def _pages_render(live, common):
    from .. import views

    request = _SiteRequest(settings.TILMASH_SITE_URL)
    rows = []
    for language in live.languages:
        with translation.override(language):
            request.path = request.path_info = reverse(
                "public:article_detail", kwargs={"slug": live.slug}
            )
            html = views._detail_render(request, live, language)[1]
        body = html.encode()
        rows.append(
            PublicPage(
                page_key=page_key(language, live.slug),
                language=language,
                status=200,
                body=body,
                etag=quote_etag(hashlib.sha256(body).hexdigest()[:40]),
                last_modified=int(live.last_public_change_at.timestamp()),
                fingerprint=inputs_fingerprint(live, language),
                **common,
            )
        )
    for language in live.withdrawn_languages if live.withdrawn_at else ():
        with translation.override(language):
            html = render_to_string(
                "public/article_withdrawn.html",
                {"withdrawn_at": live.withdrawn_at, "slug": live.slug},
                request=request,
            )
        rows.append(
            PublicPage(
                page_key=page_key(language, live.slug),
                language=language,
                status=410,
                body=html.encode(),
                fingerprint=inputs_fingerprint(live, language),
                **common,
            )
        )
    return rows


def article_repair(*, article_id):
    """Rebuild the article's pages from a request that found none to serve; never fails it."""
    try:
        with transaction.atomic():
            article_pages_build(article_id=article_id)
    except Exception:
        logger.exception("Could not build the public pages of article %s.", article_id)


def slug_repair(slug):
    article_id = Article.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if article_id is not None:
        article_repair(article_id=article_id)


def _built_already(article_id):
    """Whether the article's rows are of its current generation and this code (a second
    change in one transaction queues a second build)."""
    generation = PublicPageGeneration.objects.filter(article_id=article_id).values("generation")
    return PublicPage.objects.filter(
        article_id=article_id, generation__in=generation, build_tag=build_tag()
    ).exists()


def articles_build_if_stale(article_ids):
    for article_id in article_ids:
        if not _built_already(article_id):
            article_pages_build(article_id=article_id)


def articles_build(*, limit=None):
    """Build the pages of every article with a live edition (the newest ``limit``), one
    transaction each: ``(articles, pages)``."""
    live = Edition.objects.filter(live_version__isnull=False).values("article_id")
    ids = Article.objects.filter(pk__in=live).order_by("-dateline", "-id")
    ids = ids.values_list("pk", flat=True)
    articles = count = 0
    for article_id in ids[:limit].iterator() if limit else ids.iterator():
        count += len(article_pages_build(article_id=article_id))
        articles += 1
    return articles, count
