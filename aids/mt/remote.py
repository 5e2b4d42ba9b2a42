"""What the online providers share: settings from the environment, one HTTP call,
its failures sorted for :mod:`aids.mt.resilience`."""

import logging
import os
import threading
from abc import abstractmethod

import requests
from django.utils.translation import gettext as _

from .base import MachineTranslationError, MachineTranslationProvider
from .resilience import (
    ProviderFailure,
    RetryPolicy,
    breaker_for,
    call_resilient,
    retry_after_seconds,
)

logger = logging.getLogger(__name__)

_sessions = threading.local()


def http_session():
    """This thread's ``requests`` session (kept, so connections to a provider are reused)."""
    session = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = requests.Session()
    return session


def from_environment(variable, *, label, required=True):
    """The value of an environment variable named in the settings (keys and URLs live
    only there); a clear error when a required one is unset."""
    value = os.environ.get(variable, "").strip() if variable else ""
    if required and not value:
        raise MachineTranslationError(
            _("%(provider)s is not configured: the environment variable %(variable)s is "
              "not set.") % {"provider": label, "variable": variable or "?"}
        )
    return value


def error_detail(response):
    """The provider's own words about an error, from the usual JSON bodies
    (``{"error": "..."}``, ``{"error": {"message": ...}}``, ``{"message": ...}``)."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            error = error.get("message") or error.get("detail") or ""
        if isinstance(error, str):
            return error.strip()[:200]
    return ""


def status_failure(status, *, label, detail="", retry_after=None):
    """The :class:`ProviderFailure` for an HTTP error status."""
    values = {"provider": label, "status": status, "detail": detail}
    if status == 429:
        return ProviderFailure(
            _("%(provider)s is limiting requests (too many).") % values,
            transient=True, retry_after=retry_after,
        )
    if status >= 500:
        return ProviderFailure(
            _("%(provider)s is unavailable (HTTP %(status)s).") % values,
            transient=True, retry_after=retry_after,
        )
    if status in (401, 403):
        return ProviderFailure(
            _("%(provider)s refused the credentials (HTTP %(status)s): check its key.") % values
        )
    if detail:
        return ProviderFailure(
            _("%(provider)s could not translate this: %(detail)s") % values, counts=False
        )
    return ProviderFailure(
        _("%(provider)s could not translate this (HTTP %(status)s).") % values, counts=False
    )


class RemoteProvider(MachineTranslationProvider):
    """An online service: :meth:`request` makes one attempt; :meth:`translate` adds the
    timeout, retries and the breaker. Options come from ``settings.TILMASH_MT``."""

    def __init__(self, *, timeout=10.0, attempts=3, backoff=0.5, max_backoff=8.0,
                 max_wait=10.0, breaker_failures=5, breaker_cooldown=60.0):
        self.timeout = float(timeout)
        self.policy = RetryPolicy(attempts=int(attempts), backoff=float(backoff),
                                  max_backoff=float(max_backoff), max_wait=float(max_wait))
        self.breaker_failures = int(breaker_failures)
        self.breaker_cooldown = float(breaker_cooldown)

    @property
    def breaker_key(self):
        return self.name

    def translate(self, text, source_language, target_language):
        if not text.strip():
            return ""
        breaker = breaker_for(self.breaker_key, failures=self.breaker_failures,
                              cooldown=self.breaker_cooldown)
        return call_resilient(
            lambda: self._attempt(text, source_language, target_language),
            label=str(self.label), policy=self.policy, breaker=breaker,
        )

    def _attempt(self, text, source_language, target_language):
        try:
            return self.request(text, source_language, target_language)
        except (ProviderFailure, MachineTranslationError):
            raise
        except Exception as error:  # a bug or a surprise must not break the editor's page
            logger.exception("%s failed unexpectedly", self.name)
            raise ProviderFailure(
                _("%(provider)s failed unexpectedly.") % {"provider": self.label}
            ) from error

    @abstractmethod
    def request(self, text, source_language, target_language):
        """One attempt: the translation, or :class:`ProviderFailure`."""

    def post_json(self, url, *, body, headers=None):
        """POST ``body`` as JSON; the decoded JSON answer, or :class:`ProviderFailure`."""
        label = self.label
        try:
            response = http_session().post(url, json=body, headers=headers or {},
                                           timeout=self.timeout)
        except requests.Timeout as error:
            raise ProviderFailure(
                _("%(provider)s did not answer within %(seconds)s s.")
                % {"provider": label, "seconds": f"{self.timeout:g}"},
                transient=True,
            ) from error
        except requests.RequestException as error:
            raise ProviderFailure(
                _("%(provider)s could not be reached.") % {"provider": label}, transient=True
            ) from error
        if response.status_code >= 400:
            raise status_failure(
                response.status_code, label=label, detail=error_detail(response),
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        try:
            return response.json()
        except ValueError as error:
            raise ProviderFailure(
                _("%(provider)s answered with something that is not a translation.")
                % {"provider": label}
            ) from error

    def unreadable(self):
        return ProviderFailure(
            _("%(provider)s answered with something that is not a translation.")
            % {"provider": self.label}
        )
