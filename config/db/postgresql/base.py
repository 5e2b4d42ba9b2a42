"""Django's PostgreSQL backend, checking a kept connection only when there is a reason.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query
of every request on a kept connection: a round trip per request, however
busy the server. Here that check is made only when the connection gives a
reason to doubt it; otherwise the request goes straight to its own queries.
A connection is doubted when

- psycopg already knows it is closed or broken, or it is not idle (a
  transaction left open: Django closes those anyway);
- the server has sent something on it while it was idle: an idle connection
  is never spoken to, so bytes waiting on its socket are the server closing
  it (a restart, ``pg_terminate_backend``, an idle timeout) or a proxy or
  pooler dropping it, which shows as the socket's end of file. Seeing this
  is one ``poll()`` of the socket with no wait, not a round trip;
- it has not been used for ``TILMASH_DB_CHECK_IDLE_SECONDS`` (10 s): a
  connection that sat unused may have been dropped silently on the way
  (a firewall or NAT forgetting it sends nothing).

A doubted connection gets Django's ``SELECT 1``; one that fails it is closed
and the request opens a new one. What this does not see before the request
(the connection lost in the moments since its last use, without a word from
the server) the request's first query meets: it raises ``OperationalError``,
``config.middleware.DatabaseUnavailableMiddleware`` answers 503 with
``Retry-After``, and Django closes the connection at the end of that request
(``errors_occurred``), so the worker's next request connects afresh. Under
load that is at most one such request per worker; the fault tests cut the
connection under gunicorn and see the workers recover.
"""

import select
import time

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import pq

# What poll() reports for a socket the server wrote to or closed.
_SPOKEN = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP


class DatabaseWrapper(base.DatabaseWrapper):
    last_used = 0.0

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self.last_used = time.monotonic()
        return connection

    def create_cursor(self, name=None):
        self.last_used = time.monotonic()
        return super().create_cursor(name)

    def close_if_health_check_failed(self):
        if (
            not self.pool
            and self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.connection_looks_alive()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def connection_looks_alive(self):
        """Whether the kept connection may be used without a round trip (see the module)."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        if time.monotonic() - self.last_used > settings.TILMASH_DB_CHECK_IDLE_SECONDS:
            return False
        try:
            poller = select.poll()
            poller.register(connection.fileno(), _SPOKEN)
            return not poller.poll(0)
        except (OSError, ValueError):
            return False
