"""The worker's side of webhooks: one task per delivery attempt."""

from django.tasks import task


@task
def webhook_deliver(*, delivery_id, series, attempt=1):
    """Make one attempt at a delivery: ``webhooks.sending.delivery_attempt``.

    A failed attempt is recorded on the delivery (its log in the admin) and
    the next one queued with backoff; the task itself ends successfully.
    """
    from .sending import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id, series=series, attempt=attempt)
