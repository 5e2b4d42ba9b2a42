"""The public site: the article list, one approved edition, and ``/healthz``.

Pages read approved versions only, through ``selectors``. The detail page is
cached per URL together with the fingerprint it was rendered for, and its
ETag is that fingerprint: a digest of the article's live version ids (every
public language, since each one shows in the language switcher), so
approving a version or a language, or an embargo ending, changes the
fingerprint and the next request renders afresh. A withdrawn article's
pages answer 410 Gone with a short notice, and are never cached. Pages are
never invalidated; unused entries age out after ``TILMASH_PUBLIC_CACHE_SECONDS``.

Where the live version ids come from depends on the cache. With a
per-process cache (local memory) they are read on every request (one
indexed query, no text): a change made in one process cannot reach another's
memory, and one cheap query is always right. With a cache every process
shares (Redis, memcached), they are kept in it and written through after
each commit that changes them, so a cached page makes no query at all; see
``translations.cache`` for what writes them and why readers cannot put back
an older entry.
"""

import dataclasses
import hashlib
import json
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date, quote_etag, urlencode
from django.views.decorators.http import require_safe

from . import cache as public_cache
from . import pages as public_pages
from . import search as public_search
from . import selectors, structured
from .credits import credit_lines
from .disclosure import disclosure_lines
from .feeds import LatestEditionsFeed
from .languages import language_codes
from .lifecycle.corrections import corrections_published_page
from .lifecycle.notes import public_notes
from .models import Edition
from .templatetags.tilmash_public import language_autonym

logger = logging.getLogger(__name__)

PAGE_CACHE_PREFIX = "tilmash:public:article"
# Part of every fingerprint: bump it when the detail page's markup changes in
# a way that must not wait for cached copies to expire.
PAGE_MARKUP_VERSION = 4
# The list's page numbers: no sign, no leading zero, no more than nine digits.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
# What a database that does not answer raises (a bad query is not among them).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# What the Atom feeds are served as (``django.utils.feedgenerator.Atom1Feed``).
FEED_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Search results go no deeper: a reader refines the words rather than page 60.
SEARCH_MAX_PAGES = 50


def _language_url(request, language, name, **kwargs):
    with translation.override(language):
        return request.build_absolute_uri(reverse(f"public:{name}", kwargs=kwargs))


def _language_links(request, languages, current, name, **kwargs):
    return [
        {
            "language": code,
            "name": language_autonym(code),
            "url": _language_url(request, code, name, **kwargs),
            "current": code == current,
        }
        for code in languages
    ]


def _public_cache_control(response):
    # Shared caches may keep a copy but must ask again before using it: the
    # conditional GET costs one cheap query and never serves a replaced version.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def _page_number(request):
    """The list's ``?page=``: a page number as written in our own links, else a 404.

    Anything else ("0", "01", "1.5", "last", a number too long to be a page)
    is a missing page, not the first one: crawlers should not index endless
    copies of page 1.
    """
    raw = request.GET.get("page") or "1"
    if not PAGE_NUMBER.fullmatch(raw):
        raise Http404("No such page.")
    return int(raw)


@require_safe
def article_list(request):
    """``/<lang>/``: published editions in that language, newest dateline first.

    Two queries whatever the archive's size (see ``selectors.editions_published_page``);
    there is no page count, only links to newer and older pages. Each process
    keeps a page it rendered for ``TILMASH_PUBLIC_PAGES_MEMORY_SECONDS``
    (``translations.pages.list_kept``).
    """
    language = translation.get_language()
    number = _page_number(request)
    body, _kept = public_pages.list_kept(
        request=request,
        key=f"list:{language}:{number}",
        render=lambda: _article_list_render(request, language, number),
    )
    return _public_cache_control(HttpResponse(body))


