"""Public reads on a streaming read replica; the desk, every write and every
transaction on the primary.

Active only when ``DATABASE_REPLICA_URL`` adds the ``replica`` alias
(config/settings.py installs ``ReplicaRouter`` and ``ReplicaMiddleware``);
without it nothing here runs.

What goes to the replica: the reads of a public page requested with GET or
HEAD (``/<lang>/…``: the lists, articles, corrections, search, the feeds;
``/sitemap*.xml``; the public API's ``/api/v1/editions…``), outside any
transaction, of the newsroom's content (not
sessions, users or login attempts, which are about the person and always
come from the primary). Everything else reads the primary: the desk, the
probe ``/healthz``, the task worker, management commands, and any read made
inside ``transaction.atomic`` (a transaction must see its own writes, and a
``select_for_update`` cannot run on a standby). Writes always go to the
primary. Migrations never run on the replica.

Read-your-writes: every request that may write (any method but GET, HEAD,
OPTIONS, TRACE) gets a cookie, ``tilmash_primary``, holding when it was
made; for ``TILMASH_REPLICA_STICKY_SECONDS`` after it (10 by default) that
browser reads public pages from the primary too, so the person who just
approved sees the approval on the public page at once. Everyone else may see
a public page lag behind the primary by the replication delay (on a healthy
stream on one machine, milliseconds; bounded by nothing but the stream: a
stalled replica keeps serving what it last replayed). A desk page never lags:
the desk never reads the replica.

A replica that does not answer is left alone: the request that met the
failure is answered again from the primary (public pages are GETs with no
side effect), and this process reads public pages from the primary for
``TILMASH_REPLICA_RETRY_SECONDS`` (5) before it tries the replica again. A
reader sees no error while the primary answers.

Where a value read from the primary decides what is cached (the shared
cache's live-version entries, ``translations.cache``), the read is made with
``primary_reads()``: a fresher key must never hold older bytes read from the
replica for longer than the replication delay.
"""

import contextlib
import contextvars
import re
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
COOKIE = "tilmash_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Rows about the person, not the newsroom's content: read from the primary even
# on a public page (a session made a moment ago must not look logged out).
PRIMARY_APPS = frozenset({"sessions", "auth", "axes", "admin", "django_tasks_database"})


class _Reads:
    """The current public request's routing: where its reads may go, and what happened."""

    __slots__ = ("primary", "used_replica")

    def __init__(self):
        self.primary = False
        self.used_replica = False


_reads = contextvars.ContextVar("tilmash_replica_reads", default=None)
# Monotonic time until which this process reads public pages from the primary:
# the replica failed a request lately.
_down_until = 0.0


def _is_primary_itself():
    """A replica alias naming the primary's own database (the test suite's mirror)."""
    replica = connections[REPLICA].settings_dict
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    return all(replica.get(key) == primary.get(key) for key in ("HOST", "PORT", "NAME"))


def replica_down(seconds=None):
    """This process reads public pages from the primary for the next ``seconds``."""
    global _down_until
    if seconds is None:
        seconds = settings.TILMASH_REPLICA_RETRY_SECONDS
    _down_until = time.monotonic() + seconds


def replica_available():
    return time.monotonic() >= _down_until


@contextlib.contextmanager
def primary_reads():
    """Within the block, the current request reads the primary (no effect elsewhere)."""
    reads = _reads.get()
    if reads is None or reads.primary:
        yield
        return
    reads.primary = True
    try:
        yield
    finally:
        reads.primary = False


@contextlib.contextmanager
def public_reads():
    """Within the block, reads are routed as a public page's (tests, the bench)."""
    token = _reads.set(_Reads())
    try:
        yield _reads.get()
    finally:
        _reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if (
            reads is None
            or reads.primary
            or model._meta.app_label in PRIMARY_APPS
            or not replica_available()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or _is_primary_itself()
        ):
            return DEFAULT_DB_ALIAS
        reads.used_replica = True
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database, two copies of it: every row on the replica is a primary row.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False
        return None


def public_path_pattern():
    """The paths of public pages: under a language prefix, the sitemaps, and the public
    API's reads (``/api/v1/editions/…``; the keyed endpoints stay on the primary)."""
    codes = sorted((re.escape(code) for code, _name in settings.LANGUAGES), key=len, reverse=True)
    return re.compile(
        rf"^/(?:(?:{'|'.join(codes)})/|sitemap(?:-[^/]+)?\.xml$|api/v1/editions(?:/|$))"
    )


def _recent_write(request, now, sticky):
    stamp = request.COOKIES.get(COOKIE)
    if not stamp:
        return False
    try:
        made = int(stamp)
    except ValueError:
        return False
    return now - sticky <= made <= now + 60


class ReplicaMiddleware:
    """Routes a public GET's reads to the replica; stamps requests that may write.

    First in ``MIDDLEWARE``, so that a retry on the primary runs the whole stack again.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = public_path_pattern()

    def __call__(self, request):
        sticky = settings.TILMASH_REPLICA_STICKY_SECONDS
        now = int(time.time())
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            if sticky > 0:
                response.set_cookie(
                    COOKIE,
                    str(now),
                    max_age=sticky,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        if (
            request.method not in ("GET", "HEAD")
            or not self.public.match(request.path_info)
            or not replica_available()
            or _recent_write(request, now, sticky)
        ):
            return self.get_response(request)
        replica = connections[REPLICA]
        # Errors seen before this request were dealt with when it started.
        replica.errors_occurred = False
        token = _reads.set(_Reads())
        try:
            response = self.get_response(request)
            if _reads.get().used_replica and replica.errors_occurred:
                # The replica failed this request (refused, lost, or its stream
                # conflicted with the query): answer from the primary, and leave
                # the replica alone for a while.
                replica_down()
                with contextlib.suppress(Exception):
                    replica.close()
                _reads.get().primary = True
                response = self.get_response(request)
        finally:
            _reads.reset(token)
        return response
