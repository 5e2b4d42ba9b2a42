"""Article pages built once, when what they show changes, and served by one read.

Versions are immutable, so everything an article page shows is known when
something on it changes: a version going live (in any language: each one is
in the language switcher), a correction or update note (carried by its
version), a translation starting or ending to follow its source, an embargo
set or lifted, a withdrawal or reinstatement, a contributor's rename, the
article's slug, dateline or source language. Each of those saves tells
:func:`article_changed`, which does two things:

- **in the changing transaction**, it replaces the article's page generation
  (``PublicPageGeneration``: one upsert). Pages are served only while the
  generation they were built under is the article's current one, so from the
  moment the change commits the old bytes are never served again, whatever
  happens next;
- **after the commit**, the article's pages are built (every public language,
  the 410 notice of every language it was withdrawn from) with the page's own
  view code (``views._detail_render``), and the bytes, ETag and Last-Modified
  stored in ``PublicPage``. The build is a task queued in the changing
  transaction (``tasks.public_pages_build``) and run by the task worker once
  it commits, not in the desk's request: three pages cost ~20 ms of CPU and
  ~65 ms on a busy machine, which an approval (target 100 ms) or a run of
  imports should not wait for. A reader who comes between the commit and the
  build gets the page rendered and builds it (a *repair*, below), so the
  pages are there at once with or without a worker.

The request path (:func:`page_get`) is one indexed read of ready bytes (a raw
cursor, no model instance, no template) on the canonical origin,
``TILMASH_SITE_URL``, which the bytes' absolute links are built for; other
hosts and schemes render as before (``views``).

**A missed or failed build** (the process killed after the commit, a build
that raised) leaves the row of an older generation, which is not served: the
request renders as before and rebuilds the article's pages (a *repair*). A
change that sends no signal (``QuerySet.update()``, SQL by hand) is caught by
the fingerprint of what the page was built from (live versions, their
languages and public times, withdrawal), kept in the row: once
``TILMASH_PUBLIC_PAGES_VERIFY_SECONDS`` have passed since the row was built or
last checked, the next request compares it with the database (one query) and
repairs the pages if it differs. Markup, templates, catalogues, the static
manifest and the settings the page prints are in the row's build tag
(:func:`build_tag`): a deploy that changes them serves no old row.

**Embargo** is by the clock: a page is built ahead for each future end of an
embargo on the article (up to ``MAX_EPOCHS`` of them) with ``public_from`` set
to it, and the rows before it with ``visible_until``, so the read itself picks
the variant for now and an embargoed edition appears at its time, in the
other languages' switchers too, without a render.

**Across worker processes** each process keeps what it read for
``TILMASH_PUBLIC_PAGES_MEMORY_SECONDS`` (one second by default) in memory,
with a bounded number of pages, so a busy page costs one read per second per
process, not one per hit. A change made in the same process shows at once
(its own changes forget that memory); a change made in another process shows
within that bound. The time bounds (embargo) are checked on every hit. While
the database does not answer, a page in that memory is served stale
(``X-Tilmash-Stale``), like the page cache's copies.
"""

import collections
import dataclasses
import datetime
import functools
import hashlib
import json
import logging
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.http import quote_etag

from . import selectors
from .languages import language_codes, localized_field
from .models import Article, Contributor, Edition, PublicPage, PublicPageGeneration

logger = logging.getLogger(__name__)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Future embargo ends built ahead per article; a page past the last one is
# rendered on request and its article rebuilt then.
MAX_EPOCHS = 4
# A rename rebuilds this many of the contributor's newest articles after its
# commit; the others' pages are stale from the commit and rebuilt on request.
RENAME_REBUILD_MAX = 20
# Fields whose change changes what a page shows.
EDITION_PAGE_FIELDS = frozenset({"live_version", "follows", "embargo_until", "language"})
ARTICLE_PAGE_FIELDS = frozenset(
    {"slug", "dateline", "source_language", "embargo_until", "withdrawn_at"}
)


def micros(moment):
    """``moment`` (aware) as integer microseconds since the epoch, as the rows keep time."""
    return (moment - EPOCH) // datetime.timedelta(microseconds=1)


def enabled():
    return settings.TILMASH_PUBLIC_PAGES


@functools.lru_cache(maxsize=4)
def _origin(site_url):
    parts = urlsplit(site_url)
    return parts.scheme, parts.netloc


def origin_matches(request):
    """Whether ``request`` came to the canonical origin the pages are built for."""
    scheme, host = _origin(settings.TILMASH_SITE_URL)
    return request.get_host() == host and request.scheme == scheme


def page_key(language, slug):
    return f"article:{language}:{slug}"