def _article_list_render(request, language, number):
    page = selectors.editions_published_page(
        language=language, size=settings.TILMASH_PUBLIC_PAGE_SIZE, number=number
    )
    if number > 1 and not page.editions and not page.has_next:
        raise Http404("No such page.")
    canonical = request.build_absolute_uri(reverse("public:article_list"))
    if page.number > 1:
        canonical += f"?page={page.number}"
    alternates = []
    if page.number == 1:
        alternates = _language_links(request, language_codes(), language, "article_list")
    context = {
        "page_obj": page,
        "editions": page.editions,
        "canonical_url": canonical,
        "alternates": alternates,
        "x_default_url": _language_url(request, settings.LANGUAGE_CODE, "article_list"),
    }
    return render(request, "public/article_list.html", context).content


@require_safe
def feed(request):
    """``/<lang>/feed/``: the Atom feed of the language's latest editions
    (``translations.feeds``), two queries when rendered; each process keeps what it
    rendered for ``TILMASH_PUBLIC_PAGES_MEMORY_SECONDS``, as it keeps the list."""
    language = translation.get_language()

    def render():
        rendered = LatestEditionsFeed()(request)
        modified = rendered.get("Last-Modified")
        return rendered.content, int(parse_http_date(modified)) if modified else None

    body, last_modified, _kept = public_pages.kept_render(
        request=request, key=f"feed:{language}", render=render
    )
    response = HttpResponse(body, content_type=FEED_CONTENT_TYPE)
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    return _public_cache_control(response)


@require_safe
def search(request):
    """``/<lang>/search/?q=…``: published editions in that language whose live text
    matches, best first (``translations.search``); two queries, none without words."""
    language = translation.get_language()
    query = public_search.query_clean(request.GET.get("q"))
    number = _page_number(request)
    if number > SEARCH_MAX_PAGES or (number > 1 and not query):
        raise Http404("No such page.")
    page = selectors.editions_search(
        language=language, query=query, size=settings.TILMASH_PUBLIC_PAGE_SIZE, number=number
    )
    if number > 1 and not page.editions:
        raise Http404("No such page.")
    if number == SEARCH_MAX_PAGES:
        page = dataclasses.replace(page, has_next=False)
    first_url = f"?{urlencode({'q': query})}"
    context = {
        "query": query,
        "page_obj": page,
        "editions": page.editions,
        "first_url": first_url,
        "page_url": f"{first_url}&",
        # The switcher keeps the words: the same search in another language.
        "language_links": [
            {**link, "url": link["url"] + (f"?{urlencode({'q': query})}" if query else "")}
            for link in _language_links(request, language_codes(), language, "search")
        ],
    }
    return _public_cache_control(render(request, "public/search.html", context))


@require_safe
def corrections(request):
    """``/<lang>/corrections/``: the approved corrections in that language, newest first;
    one query a page (``lifecycle.corrections``), links to newer and older pages."""
    language = translation.get_language()
    number = _page_number(request)
    page = corrections_published_page(
        language=language, size=settings.TILMASH_PUBLIC_PAGE_SIZE, number=number
    )
    if number > 1 and not page.editions and not page.has_next:
        raise Http404("No such page.")
    context = {
        "page_obj": page,
        "corrections": page.editions,
        "alternates": _language_links(request, language_codes(), language, "corrections"),
    }
    return _public_cache_control(render(request, "public/corrections.html", context))


def _fingerprint(request, live, language, names=None):
    """What the detail page depends on; the same fingerprint renders the same bytes.

    ``names`` is the shared cache's token for contributors' spellings (None
    with a per-process cache, where a rename shows once the page expires).
    """
    material = [
        PAGE_MARKUP_VERSION,
        public_cache.site_tag(),
        request.scheme,
        request.get_host(),
        language,
        language_codes(),
        live.slug,
        live.dateline.isoformat(),
        live.source_language,
        # The time each became public: an embargo's end moves structured data's dates.
        [
            [edition.language, edition.version_id, _isoformat(edition.public_since)]
            for edition in live.editions
        ],
        names,
        settings.TILMASH_MACHINE_CREDIT,
        settings.TILMASH_PUBLISHER_NAME,
    ]
    encoded = json.dumps(material, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:40]


def _isoformat(moment):
    return moment.isoformat() if moment else None


