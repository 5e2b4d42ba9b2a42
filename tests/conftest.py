import os
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

SEED_PATH = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / (
    "000_4c75c17fa82e99fe.txt"
)
SCHEMAS_PATH = SEED_PATH.parent.parent / "schemas"


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked ``postgres`` skip on SQLite, and fail there under REQUIRE_POSTGRES=1."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but DATABASE_URL is not a PostgreSQL database")
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def seed_path():
    if not SEED_PATH.exists():
        pytest.skip(f"seed article not found at {SEED_PATH} (../shared is absent)")
    return SEED_PATH


@pytest.fixture
def schemas_path():
    if not SCHEMAS_PATH.exists():
        pytest.skip(f"XLIFF schemas not found at {SCHEMAS_PATH} (../shared is absent)")
    return SCHEMAS_PATH


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are asserted in English unless a test switches language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_server():
    """A ``redis-server`` of the test's own on a free port (never the shared one), to
    stop and start (``tests/faults/helpers.py``)."""
    from tests.faults.helpers import RedisServer, redis_server_or_skip

    redis_server_or_skip()
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.close()
