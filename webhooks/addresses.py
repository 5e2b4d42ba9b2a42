"""Which URLs a subscription may name, so that webhooks cannot reach inside the network.

A subscription's URL is http or https with a host and no credentials. Unless
``TILMASH_WEBHOOKS_ALLOW_PRIVATE`` is on (tests, the demo, a receiver on the
newsroom's own network), a host that is or resolves to a loopback, private,
link-local or otherwise non-public address is refused: when the subscription
is saved (an address or ``localhost`` written in the URL), before every
attempt (what the name resolves to then) and once connected (``transport``).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOCAL_NAMES = {"localhost", "localhost.localdomain"}


def _allow_private():
    return settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE


def address_public(address):
    """Whether ``address`` (an IPv4 or IPv6 literal) is a public one."""
    return ipaddress.ip_address(address.split("%", 1)[0]).is_global


def url_validate(url):
    """Refuse (``ValidationError``) a URL a subscription may not name."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter an http or https URL."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(
            _("Leave credentials out of the URL: the signature authenticates each request."),
            code="credentials",
        )
    if _allow_private():
        return
    host = parts.hostname.rstrip(".").lower()
    try:
        literal = not address_public(host)
    except ValueError:
        literal = False
    if literal or host in LOCAL_NAMES or host.endswith(".localhost"):
        raise ValidationError(
            _("This URL points inside the network: webhooks go to public addresses only."),
            code="private",
        )


def url_refusal(url):
    """Why a request to ``url`` must not be made now, or ``""``; resolves its host.

    A name that does not resolve is not refused here: the attempt fails with a
    connection error, and is retried, as it would be for any network fault.
    """
    try:
        url_validate(url)
    except ValidationError as error:
        return " ".join(error.messages)
    if _allow_private():
        return ""
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ""
    inside = sorted({info[4][0] for info in infos if not address_public(info[4][0])})
    return inside_message(url, inside[0]) if inside else ""


def inside_message(url, address):
    return _("%(host)s resolves to an address inside the network (%(address)s).") % {
        "host": urlsplit(url).hostname,
        "address": address,
    }