def _credits(version, language):
    """The version's credits, and its credit lines followed by what other apps
    disclose (``translations.disclosure``)."""
    credits = selectors.credits_list(version=version)
    lines = credit_lines(credits, language) + disclosure_lines(
        version=version, language=language, credits=credits
    )
    return credits, lines


def _detail_render(request, live, language):
    edition = selectors.edition_published_get(slug=live.slug, language=language, now=live.as_of)
    version = edition.live_version
    article = edition.article
    credits, lines = _credits(version, language)
    alternates = _language_links(
        request, live.languages, language, "article_detail", slug=live.slug
    )
    canonical_url = _language_url(request, language, "article_detail", slug=live.slug)
    news_article = structured.news_article(
        edition=edition,
        language=language,
        source_language=live.source_language,
        alternates=alternates,
        canonical_url=canonical_url,
        home_url=_language_url(request, language, "article_list"),
        credits=credits,
        lines=lines,
    )
    context = {
        "edition": edition,
        "article": article,
        "version": version,
        "paragraphs": [unit for unit in version.paragraphs if unit.get("text")],
        "notes": public_notes(edition),
        "credit_lines": lines,
        "alternates": alternates,
        "x_default_url": _language_url(
            request, live.default_language, "article_detail", slug=live.slug
        ),
        "canonical_url": canonical_url,
        "description": news_article["description"],
        "structured_data": structured.script_json(news_article),
        "opengraph": structured.opengraph(
            structured=news_article,
            language=language,
            alternates=alternates,
            site_name=settings.TILMASH_PUBLISHER_NAME,
        ),
    }
    return edition, render_to_string("public/article_detail.html", context, request=request)


def _page_key(request, language, slug):
    """Where the page for this URL is cached; the entry holds its fingerprint too."""
    material = [public_cache.site_tag(), request.scheme, request.get_host(), language, slug]
    encoded = json.dumps(material, separators=(",", ":")).encode()
    return f"{PAGE_CACHE_PREFIX}:{hashlib.sha256(encoded).hexdigest()[:40]}"


@require_safe
def article_detail(request, slug):
    """``/<lang>/articles/<slug>/``: the live version of one edition, or 404.

    On the canonical origin the page is usually built already
    (``translations.pages``): one indexed read of its bytes, or none when this
    process read it within the last second. Else it is rendered as below, and
    its article's pages are built for the next request.
    """
    language = translation.get_language()
    prebuilt = public_pages.enabled() and public_pages.origin_matches(request)
    if prebuilt:
        try:
            page = public_pages.page_get(language=language, slug=slug)
        except DATABASE_UNAVAILABLE:
            page = public_pages.page_remembered(language=language, slug=slug)
            if page is not None and page.status == 200:
                logger.info("Serving a kept copy of %s: the database is unavailable", request.path)
                response = HttpResponse(page.body)
                response.headers["X-Tilmash-Stale"] = "1"
                return _public_cache_control(response)
        else:
            if page is not None:
                return _prebuilt_response(request, page)
    response = _article_detail_rendered(request, slug, language)
    if prebuilt and (response.status_code == 410 or response.has_header("ETag")):
        public_pages.slug_repair(slug)
    return response


def _prebuilt_response(request, page):
    if page.status != 200:
        response = HttpResponse(page.body, status=page.status)
        patch_cache_control(response, public=True, no_cache=True)
        return response
    response = get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified
    )
    if response is None:
        response = HttpResponse(page.body)
    response.headers["ETag"] = page.etag
    response.headers["Last-Modified"] = http_date(page.last_modified)
    return _public_cache_control(response)


def _article_detail_rendered(request, slug, language):
    """The page rendered for this request.

    While the database does not answer, a copy of the page in the cache is
    served rather than the 503 page (stale-if-error), marked with the header
    ``X-Tilmash-Stale: 1`` and without validators: it was approved text when
    it was rendered, at most ``TILMASH_PUBLIC_CACHE_SECONDS`` ago, and the
    first request after the database returns renders afresh. A page whose
    language the shared cache knows is no longer live is a 404 even then.
    """
    seconds = settings.TILMASH_PUBLIC_CACHE_SECONDS
    page_key = _page_key(request, language, slug) if seconds else None
    try:
        return _article_detail(request, slug, language, page_key)
    except DATABASE_UNAVAILABLE as error:
        cached = cache.get(page_key) if page_key else None
        if not isinstance(cached, tuple):
            raise
        logger.info(  # per request: the 503 answers say the database is down
            "Serving a cached copy of %s: the database is unavailable (%s)", request.path, error
        )
        response = HttpResponse(cached[1])
        response.headers["X-Tilmash-Stale"] = "1"
        return _public_cache_control(response)


