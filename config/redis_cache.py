"""Django's Redis cache backend: one redis client per pool, and an outage is a miss.

One client per pool. Django's ``RedisCacheClient.get_client`` makes a new
``redis.Redis`` for every cache call, and redis-py's constructor builds its
table of response callbacks (~170 entries) each time. Measured on a cached
article page: 0.25 ms of CPU per call, more than the round trip to Redis
itself. A ``redis.Redis`` holds no connection of its own (each command
borrows one from the pool, which redis-py resets after a fork), so one
client per pool serves every call and thread.

An outage is a miss. Every user of the cache here (the page cache and the
live versions' write-through, QA results, ``cached_db`` sessions, the
notifications' once-only keys) works without it, only slower. So when Redis
does not answer, a call answers as an empty cache would: ``get`` the
default, ``get_many`` nothing, ``add`` True (an empty cache would have taken
the key), ``set`` and ``delete`` nothing. After a failure the process does
not call Redis again for ``RETRY_SECONDS`` (a refused or hung connection
costs every request nothing then); the failure is logged once per
``LOG_SECONDS``, and once more when Redis answers again. ``state()`` says
which (``/healthz`` reports it).

Nothing written during an outage may outlive it. A write or delete that
failed leaves in Redis whatever the key held before the outage: an article's
live versions before an approval, a session before its logout. So the
process keeps the keys it could not write (up to ``LOST_KEYS_MAX``), and
when Redis answers again it deletes them before anything else it does. A
background thread retries every ``BACKGROUND_RETRY_SECONDS`` during the
outage, so they go within about that time of Redis's return even if this
process serves no request meanwhile. Only a process killed during the outage
(its list lost) leaves entries to their expiry; if more keys are lost than
the list holds, that is logged as an error.
"""

import logging
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Seconds between a request's attempts to reach Redis after a failure.
RETRY_SECONDS = 1.0
# Seconds between the background thread's attempts (a refused connection is
# cheap; the sooner it finds Redis back, the sooner lost keys are deleted).
BACKGROUND_RETRY_SECONDS = 0.2
# Seconds between two log records of one outage.
LOG_SECONDS = 60.0
# Keys a process remembers to delete when Redis returns.
LOST_KEYS_MAX = 100_000
# A Redis that does not answer within these costs a request no more than this.
CONNECT_TIMEOUT = 0.5
COMMAND_TIMEOUT = 1.0

FAILURES = (redis.ConnectionError, redis.TimeoutError, OSError)


class Outage:
    """One process's view of whether Redis answers, shared by its clients."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0
        self.logged_at = None
        self.lost = set()
        self.overflowed = False
        self.retrying = False

    def failed(self, error, keys=()):
        self.lose(keys)
        now = time.monotonic()
        with self.lock:
            if self.down_since is None:
                self.down_since = now
            self.retry_at = now + RETRY_SECONDS
            log = self.logged_at is None or now - self.logged_at >= LOG_SECONDS
            if log:
                self.logged_at = now
        if log:
            logger.warning("The cache (Redis) does not answer; serving without it: %s", error)

    def lose(self, keys):
        """Keep ``keys``, not written while Redis is skipped, for deletion on its return."""
        with self.lock:
            for key in keys:
                if len(self.lost) >= LOST_KEYS_MAX:
                    self.overflowed = True
                    break
                self.lost.add(key)

    def skipping(self):
        return self.down_since is not None and time.monotonic() < self.retry_at


_outage = Outage()


def state():
    """``"ok"`` or ``"down"``: this process's view of the cache."""
    return "down" if _outage.down_since is not None else "ok"


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", COMMAND_TIMEOUT)
        # One attempt per call: a retry only doubles what an outage costs.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    # --- Outage handling ---------------------------------------------------------

    def _call(self, operation, missing, *args, writes=()):
        if _outage.down_since is not None and not self._recovered(writes):
            return missing
        try:
            return operation(*args)
        except FAILURES as error:
            _outage.failed(error, writes)
            self._retry_in_background()
            return missing

    def _recovered(self, writes, *, now=False):
        """Whether Redis answers again; if so, the keys lost meanwhile are gone first."""
        if not now and _outage.skipping():
            _outage.lose(writes)
            return False
        with _outage.lock:
            if _outage.down_since is None:
                return True
            lost, overflowed = list(_outage.lost), _outage.overflowed
            try:
                client = self.get_client(write=True)
                client.ping()
                for start in range(0, len(lost), 1000):
                    client.delete(*lost[start : start + 1000])
            except FAILURES as error:
                _outage.retry_at = time.monotonic() + RETRY_SECONDS
                keep = error
            else:
                seconds = time.monotonic() - _outage.down_since
                _outage.down_since = None
                _outage.logged_at = None
                _outage.lost.clear()
                _outage.overflowed = False
                keep = None
        if keep is not None:
            _outage.failed(keep, writes)
            return False
        logger.warning(
            "The cache (Redis) answers again after %.1f s; %d entries written "
            "during the outage were deleted.",
            seconds,
            len(lost),
        )
        if overflowed:
            logger.error(
                "More than %d cache entries were written during the outage; the "
                "others may be stale until they expire.",
                LOST_KEYS_MAX,
            )
        return True

    def _retry_in_background(self):
        with _outage.lock:
            if _outage.retrying:
                return
            _outage.retrying = True

        outage = _outage

        def retry():
            try:
                while outage is _outage and outage.down_since is not None:
                    time.sleep(BACKGROUND_RETRY_SECONDS)
                    if outage is _outage:
                        self._recovered((), now=True)
            finally:
                outage.retrying = False

        threading.Thread(target=retry, name="redis-cache-retry", daemon=True).start()

    def ping(self):
        return self._call(lambda: bool(self.get_client().ping()), False)

    def add(self, key, value, timeout):
        return self._call(super().add, True, key, value, timeout, writes=(key,))

    def get(self, key, default):
        return self._call(super().get, default, key, default)

    def set(self, key, value, timeout):
        return self._call(super().set, None, key, value, timeout, writes=(key,))

    def touch(self, key, timeout):
        return self._call(super().touch, False, key, timeout)

    def delete(self, key):
        return self._call(super().delete, False, key, writes=(key,))

    def get_many(self, keys):
        return self._call(super().get_many, {}, keys)

    def has_key(self, key):
        return self._call(super().has_key, False, key)

    def incr(self, key, delta):
        missing = object()
        value = self._call(super().incr, missing, key, delta, writes=(key,))
        if value is missing:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(self, data, timeout):
        return self._call(super().set_many, None, data, timeout, writes=tuple(data))

    def delete_many(self, keys):
        return self._call(super().delete_many, None, keys, writes=tuple(keys))

    def clear(self):
        return self._call(super().clear, False)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def ping(self):
        """Whether Redis answers now (False at once while a failure is recent)."""
        return self._cache.ping()
