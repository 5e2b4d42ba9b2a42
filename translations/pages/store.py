"""Reading pre-built pages: the one indexed read, and what each process keeps of it."""

import collections
import dataclasses
import datetime
import functools
import hashlib
import json
import logging
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils import timezone

from .. import selectors
from ..languages import language_codes
from ..models import PublicPage, PublicPageGeneration

logger = logging.getLogger(__name__)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


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
    from ..views import PAGE_MARKUP_VERSION

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
        if now < page.verified_at:  # a clock set back (tests): not kept for that time
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
    from .build import article_repair

    article_repair(article_id=page.article_id)
    return False


def list_kept(*, request, key, render):
    """``(bytes, kept)``: a list page as this process rendered it for this origin within
    ``TILMASH_PUBLIC_PAGES_MEMORY_SECONDS`` (no query), else ``render()``'s bytes, kept.

    Lists change with every publication in their language, so they are not
    built ahead; each process renders one at most once a bound. A change made
    in this process shows at once, one made in another within the bound, an
    embargo's end too (the entry's time is the clock's, not only the process's).
    """
    body, _last_modified, kept = kept_render(
        request=request, key=key, render=lambda: (render(), None)
    )
    return body, kept


def kept_render(*, request, key, render):
    """``(bytes, last_modified, kept)``: :func:`list_kept` for outputs that also carry
    a ``Last-Modified`` (the feeds): ``render()`` returns ``(bytes, unix seconds or None)``."""
    seconds = settings.TILMASH_PUBLIC_PAGES_MEMORY_SECONDS
    if not enabled() or seconds <= 0:
        return (*render(), False)
    key = f"{request.scheme}://{request.get_host()}|{key}"
    now = micros(timezone.now())
    page = _memory.get(key, "list", now)
    if page is not None:
        return page.body, page.last_modified, True
    generation = _memory.generation
    body, last_modified = render()
    until = now + int(seconds * 1_000_000)
    _memory.put(key, "list", Page(200, body, "", last_modified, until, now, "", 0), generation)
    return body, last_modified, False
