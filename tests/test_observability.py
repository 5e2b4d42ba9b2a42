"""Logs, 500 mails and error reporting as an operator configures them (config/observability.py).

JSON logs and Sentry are checked in a real ``manage.py`` process started with the
operator's environment: that is where settings read it. The Sentry test's server is
a local fake that records the envelope the SDK posts to the DSN's project.
"""

import gzip
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import path
from django.utils.log import DEFAULT_LOGGING

from config import urls as site_urls
from config.observability import admins_parse, logging_config
from tests.aids.fake_http import FakeService

ROOT = Path(__file__).resolve().parent.parent


def _boom(request):
    raise RuntimeError("the printing press jammed")


# The site's own URLs too: its middleware reverses some of them.
urlpatterns = [path("boom/", _boom), *site_urls.urlpatterns]


def _manage(*args, env=None, timeout=60):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "LOG_FORMAT", "SENTRY_DSN", "ADMINS"}
    }
    environ.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}, **(env or {}))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_admins_are_read_as_addresses_with_or_without_names():
    assert admins_parse("Ann Example <ann@example.kz>, ops@example.kz") == [
        "ann@example.kz",
        "ops@example.kz",
    ]
    assert admins_parse("") == []


def test_an_admin_that_is_not_an_address_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not an e-mail address"):
        admins_parse("ops-at-example.kz")


def test_an_unknown_log_format_is_refused_with_the_choices():
    with pytest.raises(ImproperlyConfigured, match="text, json"):
        logging_config(log_format="xml")
    result = _manage("check", env={"LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT must be one of text, json" in result.stderr


def test_json_logs_are_one_object_a_line():
    script = (
        "import logging; log = logging.getLogger('tilmash.desk');"
        "log.warning('approved %s', 'kk');"
        "\ntry:\n 1 / 0\nexcept ZeroDivisionError:\n log.exception('worker failed')"
    )
    result = _manage("shell", "-c", script, env={"LOG_FORMAT": "json"})
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert len(lines) == 2, result.stderr
    first, second = lines
    assert first["level"] == "WARNING"
    assert first["logger"] == "tilmash.desk"
    assert first["message"] == "approved kk"
    assert first["time"] and isinstance(first["process"], int)
    assert second["level"] == "ERROR"
    assert "ZeroDivisionError" in second["exc_info"]


def test_text_logs_stay_plain_by_default():
    result = _manage("shell", "-c", "import logging; logging.getLogger('x').warning('plain line')")
    assert result.returncode == 0, result.stderr
    assert "plain line" in result.stderr
    assert not any(line.startswith("{") for line in result.stderr.splitlines())


@pytest.fixture
def admins_logging(settings):
    settings.ADMINS = ["ops@example.kz"]
    settings.DEBUG = False
    # The configuration a server with ADMINS starts with: Django's own, then ours.
    logging.config.dictConfig(DEFAULT_LOGGING)
    logging.config.dictConfig(logging_config())
    yield


@pytest.mark.urls(__name__)
def test_a_server_error_is_mailed_to_the_admins(client, admins_logging):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@example.kz"]
    assert "RuntimeError" in message.subject or "the printing press jammed" in message.body


@pytest.mark.urls(__name__)
def test_no_admins_no_mail(client, settings):
    settings.DEBUG = False
    assert settings.ADMINS == []
    client.raise_request_exception = False
    assert client.get("/boom/").status_code == 500
    assert mail.outbox == []


def _envelope_items(raw, headers):
    body = gzip.decompress(raw) if headers.get("content-encoding") == "gzip" else raw
    return [json.loads(line) for line in body.splitlines() if line.startswith(b"{")]


def test_errors_go_to_the_sentry_dsn_without_personal_data():
    receiver = FakeService().start()
    try:
        receiver.answer(200, {}).answer(200, {}).answer(200, {})
        host = receiver.url.removeprefix("http://")
        script = (
            "import logging, sentry_sdk\n"
            "try:\n 1 / 0\n"
            "except ZeroDivisionError:\n"
            " logging.getLogger('reviews.tasks').exception('the mail task failed')\n"
            "sentry_sdk.flush(5)\n"
        )
        result = _manage(
            "shell",
            "-c",
            script,
            env={"SENTRY_DSN": f"http://publickey@{host}/42", "SENTRY_ENVIRONMENT": "ci"},
        )
        assert result.returncode == 0, result.stderr
    finally:
        receiver.stop()
    posts = [r for r in receiver.received if r.method == "POST"]
    assert posts, "nothing reached the Sentry server"
    assert posts[0].path == "/api/42/envelope/"
    assert "sentry_key=publickey" in posts[0].headers.get("x-sentry-auth", "")
    events = [
        item
        for post in posts
        for item in _envelope_items(post.raw, post.headers)
        if "exception" in item
    ]
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "ZeroDivisionError"
    assert event["environment"] == "ci"
    assert "ip_address" not in json.dumps(event.get("user", {}))


def test_without_a_dsn_nothing_is_reported():
    import sentry_sdk

    assert not sentry_sdk.get_client().is_active()