# --- What the bytes depend on besides the article ----------------------------------


@functools.lru_cache(maxsize=1)
def _files_digest():
    """The templates and compiled catalogues the page is made of, read once per process."""
    base = Path(settings.BASE_DIR)
    files = [base / "templates" / "base.html", *sorted((base / "templates" / "public").rglob("*"))]
    for folder in (base / "locale", base / "config" / "locale_overrides"):
        files += sorted(folder.rglob("*.mo"))
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=16)
def _build_tag(*material):
    from .views import PAGE_MARKUP_VERSION

    # The static URL names the manifest's hashed file after collectstatic.
    parts = [PAGE_MARKUP_VERSION, _files_digest(), static("css/site.css"), *material]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:40]


def build_tag():
    """The code and settings the bytes were made with: a row of another tag is not served."""
    return _build_tag(
        settings.TILMASH_SITE_URL,
        get_script_prefix(),
        tuple(language_codes()),
        settings.LANGUAGE_CODE,
        settings.TILMASH_MACHINE_CREDIT,
        settings.TILMASH_TRANSLATION_FOLLOWS_NOTICE,
    )


def inputs_fingerprint(live, language):
    """What the database says a page of ``live`` shows, for checking a row against it."""
    material = [
        language,
        live.slug,
        live.dateline.isoformat(),
        live.source_language,
        [
            [e.language, e.version_id, (e.public_since or e.approved_at).isoformat()]
            for e in live.editions
        ],
        live.withdrawn_at.isoformat() if live.withdrawn_at else None,
        list(live.withdrawn_languages),
    ]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()[:40]


# --- Reading ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    etag: str
    last_modified: int | None
    visible_until: int | None
    verified_at: int
    fingerprint: str
    article_id: int


class _Memory:
    """The pages this process read lately: each for a bounded time, a bounded number."""

    def __init__(self):
        self.entries = collections.OrderedDict()
        self.generation = 0  # moved on by every change this process makes
        self.lock = threading.Lock()

    def get(self, key, tag, now, *, expired_too=False):
        entry = self.entries.get(key)
        if entry is None:
            return None
        expires, generation, entry_tag, page = entry
        if expired_too:
            return page
        if generation != self.generation or entry_tag != tag or expires < time.monotonic():
            return None
        if page.visible_until is not None and now >= page.visible_until:
            return None
        return page

    def put(self, key, tag, page, generation):
        seconds = settings.TILMASH_PUBLIC_PAGES_MEMORY_SECONDS
        size = settings.TILMASH_PUBLIC_PAGES_MEMORY_ENTRIES
        if seconds <= 0 or size <= 0:
            return
        with self.lock:
            self.entries[key] = (time.monotonic() + seconds, generation, tag, page)
            self.entries.move_to_end(key)
            while len(self.entries) > size:
                self.entries.popitem(last=False)

    def forget(self):
        self.generation += 1

    def clear(self):
        with self.lock:
            self.entries.clear()
        self.forget()


_memory = _Memory()


def _read_sql():
    page, generation = PublicPage._meta.db_table, PublicPageGeneration._meta.db_table
    return (
        "SELECT p.status, p.body, p.etag, p.last_modified, p.visible_until, p.verified_at,"
        " p.fingerprint, p.article_id"
        f" FROM {page} p INNER JOIN {generation} g"
        " ON g.article_id = p.article_id AND g.generation = p.generation"
        " WHERE p.page_key = %s AND p.build_tag = %s AND p.public_from <= %s"
        " AND (p.visible_until IS NULL OR p.visible_until > %s)"
        " ORDER BY p.public_from DESC LIMIT 1"
    )


def page_get(*, language, slug):
    """The ready page for ``/<language>/articles/<slug>/`` now, or None (render it).

    From this process's memory when it read it within the bound; else one
    indexed read, plus one query when the row is due for its check.
    """
    key, tag, now = page_key(language, slug), build_tag(), micros(timezone.now())
    page = _memory.get(key, tag, now)
    if page is not None:
        return page
    generation = _memory.generation
    with connections[router.db_for_read(PublicPage)].cursor() as cursor:
        cursor.execute(_read_sql(), [key, tag, now, now])
        row = cursor.fetchone()
    if row is None:
        return None
    status, body, etag, last_modified, visible_until, verified_at, fingerprint, article_id = row
    page = Page(status, bytes(body), etag, last_modified, visible_until, verified_at,
                fingerprint, article_id)  # fmt: skip
    verify = settings.TILMASH_PUBLIC_PAGES_VERIFY_SECONDS * 1_000_000
    if verified_at < now - verify and not _still_true(page, key, slug, language, now):
        return None
    _memory.put(key, tag, page, generation)
    return page


