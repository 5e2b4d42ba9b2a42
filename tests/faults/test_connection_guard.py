"""A kept PostgreSQL connection is checked only when it gives a reason to doubt it.

``config.db.postgresql`` replaces Django's ``SELECT 1`` before every request
with a look at the connection's own state: these tests count the round trips
of the request cycle Django runs (``request_started`` / ``request_finished``)
and end the connection from the server's side.
"""

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept(settings):
    """A kept connection with health checks on, as in production, on its own wrapper."""
    alias = "default"
    wrapper = connections.create_connection(alias)
    wrapper.settings_dict = {
        **wrapper.settings_dict,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    wrapper.health_check_enabled = True
    settings.TILMASH_DB_CHECK_IDLE_SECONDS = 10
    try:
        yield wrapper
    finally:
        wrapper.close()


def request_with_one_query(wrapper, statements):
    """What one request does with the connection: the cycle's hooks and one query."""
    wrapper.close_if_unusable_or_obsolete()  # as request_started does
    statements.clear()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)
    wrapper.close_if_unusable_or_obsolete()  # as request_finished does
    return list(statements)


@pytest.fixture
def statements(kept):
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    kept.execute_wrappers.append(record)
    return sent


def test_the_guard_is_the_backend_in_use():
    assert connection.settings_dict["ENGINE"] == "config.db.postgresql"
    assert type(connections["default"]).__module__ == "config.db.postgresql.base"


def test_a_busy_kept_connection_makes_no_health_check_round_trip(kept, statements, monkeypatch):
    checks = []
    monkeypatch.setattr(type(kept), "is_usable", lambda self: checks.append(1) or True)
    request_with_one_query(kept, statements)
    first = kept.connection

    for _request in range(3):
        assert request_with_one_query(kept, statements) == ["SELECT 2"]

    assert kept.connection is first
    assert checks == []


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(kept, statements):
    request_with_one_query(kept, statements)
    first = kept.connection
    backend = first.info.backend_pid
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    # The server's goodbye reaches the idle connection's socket.
    assert _wait_for(lambda: not kept.connection_looks_alive())

    assert request_with_one_query(kept, statements) == ["SELECT 2"]  # no error

    assert kept.connection is not first
    assert kept.connection.info.backend_pid != backend


def test_a_connection_idle_too_long_gets_the_full_check(kept, statements, settings, monkeypatch):
    checks = []
    real = type(kept).is_usable
    monkeypatch.setattr(type(kept), "is_usable", lambda self: checks.append(1) or real(self))
    request_with_one_query(kept, statements)
    kept.last_used -= 11

    request_with_one_query(kept, statements)
    request_with_one_query(kept, statements)

    assert checks == [1]  # once after the idle spell, not on the busy request after it


def _wait_for(condition, timeout=5.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
