"""``/healthz``: a load balancer's probe of the database."""

import pytest
from django.db import OperationalError, connections
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(type(connections["default"]), "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content != b"ok"


def test_healthz_touches_no_session(client):
    response = client.get("/healthz")

    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    assert client.get("/healthz").status_code == 200
    assert client.get("/en/").status_code == 301


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_names_the_cache_an_operator_chose(client, settings):
    assert client.get("/healthz")["X-Tilmash-Cache"] == "local"  # the test settings' locmem
    settings.CACHE_KIND = "none"
    response = client.get("/healthz")
    assert response["X-Tilmash-Cache"] == "none"
    assert response.content == b"ok"  # no cache is a choice, not an outage
