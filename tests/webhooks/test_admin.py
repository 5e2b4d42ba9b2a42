"""The admin's webhook pages: subscriptions with their secret, the delivery log, send again."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, editor
from webhooks.events import event_record
from webhooks.models import Delivery, EventType, Subscription

from .test_delivery import tasks_run_due, webhook_tasks

pytestmark = pytest.mark.django_db


def test_an_editor_adds_a_subscription_and_sees_its_secret_once(client):
    client.force_login(editor("erin", is_staff=True))
    response = client.post(
        reverse("admin:webhooks_subscription_add"),
        {"url": "https://cms.example.org/hooks", "events": ["edition.published"],
         "active": "on", "description": "CMS"},
        follow=True,
    )  # fmt: skip
    subscription = Subscription.objects.get()
    assert subscription.events == ["edition.published"]
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    assert subscription.secret in response.text
    page = client.get(reverse("admin:webhooks_subscription_change", args=[subscription.pk]))
    assert subscription.secret not in page.text
    assert subscription.secret[-4:] in page.text


def test_a_superuser_may_read_the_secret_again(client):
    subscription = Subscription.objects.create(url="https://cms.example.org/", events=[])
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:webhooks_subscription_change", args=[subscription.pk]))
    assert subscription.secret in page.text


def test_a_new_secret_is_shown_once_and_replaces_the_old(client):
    subscription = Subscription.objects.create(url="https://cms.example.org/", events=[])
    old = subscription.secret
    client.force_login(editor("erin", is_staff=True))
    response = client.post(
        reverse("admin:webhooks_subscription_changelist"),
        {"action": "secret_rotate", "_selected_action": [subscription.pk]},
        follow=True,
    )
    subscription.refresh_from_db()
    assert subscription.secret != old
    assert subscription.secret in response.text


def test_the_delivery_log_shows_each_attempt_and_sends_again(client, receiver, subscribe):
    subscription = subscribe(EventType.EDITION_PUBLISHED)
    receiver.plan = [(404, 0)]
    event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    tasks_run_due()
    delivery = Delivery.objects.get()
    client.force_login(editor("erin", is_staff=True))
    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert "receiver says no" in page.text and "HTTP 404" in page.text
    listing = client.get(reverse("admin:webhooks_delivery_changelist") + "?status=failed")
    assert str(delivery.subscription) in listing.text

    client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "resend", "_selected_action": [delivery.pk]},
    )
    assert webhook_tasks().filter(status="READY").count() == 1
    tasks_run_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 2, 200)


def test_send_again_refuses_more_than_its_limit(client, monkeypatch):
    monkeypatch.setattr("webhooks.services.RESEND_MAX", 1)
    subscription = Subscription.objects.create(url="https://cms.example.org/", events=[])
    for _n in range(2):
        event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription])
    client.force_login(editor("erin", is_staff=True))
    response = client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {
            "action": "resend",
            "_selected_action": list(Delivery.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "Choose at most 1 delivery to send again." in response.text
    assert not Delivery.objects.filter(series=2).exists()
