"""``manage.py webhooks_prune``: delete old webhook events and their delivery log."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils import timezone

from webhooks.models import Delivery, DeliveryStatus, Event

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Delete webhook events older than --min-age-days with their deliveries; events with a "
        "delivery still waiting or retrying are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--min-age-days", type=int, default=30)

    def handle(self, *args, min_age_days, **options):
        cutoff = timezone.now() - timedelta(days=min_age_days)
        open_deliveries = Delivery.objects.filter(
            event=OuterRef("pk"), status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]
        )
        old = Event.objects.filter(occurred_at__lt=cutoff).exclude(Exists(open_deliveries))
        deleted = 0
        # In batches, so that no one statement holds the tables for long.
        while ids := list(old.values_list("pk", flat=True)[:BATCH]):
            Event.objects.filter(pk__in=ids).delete()
            deleted += len(ids)
        self.stdout.write(f"{deleted} webhook events deleted (older than {min_age_days} days).")
