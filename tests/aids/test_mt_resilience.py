"""Retries, backoff and the circuit breaker around an online provider."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.http import http_date

from aids.mt import MachineTranslationError, mt_translate, resilience
from aids.mt.resilience import CircuitBreaker, RetryPolicy, retry_after_seconds
from tests.aids.fake_http import FakeService

pytestmark = pytest.mark.usefixtures("loopback_only", "fresh_providers")

OK = {"translatedText": "Сәлем."}
DOWN = {"error": "Cannot translate text"}


@pytest.fixture
def now(monkeypatch):
    """The breaker's clock, moved by the test."""
    moment = [1000.0]
    monkeypatch.setattr(resilience, "clock", lambda: moment[0])
    return moment


def libre(service, monkeypatch, **options):
    monkeypatch.setenv("LIBRETRANSLATE_URL", service.url)
    settings = {"provider": "libretranslate", "timeout": 0.5, "backoff": 0.01, **options}
    return override_settings(TILMASH_MT={"default": settings})


def draft():
    return mt_translate(text="Hello.", source_language="en", target_language="kk")


def test_backoff_doubles_with_jitter_and_never_undercuts_retry_after(monkeypatch):
    policy = RetryPolicy(backoff=1.0, max_backoff=5.0, jitter=0.25)
    monkeypatch.setattr(resilience.random, "uniform", lambda low, high: high)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [1.25, 2.5, 5.0, 6.25]
    monkeypatch.setattr(resilience.random, "uniform", lambda low, high: low)
    assert [policy.delay(n) for n in (1, 2, 3)] == [0.75, 1.5, 3.0]
    assert policy.delay(1, retry_after=4.0) == 4.0


def test_retry_after_is_read_as_seconds_or_as_a_date():
    assert retry_after_seconds("7") == 7.0
    in_a_minute = timezone.now() + datetime.timedelta(seconds=60)
    assert 55 <= retry_after_seconds(http_date(in_a_minute.timestamp())) <= 60
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_retry_after_beyond_the_wait_budget_is_reported_not_waited(service, monkeypatch, slept):
    service.answer(429, {"error": "Slowdown"}, {"Retry-After": "30"})
    with libre(service, monkeypatch, max_wait=10), pytest.raises(
        MachineTranslationError, match=r"limiting requests \(too many\)\. Try again in 30 s\."
    ):
        draft()
    assert len(service.received) == 1 and slept == []


def test_the_breaker_opens_after_consecutive_failures_and_spares_the_service(
    service, monkeypatch, slept, now
):
    service.answer(500, DOWN).answer(500, DOWN)
    with libre(service, monkeypatch, attempts=1, breaker_failures=2, breaker_cooldown=60):
        for _ in range(2):
            with pytest.raises(MachineTranslationError, match="unavailable"):
                draft()
        with pytest.raises(MachineTranslationError,
                           match="paused after repeated failures; it is tried again in 60 s"):
            draft()
    assert len(service.received) == 2  # the third call never left


def test_after_the_cooldown_one_trial_call_closes_it_again(service, monkeypatch, slept, now):
    service.answer(500, DOWN).answer(500, DOWN).answer(200, OK).answer(200, OK)
    with libre(service, monkeypatch, attempts=1, breaker_failures=2, breaker_cooldown=60):
        for _ in range(2):
            with pytest.raises(MachineTranslationError):
                draft()
        now[0] += 61
        assert draft() == "Сәлем."  # half-open: the trial succeeds
        assert draft() == "Сәлем."  # closed
    assert len(service.received) == 4


def test_a_failed_trial_opens_it_for_another_cooldown(service, monkeypatch, slept, now):
    service.answer(500, DOWN).answer(500, DOWN).answer(503, DOWN)
    with libre(service, monkeypatch, attempts=1, breaker_failures=2, breaker_cooldown=60):
        for _ in range(2):
            with pytest.raises(MachineTranslationError):
                draft()
        now[0] += 61
        with pytest.raises(MachineTranslationError, match=r"HTTP 503"):
            draft()
        with pytest.raises(MachineTranslationError, match="paused"):
            draft()
    assert len(service.received) == 3


def test_a_text_the_service_rejects_does_not_count_against_it(service, monkeypatch, now):
    service.answer(400, {"error": "Invalid request"}).answer(400, {"error": "Invalid request"})
    service.answer(200, OK)
    with libre(service, monkeypatch, attempts=1, breaker_failures=2):
        for _ in range(2):
            with pytest.raises(MachineTranslationError, match="Invalid request"):
                draft()
        assert draft() == "Сәлем."


def test_a_success_resets_the_count_of_failures(now):
    breaker = CircuitBreaker(failures=2, cooldown=60)
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == CircuitBreaker.CLOSED and breaker.allow()


def test_in_half_open_only_one_trial_goes_out_at_a_time(now):
    breaker = CircuitBreaker(failures=1, cooldown=60)
    breaker.record_failure()
    assert not breaker.allow()
    now[0] += 60
    assert breaker.state == CircuitBreaker.HALF_OPEN
    assert breaker.allow() and not breaker.allow()


def test_each_provider_has_its_own_breaker(service, monkeypatch, slept, now):
    service.answer(500, DOWN)
    with libre(service, monkeypatch, attempts=1, breaker_failures=1):
        with pytest.raises(MachineTranslationError):
            draft()
        with pytest.raises(MachineTranslationError, match="paused"):
            draft()
    other = FakeService().start()
    try:
        other.answer(200, OK)
        with libre(other, monkeypatch, attempts=1, breaker_failures=1):
            assert draft() == "Сәлем."
    finally:
        other.stop()


def test_no_new_try_starts_once_the_time_budget_is_spent(service, monkeypatch, slept):
    service.hang().hang()
    with libre(service, monkeypatch, timeout=0.5, attempts=3, max_wait=0.4), pytest.raises(
        MachineTranslationError, match="did not answer"
    ):
        draft()
    assert len(service.received) == 1 and slept == []
