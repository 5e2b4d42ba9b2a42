"""The HTTP session a delivery is sent through: the address it connects to is checked.

Checking a host's name before the request (``addresses.url_refusal``) leaves a
gap: the request resolves the name again, and a DNS server that answers
differently the second time would steer it inside the network. So, unless
``TILMASH_WEBHOOKS_ALLOW_PRIVATE`` is on, each connection's peer address is
checked once connected, before a byte is sent, and the request goes straight
to the receiver (no proxy from the environment: it would be the peer).
"""

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import addresses


class InsideAddress(OSError):
    """A connection reached an address inside the network."""


class _PeerChecked:
    refusals = None  # the session's list, set on the class made per session

    def _new_conn(self):
        sock = super()._new_conn()
        address = sock.getpeername()[0]
        if not addresses.address_public(address):
            sock.close()
            self.refusals.append(address)
            raise InsideAddress(address)
        return sock


class _Adapter(HTTPAdapter):
    def __init__(self, refusals):
        self.refusals = refusals
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        attrs = {"refusals": self.refusals}
        http = type("CheckedHTTPConnection", (_PeerChecked, HTTPConnection), attrs)
        https = type("CheckedHTTPSConnection", (_PeerChecked, HTTPSConnection), attrs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }


def session_open():
    """``(session, refusals)``: a session for one delivery, and the list of peer
    addresses it refused (empty unless it refused one)."""
    session = requests.Session()
    refusals = []
    if not settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE:
        session.trust_env = False
        adapter = _Adapter(refusals)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    return session, refusals
