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

from .build import (
    article_pages_build,
    article_repair,
    articles_build,
    articles_build_if_stale,
    slug_repair,
)
from .changes import article_changed, connect, contributor_renamed
from .store import (
    Page,
    _build_tag,
    _memory,
    build_tag,
    enabled,
    inputs_fingerprint,
    kept_render,
    list_kept,
    micros,
    origin_matches,
    page_get,
    page_key,
    page_remembered,
)

__all__ = [
    "Page",
    "_build_tag",
    "_memory",
    "article_changed",
    "article_pages_build",
    "article_repair",
    "articles_build",
    "articles_build_if_stale",
    "build_tag",
    "connect",
    "contributor_renamed",
    "enabled",
    "inputs_fingerprint",
    "kept_render",
    "list_kept",
    "micros",
    "origin_matches",
    "page_get",
    "page_key",
    "page_remembered",
    "slug_repair",
]
