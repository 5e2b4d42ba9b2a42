from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from webhooks.events import event_record
from webhooks.models import Delivery, Event, EventType, Subscription

pytestmark = pytest.mark.django_db


def test_prune_deletes_old_events_and_their_log_but_keeps_open_deliveries():
    subscription = Subscription.objects.create(url="https://cms.example.org/", events=[])
    long_ago = timezone.now() - timedelta(days=40)
    old_done, old_waiting, recent = (
        event_record(event_type=EventType.EDITION_PUBLISHED, body={}, subscriptions=[subscription],
                     occurred_at=moment)
        for moment in (long_ago, long_ago, timezone.now())
    )  # fmt: skip
    Delivery.objects.filter(event=old_done).update(status="delivered")
    call_command("webhooks_prune", "--min-age-days", "30")
    assert set(Event.objects.values_list("pk", flat=True)) == {old_waiting.pk, recent.pk}
    assert not Delivery.objects.filter(event_id=old_done.pk).exists()
