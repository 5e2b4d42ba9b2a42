"""Each article's live versions, kept in a shared cache so a cached page needs no query.

A cached article page is served only for the fingerprint of the article's
live versions it was rendered for, which is also its ETag
(``views._fingerprint``). Where every process shares one cache (Redis,
memcached: ``settings.TILMASH_PUBLIC_CACHE_SHARED``), what the fingerprint
is made of is kept in that cache too, under the article's slug, and read in
the same round trip as the page: a cached page is served without touching
the database.

- Writers write through, after their commit: when a version goes live
  (``version_published``), an article's slug, dateline or source language
  changes, or an article or an edition is deleted, the entry is recomputed
  from the committed database and ``cache.set``. Recomputations of one
  article are serialised on its row, so the one that writes last read last.
  An article that is no longer public gets an "absent" entry rather than a
  deletion, so a reader still holding older rows cannot put them back.
- Readers that find no entry read the database and ``cache.add`` what they
  read: an entry a writer has put there meanwhile is newer and stays.
- Embargo and withdrawal are part of the entry: an entry holds the time the
  article's next embargo ends and is read again from the database once that
  time has passed (and expires then at the latest), so a cached page shows an
  embargoed edition at its time, without anyone acting, on the first request
  after it. Setting, lifting, withdrawing and reinstating write through like
  an approval (``lifecycle_changed``).
- Contributors' names are shown in the credits but are not in the entry: a
  rename replaces one site-wide token that is part of every fingerprint, so
  every page renders afresh once (renames are rare; pages are many).

With a per-process cache (local memory) a writer in one process cannot reach
the others' memory, so there each request reads the live versions from the
database (one indexed query), as ``views`` explains.

A cache that does not answer is a cache that is empty
(``config.redis_cache``): readers read the database, writers' write-throughs
do nothing, and the approval stands. An entry written before the outage
cannot outlive an approval made during it: the process whose write-through
failed keeps the entry's key and deletes it when Redis answers again, before
it does anything else with the cache (a background thread retries five
times a second, so this does not wait for the process's next request; until
then, another process may still serve the old page). The next
reader finds no entry and reads the database; the page cached before the
outage has the old fingerprint and is not served. If a write-through is
lost otherwise (the process killed between commit and write, or during the
outage), the entry is stale until it expires, after
``TILMASH_PUBLIC_CACHE_SECONDS``, or until a render of the page finds another
live version in the database and writes the entry afresh. A change made with
``QuerySet.update()`` sends no signal and is seen the same way. Management
commands that publish must run with the web servers' ``CACHE_URL`` or
``REDIS_URL``, or their approvals are not written through.
"""

import functools
import hashlib
import math
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from config.routers import primary_reads

from . import selectors
from .models import Article, Contributor, Edition
from .signals import version_published

LIVE_PREFIX = "tilmash:public:live"
NAMES_PREFIX = "tilmash:public:names"
# Part of every key: bump it when the entry's layout changes.
ENTRY_FORMAT = 2
ABSENT = "absent"
# Article fields that show on its page or name it.
ARTICLE_PAGE_FIELDS = frozenset({"slug", "dateline", "source_language"})


def shared():
    """Whether article pages are served from the shared cache without a query."""
    return bool(settings.TILMASH_PUBLIC_CACHE_SHARED and settings.TILMASH_PUBLIC_CACHE_SECONDS)


@functools.lru_cache(maxsize=16)
def _site_tag(*parts):
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def site_tag():
    """The database the entries describe: two sites sharing a cache never read each other's."""
    db = connection.settings_dict
    return _site_tag(
        db["ENGINE"], str(db.get("HOST") or ""), str(db.get("PORT") or ""), str(db["NAME"])
    )


def live_key(slug):
    return f"{LIVE_PREFIX}:{ENTRY_FORMAT}:{site_tag()}:{slug}"


def names_key():
    return f"{NAMES_PREFIX}:{site_tag()}"


def _pack(live):
    if live is None:
        return ABSENT
    return (
        live.article_id,
        live.slug,
        live.dateline,
        live.source_language,
        tuple((e.language, e.version_id, e.approved_at, e.public_since) for e in live.editions),
        live.withdrawn_at,
        live.next_change_at,
        live.withdrawn_languages,
    )


def _unpack(value):
    if value == ABSENT:
        return None
    article_id, slug, dateline, source_language, editions, withdrawn, next_change, gone = value
    return selectors.ArticleLive(
        article_id=article_id,
        slug=slug,
        dateline=dateline,
        source_language=source_language,
        editions=tuple(selectors.LiveEdition(*edition) for edition in editions),
        withdrawn_at=withdrawn,
        next_change_at=next_change,
        withdrawn_languages=gone,
    )


def _expired(value, now):
    """An entry read before an embargo that has ended since: it must be read again."""
    if value == ABSENT or not isinstance(value, tuple) or len(value) != 8:
        return value != ABSENT
    return value[6] is not None and value[6] <= now


def _timeout(live=None):
    """How long an entry may stay: never past the next embargo's end."""
    seconds = settings.TILMASH_PUBLIC_CACHE_SECONDS
    if live is not None and live.next_change_at is not None:
        left = (live.next_change_at - timezone.now()).total_seconds()
        seconds = max(1, min(seconds, math.ceil(left)))
    return seconds


