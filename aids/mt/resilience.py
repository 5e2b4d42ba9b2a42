"""Retries with backoff and a circuit breaker around one online provider.

A provider's single attempt raises :class:`ProviderFailure`; :func:`call_resilient`
retries the transient ones (timeouts, refused connections, HTTP 429 and 5xx)
with exponential backoff and jitter, waiting at least what ``Retry-After`` asks,
as long as the next try would start within ``max_wait`` seconds of the first:
the editor waits for the answer, so a provider that asks for a minute's pause,
or that hangs until its timeout, gets a message instead of a page held for
minutes (a call lasts at most about ``max_wait`` plus one timeout).

The breaker counts consecutive failed calls per provider. After ``failures`` of
them it opens: calls fail at once, without touching the network, for
``cooldown`` seconds; then one trial call goes through (half-open) and its
outcome closes or reopens it. The state lives in this process (each gunicorn
worker keeps its own); that is enough to stop one worker from hammering a
service that is down, and needs no shared store that could itself fail.
"""

import random
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .base import MachineTranslationError

sleep = time.sleep  # replaced in tests, which check the delays instead of waiting them
clock = time.monotonic


class ProviderFailure(Exception):
    """One attempt failed. ``message`` is for the translator's row.

    ``transient``: worth another try (timeouts, 429, 5xx). ``counts``: tells
    against the service's health (a refused key does; a text the service
    rejects as invalid does not, the service answered).
    """

    def __init__(self, message, *, transient=False, counts=True, retry_after=None):
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.counts = counts
        self.retry_after = retry_after


def retry_after_seconds(value):
    """``Retry-After`` as seconds (it is either a number or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # tries in all, the first included
    backoff: float = 0.5  # first delay in seconds, doubled each time
    max_backoff: float = 8.0
    jitter: float = 0.25  # each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
    max_wait: float = 10.0  # no new try starts later than this many seconds after the first

    def delay(self, attempt, retry_after=None):
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        backoff = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        backoff *= random.uniform(1 - self.jitter, 1 + self.jitter)
        return max(backoff, retry_after or 0.0)


class CircuitBreaker:
    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"

    def __init__(self, *, failures=5, cooldown=60.0):
        self.threshold = failures
        self.cooldown = cooldown
        self.failures = 0
        self.opened_at = None
        self.trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self):
        if self.opened_at is None:
            return self.CLOSED
        if clock() - self.opened_at >= self.cooldown:
            return self.HALF_OPEN
        return self.OPEN

    def seconds_left(self):
        if self.opened_at is None:
            return 0
        return max(0, int(self.cooldown - (clock() - self.opened_at) + 0.999))

    def allow(self):
        """Whether a call may go out now (in half-open, only one at a time)."""
        with self._lock:
            state = self.state
            if state == self.CLOSED:
                return True
            if state == self.HALF_OPEN and not self.trial_running:
                self.trial_running = True
                return True
            return False

    def record_success(self):
        with self._lock:
            self.failures = 0
            self.opened_at = None
            self.trial_running = False

    def record_failure(self):
        with self._lock:
            self.failures += 1
            if self.trial_running or self.failures >= self.threshold:
                self.opened_at = clock()
            self.trial_running = False


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(key, *, failures=5, cooldown=60.0):
    """The process's breaker for one provider (created on first use)."""
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            breaker = _breakers[key] = CircuitBreaker(failures=failures, cooldown=cooldown)
        return breaker


def breakers_reset():
    """Forget every breaker (tests; a new process starts with none)."""
    with _breakers_lock:
        _breakers.clear()


def call_resilient(attempt, *, label, policy, breaker):
    """``attempt()`` with retries, behind ``breaker``; :class:`MachineTranslationError` if
    it cannot succeed."""
    if not breaker.allow():
        raise MachineTranslationError(
            _("%(provider)s is paused after repeated failures; it is tried again in "
              "%(seconds)d s.") % {"provider": label, "seconds": breaker.seconds_left()}
        )
    started = time.monotonic()
    waited = 0.0  # slept between tries (counted apart: tests record sleeps, not wait them)
    try_number = 0
    while True:
        try_number += 1
        try:
            result = attempt()
        except ProviderFailure as failure:
            delay = policy.delay(try_number, failure.retry_after)
            spent = time.monotonic() - started + waited
            if failure.transient and try_number < policy.attempts:
                if spent + delay <= policy.max_wait:
                    sleep(delay)
                    waited += delay
                    continue
            if failure.counts:
                breaker.record_failure()
            else:
                breaker.record_success()  # it answered: the service is up
            message = failure.message
            if failure.retry_after and spent + failure.retry_after > policy.max_wait:
                message = _("%(message)s Try again in %(seconds)d s.") % {
                    "message": message, "seconds": int(failure.retry_after + 0.999)}
            raise MachineTranslationError(message) from failure
        except BaseException:
            breaker.record_failure()
            raise
        breaker.record_success()
        return result
