"""Which URLs a subscription may name: http(s) only, and no private addresses by default."""

import socket

import pytest
from django.core.exceptions import ValidationError

from webhooks import addresses
from webhooks.addresses import url_refusal, url_validate
from webhooks.events import event_record
from webhooks.models import Delivery, EventType, Subscription

from .test_delivery import tasks_run_due


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/hook", "file:///etc/passwd", "gopher://example.org/", "example.org/hook",
     "https://user:pw@example.org/hook"],
)  # fmt: skip
def test_only_http_urls_without_credentials(url, settings):
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = True
    with pytest.raises(ValidationError):
        url_validate(url)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.1.2.3/", "http://[::1]/",
     "http://169.254.169.254/latest/meta-data/", "http://192.168.0.10/", "http://0.0.0.0/",
     "http://app.localhost/"],
)  # fmt: skip
def test_private_addresses_are_refused_unless_allowed(url, settings):
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError):
        url_validate(url)
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = True
    url_validate(url)


def test_a_public_address_is_allowed(settings):
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = False
    url_validate("https://93.184.216.34/hook")
    assert url_refusal("https://93.184.216.34/hook") == ""


def test_a_name_resolving_inside_the_network_is_refused_before_sending(settings, monkeypatch):
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(
        "socket.getaddrinfo", lambda *args, **kwargs: [(2, 1, 6, "", ("10.0.0.7", 443))]
    )
    assert "10.0.0.7" in url_refusal("https://hooks.example.org/in")


@pytest.mark.django_db
def test_a_delivery_to_a_private_address_fails_without_a_request(receiver, settings):
    subscription = Subscription.objects.create(url=receiver.url, events=["edition.published"])
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = False
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert "inside the network" in delivery.error
    assert receiver.requests == []


class Rebinding:
    """A resolver that answers a public address first, then the receiver's own."""

    def __init__(self, real):
        self.real, self.calls = real, 0

    def __call__(self, host, port, *args, **kwargs):
        self.calls += 1
        if host != "hooks.example.org":
            return self.real(host, port, *args, **kwargs)
        address = "93.184.216.34" if self.calls == 1 else "127.0.0.1"
        return self.real(address, port, *args, **kwargs)


@pytest.mark.django_db
def test_a_name_rebound_inside_after_the_check_is_refused_once_connected(
    receiver, settings, monkeypatch
):
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = False
    port = receiver.server.server_address[1]
    subscription = Subscription.objects.create(
        url=f"http://hooks.example.org:{port}/hook", events=["edition.published"]
    )
    resolver = Rebinding(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    delivery = Delivery.objects.get()
    assert resolver.calls >= 2  # checked, then resolved again by the connection
    assert (delivery.status, receiver.requests) == ("failed", [])
    assert "inside the network (127.0.0.1)" in delivery.error


@pytest.mark.django_db
def test_a_checked_connection_to_a_public_peer_delivers(receiver, settings, monkeypatch):
    settings.TILMASH_WEBHOOKS_ALLOW_PRIVATE = False
    monkeypatch.setattr(addresses, "address_public", lambda address: address == "127.0.0.1")
    subscription = Subscription.objects.create(url=receiver.url, events=["edition.published"])
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    assert Delivery.objects.get().status == "delivered"
    assert len(receiver.requests) == 1