# --- Readers ------------------------------------------------------------------------


def live_read(slug, page_key=None):
    """``(ArticleLive or None, names token, cached page or None)`` for the article ``slug``.

    One round trip to the cache, the page under ``page_key`` fetched along;
    a query only when the live versions are missing.
    """
    key, names = live_key(slug), names_key()
    found = cache.get_many([key, names, page_key] if page_key else [key, names])
    page = found.get(page_key) if page_key else None
    token = found.get(names)
    if token is None:
        token = _names_token_fill(names)
    if key in found and not _expired(found[key], timezone.now()):
        return _unpack(found[key]), token, page
    # From the primary even where public pages read a replica: what is put here
    # is served to every process until it expires, and must not be older than
    # what the writers' write-through put (config/routers.py).
    with primary_reads():
        live = selectors.article_live_get(slug=slug)
    # Only what exists is added: unknown slugs are anyone's to invent, and
    # must not fill the cache. An entry whose embargo ended is replaced: what
    # the database says now is newer than it.
    if live is not None:
        if key in found:
            cache.set(key, _pack(live), _timeout(live))
        else:
            cache.add(key, _pack(live), _timeout(live))
    return live, token, page


def _names_token_fill(names):
    # A fresh random token, never an old one: pages rendered under a token
    # lost to eviction may still be cached with the old spellings.
    token = secrets.token_hex(8)
    if cache.add(names, token, None):
        return token
    return cache.get(names) or token


# --- Writers --------------------------------------------------------------------------


def live_refresh(slugs):
    """Recompute the entries of ``slugs`` from the committed database and write them."""
    for slug in dict.fromkeys(slugs):
        with transaction.atomic():
            # Two refreshes of one article queue here, so the later one reads
            # after the earlier one wrote (SQLite's immediate transactions
            # queue every writer anyway).
            list(Article.objects.select_for_update().filter(slug=slug).values_list("pk"))
            live = selectors.article_live_get(slug=slug)
            cache.set(live_key(slug), _pack(live), _timeout(live))


def _refresh_article(article_id):
    slug = Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()
    if slug is not None:
        live_refresh([slug])


def _refresh_edition(edition_id):
    slug = (
        Article.objects.filter(editions__id=edition_id).values_list("slug", flat=True).first()
    )
    if slug is not None:
        live_refresh([slug])


def lifecycle_changed(article_id):
    """An article's embargo or withdrawal changed: write its entry after the commit."""
    if shared():
        _after_commit(_refresh_article, article_id)


def names_changed():
    """Contributors' names changed: every article page renders afresh."""
    cache.set(names_key(), secrets.token_hex(8), None)


def _after_commit(function, *args):
    # Robust: the approval is committed whatever the cache says; a failed
    # write-through is logged and bounded by the entry's expiry.
    transaction.on_commit(functools.partial(function, *args), robust=True)


def _on_version_published(sender, version, **kwargs):
    if shared():
        _after_commit(_refresh_edition, version.edition_id)


def _article_before_save(sender, instance, update_fields=None, **kwargs):
    if not shared() or instance._state.adding:
        return
    if update_fields is not None and not ARTICLE_PAGE_FIELDS & set(update_fields):
        return
    before = (
        Article.objects.filter(pk=instance.pk)
        .values_list("slug", "dateline", "source_language")
        .first()
    )
    after = (instance.slug, instance.dateline, instance.source_language)
    if before is not None and before != after:
        instance._public_slug_before = before[0]


def _article_saved(sender, instance, created=False, **kwargs):
    before = instance.__dict__.pop("_public_slug_before", None)
    if before is not None and shared():
        _after_commit(live_refresh, [before, instance.slug])


def _article_deleted(sender, instance, **kwargs):
    if shared():
        _after_commit(live_refresh, [instance.slug])


def _edition_deleted(sender, instance, **kwargs):
    # When the article itself is being deleted, it is gone by the time this
    # runs and ``_article_deleted`` writes its entry.
    if shared():
        _after_commit(_refresh_article, instance.article_id)


def _contributor_before_save(sender, instance, update_fields=None, **kwargs):
    if shared() and instance.spelling_changes_on_save(update_fields):
        instance._public_renamed = True


def _contributor_saved(sender, instance, **kwargs):
    if instance.__dict__.pop("_public_renamed", False) and shared():
        _after_commit(names_changed)


def connect():
    """Called once from ``TranslationsConfig.ready``."""
    uid = "translations.cache"
    version_published.connect(_on_version_published, dispatch_uid=f"{uid}.published")
    pre_save.connect(_article_before_save, sender=Article, dispatch_uid=f"{uid}.article_pre")
    post_save.connect(_article_saved, sender=Article, dispatch_uid=f"{uid}.article_post")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid=f"{uid}.article_del")
    post_delete.connect(_edition_deleted, sender=Edition, dispatch_uid=f"{uid}.edition_del")
    pre_save.connect(
        _contributor_before_save, sender=Contributor, dispatch_uid=f"{uid}.contributor_pre"
    )
    post_save.connect(_contributor_saved, sender=Contributor, dispatch_uid=f"{uid}.contributor")
