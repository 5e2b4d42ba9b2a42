"""The admin's writes on webhooks: "send again", a new secret."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from translations.audit import audit_record

from .models import Delivery, DeliveryStatus, Subscription, secret_generate
from .tasks import webhook_deliver

RESEND_MAX = 500  # deliveries one "send again" queues


def delivery_resend(*, deliveries, user):
    """Queue a new attempt at each of ``deliveries`` (ids or objects, at most
    ``RESEND_MAX``); return how many.

    Starts a new series: attempts still queued from an earlier one do nothing.
    A delivered event is sent again too (the receiver sees the same delivery id).
    """
    if not user.has_perm("webhooks.resend_delivery"):
        raise PermissionDenied(_("You may not send webhook deliveries again."))
    ids = [getattr(d, "pk", d) for d in deliveries]
    if len(ids) > RESEND_MAX:
        raise ValidationError(
            ngettext(
                "Choose at most %(count)d delivery to send again.",
                "Choose at most %(count)d deliveries to send again.",
                RESEND_MAX,
            )
            % {"count": RESEND_MAX}
        )
    with transaction.atomic():
        locked = list(Delivery.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        Delivery.objects.filter(pk__in=[d.pk for d in locked]).update(
            series=F("series") + 1, status=DeliveryStatus.PENDING, next_attempt_at=None
        )
        for delivery in locked:
            webhook_deliver.enqueue(delivery_id=delivery.pk, series=delivery.series + 1)
        audit_record(
            action="webhooks.delivery.resend",
            actor=user,
            data={"deliveries": [d.pk for d in locked]},
        )
    return len(locked)


def subscription_secret_rotate(*, subscription, user):
    """Give ``subscription`` a new secret (the old one stops verifying at once); return it."""
    if not user.has_perm("webhooks.change_subscription"):
        raise PermissionDenied(_("You may not change webhook subscriptions."))
    secret = secret_generate()
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(secret=secret)
        audit_record(
            action="webhooks.subscription.secret_rotate",
            actor=user,
            data={"subscription": subscription.pk, "url": subscription.url},
        )
    subscription.secret = secret
    return secret
