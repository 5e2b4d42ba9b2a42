"""Logs, error mails and error reporting, configured from the environment.

Kept apart from ``config/settings.py`` so each part can be built and tested
on its own:

- :func:`logging_config` is the ``LOGGING`` dictionary: plain text lines on
  standard error by default, one JSON object a line with ``LOG_FORMAT=json``
  (for a log shipper: ``python-json-logger``'s formatter, with the time, level,
  logger, message and any exception as fields), and the 500 mails to
  ``ADMINS`` when there are admins and ``DEBUG`` is off (Django's own
  ``AdminEmailHandler``, which this configuration keeps, sent through the
  default mailer).
- :func:`admins_parse` reads ``ADMINS`` (``"Ann Example <ann@example.kz>, ops@example.kz"``).
- :func:`sentry_init` turns on error reporting to Sentry (or any server that
  speaks its protocol, such as GlitchTip) when ``SENTRY_DSN`` is set: unhandled
  errors in requests and in task workers, with no personal data sent.
"""

import os
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

LOG_FORMATS = ("text", "json")
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d"


def admins_parse(value):
    """``ADMINS`` as Django 6.1 takes it: a list of e-mail addresses (names dropped).

    ``"Ann Example <ann@example.kz>, ops@example.kz"`` → ``["ann@example.kz",
    "ops@example.kz"]``. An entry that is not an address is refused, rather than
    500 mails vanishing into a typo.
    """
    admins = []
    for name, address in getaddresses([value or ""]):
        if not address and not name:
            continue
        if "@" not in address or address.startswith("@") or address.endswith("@"):
            raise ImproperlyConfigured(f"ADMINS: {address or name!r} is not an e-mail address.")
        admins.append(address)
    return admins


def logging_config(*, log_format="text", level="WARNING"):
    """The ``LOGGING`` setting for this format and root level.

    ``ADMINS`` needs no handler here: Django's own logging, which this
    extends, already mails a request's error to ``ADMINS`` when ``DEBUG`` is off
    (its ``mail_admins`` handler on the ``django`` logger).
    """
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}."
        )
    formatters = {}
    console = {"class": "logging.StreamHandler"}
    if log_format == "json":
        formatters["json"] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        }
        console["formatter"] = "json"
    handlers = {"console": console}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters,
        "handlers": handlers,
        "root": {"handlers": ["console"], "level": level},
    }


def sentry_init(dsn, *, environment=None, release=None, traces_sample_rate=0.0):
    """Report unhandled errors to ``dsn``; no-op without one. Returns whether it is on.

    ``send_default_pii`` stays off: no cookies, user ids or IP addresses
    leave the site. Request bodies are not sent either (a draft's text is
    not the error service's business). Errors logged at ``ERROR`` (a task
    that failed on the worker, a failed mail) are reported too, by the SDK's
    logging integration, which is on by default.
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        integrations=[DjangoIntegration()],
    )
    return True


def from_environment(environ=os.environ):
    """What ``config/settings.py`` passes on: the format, the level and the admins."""
    return {
        "log_format": (environ.get("LOG_FORMAT") or "text").strip().lower(),
        "level": environ.get("LOG_LEVEL", "WARNING"),
        "admins": admins_parse(environ.get("ADMINS", "")),
    }
