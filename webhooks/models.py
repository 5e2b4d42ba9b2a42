"""Subscriptions, the outbox of events, and one delivery per event and subscription."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .addresses import url_validate


class EventType(models.TextChoices):
    EDITION_PUBLISHED = "edition.published", _("An edition was published")
    EDITION_UPDATED = "edition.updated", _("An edition's update was published")
    EDITION_CORRECTED = "edition.corrected", _("An edition's correction was published")
    EDITION_WITHDRAWN = "edition.withdrawn", _("An edition was withdrawn")
    VERSION_SUBMITTED = "version.submitted", _("A version was submitted for review")
    VERSION_CHANGES_REQUESTED = "version.changes_requested", _("Changes were requested")


def secret_generate():
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A system that hears of the desk's events: where, which events, with which secret."""

    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[url_validate],
        help_text=_("Events are sent here as signed JSON POST requests (http or https)."),
    )
    events = models.JSONField(_("events"), default=list)
    # Signing needs the secret itself, so it is kept as it is (not hashed).
    secret = models.CharField(_("secret"), max_length=100, default=secret_generate, editable=False)
    active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["url", "pk"]

    def __str__(self):
        return self.description or self.url

    def wants(self, event_type):
        return self.active and event_type in self.events


class Event(models.Model):
    """One event of the outbox, written in the transaction of the move it reports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("occurred"))
    payload = models.JSONField(_("payload"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        indexes = [models.Index(fields=["-occurred_at"], name="webhooks_event_occurred")]

    def __str__(self):
        return f"{self.type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RETRYING = "retrying", _("Failed, will retry")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One event sent to one subscription: its status and the log of its attempts.

    ``series`` counts "send again": an attempt queued by an earlier series
    finds it changed and does nothing, so one delivery never has two chains of
    retries running.
    """

    # Sent as ``X-Tilmash-Delivery``, the same for every attempt: receivers
    # ignore a delivery they already took by it.
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    series = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response excerpt"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    # Every attempt: {"at", "code", "ms", "error"}, oldest first.
    log = models.JSONField(_("attempts' log"), default=list, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="webhooks_delivery_once")
        ]
        indexes = [models.Index(fields=["-created_at"], name="webhooks_delivery_created")]
        permissions = [("resend_delivery", _("Can send a webhook delivery again"))]

    def __str__(self):
        return str(self.uuid)