def page_remembered(*, language, slug):
    """The last page this process read for that URL, however old: for stale-if-error."""
    return _memory.get(page_key(language, slug), None, None, expired_too=True)


def _still_true(page, key, slug, language, now):
    """Whether the database still says what ``page`` was built from; if not, rebuild."""
    live = selectors.article_live_get(slug=slug)
    if live is not None and inputs_fingerprint(live, language) == page.fingerprint:
        try:
            PublicPage.objects.filter(page_key=key, article_id=page.article_id).update(
                verified_at=now
            )
        except DatabaseError:
            logger.warning("Could not mark %s as checked.", key, exc_info=True)
        return True
    article_repair(article_id=page.article_id)
    return False


# --- Building --------------------------------------------------------------------------


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
    from . import views

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


# --- Telling: what changes a page -------------------------------------------------------


def article_changed(article_id):
    """What the article's pages show changes in the current transaction: its pages stop
    being served when it commits, and are built again just after (``_build_queue``)."""
    if not enabled():
        return
    PublicPageGeneration.objects.bulk_create(
        [PublicPageGeneration(article_id=article_id, generation=_generation_token())],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["generation"],
    )
    _memory.forget()
    _build_queue([article_id])


def _build_queue(article_ids):
    """Queue the build in the changing transaction: the task worker runs it once the change
    commits (a reader who comes first builds the pages itself, ``article_repair``)."""
    from .tasks import public_pages_build

    if article_ids:
        public_pages_build.enqueue(article_ids=list(article_ids))


def contributor_renamed(contributor_id):
    """A contributor's name changed: every page crediting them is stale from the commit;
    the newest few are rebuilt after it, the others on request."""
    if not enabled():
        return
    credited = Edition.objects.filter(live_version__credits__contributor_id=contributor_id).values(
        "article_id"
    )
    PublicPageGeneration.objects.filter(article_id__in=credited).update(
        generation=_generation_token()
    )
    _memory.forget()
    newest = list(
        Article.objects.filter(pk__in=credited)
        .order_by("-dateline", "-id")
        .values_list("pk", flat=True)[:RENAME_REBUILD_MAX]
    )
    _build_queue(newest)


def _edition_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields is not None and not EDITION_PAGE_FIELDS & set(update_fields)):
        return
    article_changed(instance.article_id)


def _edition_deleted(sender, instance, **kwargs):
    # An update only: the article itself may be being deleted in this transaction.
    if enabled():
        PublicPageGeneration.objects.filter(article_id=instance.article_id).update(
            generation=_generation_token()
        )
        _memory.forget()
        _build_queue([instance.article_id])


def _article_before_save(sender, instance, update_fields=None, **kwargs):
    if not enabled() or instance._state.adding:
        return
    if update_fields is not None and not ARTICLE_PAGE_FIELDS & set(update_fields):
        return
    fields = sorted(ARTICLE_PAGE_FIELDS)
    before = Article.objects.filter(pk=instance.pk).values_list(*fields).first()
    if before is not None and before != tuple(getattr(instance, field) for field in fields):
        instance._public_pages_changed = True


def _article_saved(sender, instance, **kwargs):
    if instance.__dict__.pop("_public_pages_changed", False):
        article_changed(instance.pk)


def _name_fields():
    return [localized_field("name", code) for code in language_codes()]


def _contributor_before_save(sender, instance, update_fields=None, **kwargs):
    if not enabled() or instance._state.adding:
        return
    fields = _name_fields()
    if update_fields is not None and not set(fields) & set(update_fields):
        return
    before = Contributor.objects.filter(pk=instance.pk).values_list(*fields).first()
    if before is not None and before != tuple(getattr(instance, field) for field in fields):
        instance._public_pages_renamed = True


def _contributor_saved(sender, instance, **kwargs):
    if instance.__dict__.pop("_public_pages_renamed", False):
        contributor_renamed(instance.pk)


def connect():
    """Called once from ``TranslationsConfig.ready``."""
    uid = "translations.pages"
    post_save.connect(_edition_saved, sender=Edition, dispatch_uid=f"{uid}.edition")
    post_delete.connect(_edition_deleted, sender=Edition, dispatch_uid=f"{uid}.edition_del")
    pre_save.connect(_article_before_save, sender=Article, dispatch_uid=f"{uid}.article_pre")
    post_save.connect(_article_saved, sender=Article, dispatch_uid=f"{uid}.article")
    pre_save.connect(
        _contributor_before_save, sender=Contributor, dispatch_uid=f"{uid}.contributor_pre"
    )
    post_save.connect(_contributor_saved, sender=Contributor, dispatch_uid=f"{uid}.contributor")


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