def _article_detail(request, slug, language, page_key):
    """``/<lang>/articles/<slug>/``: the live version of one edition, or 404.

    What a cached or unchanged page needs (which languages are approved,
    which versions are live) comes from the shared cache without a query, in
    the same round trip as the page, where there is one
    (``translations.cache``); else from one query. Only a cache miss reads
    the version's text and its credits (two more queries).

    A cached page is kept with the fingerprint it was rendered for and served
    only when that is the fingerprint now: after an approval the next request
    renders afresh and replaces it.
    """
    seconds = settings.TILMASH_PUBLIC_CACHE_SECONDS
    shared = public_cache.shared()
    if shared:
        live, names, cached = public_cache.live_read(slug, page_key)
    else:
        live, names, cached = selectors.article_live_get(slug=slug), None, None
    if live is not None and live.withdrawn_at and language in live.withdrawn_languages:
        return _withdrawn(request, live)
    current = live.edition(language) if live else None
    if current is None:
        raise Http404("No approved edition in this language.")
    fingerprint = _fingerprint(request, live, language, names)
    etag = quote_etag(fingerprint)
    # Another language's approval (or its embargo's end) changes the
    # switcher, so it counts too.
    last_modified = int(live.last_public_change_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        if page_key and not shared:
            cached = cache.get(page_key)
        html = cached[1] if isinstance(cached, tuple) and cached[0] == fingerprint else None
        if html is None:
            try:
                edition, html = _detail_render(request, live, language)
            except Edition.DoesNotExist:
                if shared:
                    public_cache.live_refresh([slug])
                raise Http404("No approved edition in this language.") from None
            if edition.live_version_id != current.version_id:
                # Approved between the two reads, or a shared entry that missed
                # its write-through: the page is newer than the fingerprint, so
                # it is neither cached nor given validators, and the entry is
                # written afresh.
                if shared:
                    public_cache.live_refresh([slug])
                return _public_cache_control(HttpResponse(html))
            if page_key:
                cache.set(page_key, (fingerprint, html), seconds)
        response = HttpResponse(html)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    return _public_cache_control(response)


def _withdrawn(request, live):
    """410 Gone for an article withdrawn where it had been public: a short notice."""
    response = render(
        request,
        "public/article_withdrawn.html",
        {"withdrawn_at": live.withdrawn_at, "slug": live.slug},
        status=410,
    )
    patch_cache_control(response, public=True, no_cache=True)
    return response


@require_safe
def healthz(request):
    """The load balancer's probe: 200 "ok" when the database answers one trivial query, else 503.

    The cache's state is reported beside it, never in the status: without
    the cache the site serves, only slower (``config.redis_cache``), so a
    cache outage must not take every server out of the balancer. The body's
    second line and the ``X-Tilmash-Cache`` header say ``cache down`` then
    (``ok`` when Redis answers; ``local`` for a per-process cache; ``none``
    when the operator configured none, ``CACHE_URL=none://``), for
    monitoring. Touches no session, so a probe leaves no trace.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
        body, status = "database unavailable", 503
    else:
        body, status = "ok", 200
    ping = getattr(cache, "ping", None)
    if getattr(settings, "CACHE_KIND", None) == "none":
        cache_state = "none"
    else:
        cache_state = "local" if ping is None else ("ok" if ping() else "down")
    if cache_state == "down":
        body += "\ncache down"
    response = HttpResponse(body, status=status, content_type="text/plain")
    response.headers["X-Tilmash-Cache"] = cache_state
    patch_cache_control(response, no_store=True)
    return response
