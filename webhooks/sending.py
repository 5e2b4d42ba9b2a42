"""One attempt at a delivery: sign, POST, record, and queue the next attempt if it may help.

Retried (after ``TILMASH_WEBHOOK_RETRY_DELAYS``: 1, 4, 16, 64 minutes and 4
hours) on a timeout, a connection error, a 5xx, 408 or 429; not on another
4xx, a redirect (never followed) or a URL refused as inside the network: the
receiver or the subscription must change first, then "send again". No
transaction is held while the request runs (on SQLite it would hold the
database's write lock); the result is written after it, in one.
"""

import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .addresses import inside_message, url_refusal
from .models import Delivery, DeliveryStatus
from .signing import body_encode, signature
from .tasks import webhook_deliver
from .transport import session_open

logger = logging.getLogger(__name__)

EXCERPT_BYTES = 1000
ERROR_CHARS = 500
RETRY_CODES = {408, 429}
USER_AGENT = "Tilmash-Webhooks/1"


def retry_delays():
    return settings.TILMASH_WEBHOOK_RETRY_DELAYS


def request_send(delivery):
    """POST the delivery's event; return ``(code, excerpt, error, retry)``."""
    subscription, event = delivery.subscription, delivery.event
    refusal = url_refusal(subscription.url)
    if refusal:
        return None, "", refusal, False
    body = body_encode(event.payload)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Tilmash-Event": event.type,
        "X-Tilmash-Delivery": str(delivery.uuid),
        "X-Tilmash-Timestamp": timestamp,
        "X-Tilmash-Signature": signature(
            secret=subscription.secret, timestamp=timestamp, body=body
        ),
    }
    timeout = (settings.TILMASH_WEBHOOK_CONNECT_TIMEOUT, settings.TILMASH_WEBHOOK_READ_TIMEOUT)
    session, refusals = session_open()
    try:
        with (
            session,
            session.post(
                subscription.url,
                data=body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
            ) as response,
        ):
            excerpt = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
    except requests.Timeout as exc:
        return None, "", f"timed out: {exc}", True
    except requests.RequestException as exc:
        if refusals:
            return None, "", inside_message(subscription.url, refusals[0]), False
        return None, "", f"could not connect: {exc}", True
    code = response.status_code
    excerpt = excerpt.decode(response.encoding or "utf-8", errors="replace")
    if 200 <= code < 300:
        return code, excerpt, "", False
    if 300 <= code < 400:
        location = response.headers.get("Location", "?")
        return code, excerpt, f"redirect to {location} not followed", False
    return code, excerpt, f"HTTP {code}", code >= 500 or code in RETRY_CODES


def delivery_attempt(*, delivery_id, series, attempt):
    """Make attempt ``attempt`` (1, 2, … of this series) at delivery ``delivery_id``.

    Returns what happened, for the task's result, or ``None`` when there was
    nothing to do (the delivery gone, delivered, or sent again meanwhile).
    """
    delivery = (
        Delivery.objects.select_related("event", "subscription").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.series != series or delivery.status == DeliveryStatus.DELIVERED:
        return None
    if not delivery.subscription.active:
        code, excerpt, error, retry, duration = None, "", "the subscription is inactive", False, 0
    else:
        started = time.monotonic()
        code, excerpt, error, retry = request_send(delivery)
        duration = round((time.monotonic() - started) * 1000)
    now = timezone.now()
    delays = retry_delays()
    retry = retry and attempt <= len(delays)
    with transaction.atomic():
        current = Delivery.objects.select_for_update().filter(pk=delivery_id, series=series)
        if not current.exists():
            return None  # sent again while this attempt ran: the new series reports
        status = (
            DeliveryStatus.DELIVERED
            if not error
            else DeliveryStatus.RETRYING
            if retry
            else DeliveryStatus.FAILED
        )
        next_at = now + timedelta(seconds=delays[attempt - 1]) if retry else None
        entry = {"at": now.isoformat(), "code": code, "ms": duration, "error": error[:ERROR_CHARS]}
        delivery.log = [*delivery.log, entry]
        delivery.attempts += 1
        delivery.status = status
        delivery.last_attempt_at = now
        delivery.next_attempt_at = next_at
        delivery.delivered_at = now if status == DeliveryStatus.DELIVERED else None
        delivery.response_code = code
        delivery.response_excerpt = excerpt
        delivery.duration_ms = duration
        delivery.error = error[:ERROR_CHARS]
        delivery.save(
            update_fields=[
                "log", "attempts", "status", "last_attempt_at", "next_attempt_at",
                "delivered_at", "response_code", "response_excerpt", "duration_ms", "error",
            ]
        )  # fmt: skip
        if retry:
            webhook_deliver.using(run_after=next_at).enqueue(
                delivery_id=delivery.pk, series=series, attempt=attempt + 1
            )
    if error:
        logger.warning(
            "webhook %s to %s, attempt %d: %s%s",
            delivery.event.type, delivery.subscription.url, attempt, error,
            f"; next attempt {next_at:%Y-%m-%d %H:%M:%S %Z}" if retry else "",
        )  # fmt: skip
    return {"status": status, "code": code, "attempt": attempt}
