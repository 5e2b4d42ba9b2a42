"""Making, checking and rate-limiting API keys.

A key reads ``tlm_<prefix>_<secret>``: the prefix (8 hex digits) finds the
row along a unique index, the secret (32 random bytes, URL-safe base64) is
compared with the stored SHA-256 digest in constant time. A 32-byte random
secret needs no slow password hash: nobody guesses it, and the digest of a
leaked table gives nothing back.
"""

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import ApiKey

KEY_FORMAT = re.compile(r"tlm_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")
# ``last_used_at`` is written at most this often per key: not a write per request.
LAST_USED_EVERY = timedelta(minutes=1)


def secret_digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    token: str  # shown once; never stored


def api_key_issue(*, api_key, user=None):
    """Save the new ``api_key`` (name, scopes, languages set) with a fresh prefix and secret.

    Returns the full token with it, to be shown to the person once: it is
    stored nowhere, only its digest is kept.
    """
    from translations.audit import audit_record

    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(4)
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        secret = secrets.token_urlsafe(32)
        api_key.prefix = prefix
        api_key.secret_hash = secret_digest(secret)
        api_key.created_by = user
        api_key.save()
        audit_record(
            action="api.key.create",
            actor=user,
            data={"name": api_key.name, "prefix": prefix, "scopes": api_key.scopes,
                  "languages": api_key.languages},
        )  # fmt: skip
    return IssuedKey(api_key, f"tlm_{prefix}_{secret}")


def api_key_find(token):
    """The active key ``token`` names, or None (unknown, malformed, wrong secret, revoked)."""
    match = KEY_FORMAT.fullmatch(token or "")
    if not match:
        return None
    prefix, secret = match.groups()
    api_key = ApiKey.objects.filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, secret_digest(secret)):
        return None
    if api_key.revoked_at is not None:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def rate_limit_wait(api_key):
    """Seconds the key must wait before its next request, or 0 when it may go on.

    A fixed window per key in the cache (``TILMASH_API_RATE`` requests each
    ``TILMASH_API_RATE_SECONDS``), counted with the cache's atomic ``incr`` so
    that several workers share one count. Without a working cache every
    request is let through: the limit protects the desk, it is not a lock.
    """
    limit = settings.TILMASH_API_RATE
    period = settings.TILMASH_API_RATE_SECONDS
    if not limit:
        return 0
    now = time.time()
    window = int(now // period)
    name = f"tilmash:api:rate:{api_key.pk}:{window}"
    if cache.add(name, 1, period + 1):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # expired in between, or no cache
            return 0
    if count <= limit:
        return 0
    return max(1, int((window + 1) * period - now + 0.999))


def api_key_revoke(*, api_key, user):
    """Revoke ``api_key`` now (once; a revoked key stays revoked). Whether it was active."""
    from translations.audit import audit_record

    now = timezone.now()
    revoked = ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        data = {"name": api_key.name, "prefix": api_key.prefix}
        audit_record(action="api.key.revoke", actor=user, data=data)
    return bool(revoked)
