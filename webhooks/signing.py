"""The signature of a webhook request (README, "Webhooks", shows a receiver's check).

``X-Tilmash-Signature: sha256=<hex>`` where ``<hex>`` is the HMAC-SHA256, keyed
with the subscription's secret, of ``f"{timestamp}.{body}"``: the value of
``X-Tilmash-Timestamp`` (Unix seconds), a dot, and the request's body exactly
as sent (UTF-8 bytes). The timestamp lets a receiver refuse old requests
replayed; the delivery id (``X-Tilmash-Delivery``) lets it ignore a repeat.
"""

import hashlib
import hmac
import json

SIGNATURE_PREFIX = "sha256="


def body_encode(payload):
    """The request body of ``payload``: compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature(*, secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_valid(*, secret, timestamp, body, header):
    """Whether ``header`` is the signature of ``body`` at ``timestamp`` (constant time)."""
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), header)
