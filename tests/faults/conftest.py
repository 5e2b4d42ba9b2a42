"""Fixtures for the fault tests: a Redis of the test's own as the site's cache."""

import pytest

from config import redis_cache


@pytest.fixture
def redis_cache_site(redis_server, settings, monkeypatch):
    """The site as deployed with ``REDIS_URL``: the page cache and ``cached_db`` sessions
    on ``redis_server``, a fresh view of outages, retried every 0.2 s."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "tilmash",
        }
    }
    settings.TILMASH_PUBLIC_CACHE_SHARED = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    monkeypatch.setattr(redis_cache, "_outage", redis_cache.Outage())
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    return redis_server
