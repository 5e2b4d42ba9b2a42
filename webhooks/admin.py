"""Webhook subscriptions (editors manage them) and the delivery log (read-only, "send again")."""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services
from .forms import SubscriptionForm
from .models import Delivery, EventType, Subscription

SECRET_SHOWN = "whsec_…"


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["url", "description", "active", "events_list", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    actions = ["secret_rotate"]

    def get_readonly_fields(self, request, obj=None):
        # Superusers may read the secret again; others see it once, when it is made.
        secret = "secret" if request.user.is_superuser else "secret_masked"
        return [secret, "created_at", "created_by"]

    def get_fields(self, request, obj=None):
        fields = ["url", "events", "active", "description"]
        return fields if obj is None else [*fields, *self.get_readonly_fields(request, obj)]

    @admin.display(description=gettext_lazy("Events"))
    def events_list(self, subscription):
        labels = dict(EventType.choices)
        return ", ".join(str(labels.get(e, e)) for e in subscription.events)

    @admin.display(description=gettext_lazy("Secret"))
    def secret_masked(self, subscription):
        return SECRET_SHOWN + subscription.secret[-4:]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self._secret_say(request, obj.secret)
        return super().response_add(request, obj, post_url_continue)

    def _secret_say(self, request, secret):
        self.message_user(
            request,
            format_html(
                "{} <code>{}</code>",
                _("The secret that signs this subscription's requests (copy it now: "
                  "it is not shown again):"),
                secret,
            ),
            messages.WARNING,
        )  # fmt: skip

    @admin.action(permissions=["change"], description=gettext_lazy("Give a new secret"))
    def secret_rotate(self, request, queryset):
        subscriptions = list(queryset[:2])
        if len(subscriptions) != 1:
            self.message_user(request, _("Choose one subscription."), messages.ERROR)
            return
        try:
            secret = services.subscription_secret_rotate(
                subscription=subscriptions[0], user=request.user
            )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self._secret_say(request, secret)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "event_type", "subscription", "status", "attempts",
        "response_code", "duration_ms", "last_attempt_at", "next_attempt_at",
    ]  # fmt: skip
    list_filter = ["status", "event__type", "subscription"]
    list_select_related = ["event", "subscription"]
    ordering = ["-created_at"]
    show_full_result_count = False
    actions = ["resend"]
    fields = [
        "uuid", "event_type", "subscription", "status", "attempts", "created_at", "last_attempt_at",
        "next_attempt_at", "delivered_at", "response_code", "duration_ms", "error",
        "response_excerpt", "attempts_log", "payload",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("webhooks.resend_delivery")

    @admin.display(description=gettext_lazy("Event"), ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.type

    @admin.display(description=gettext_lazy("Attempts' log"))
    def attempts_log(self, delivery):
        return format_html("<pre>{}</pre>", json.dumps(delivery.log, indent=2))

    @admin.display(description=gettext_lazy("Payload"))
    def payload(self, delivery):
        return format_html(
            "<pre>{}</pre>", json.dumps(delivery.event.payload, indent=2, ensure_ascii=False)
        )

    @admin.action(permissions=["resend"], description=gettext_lazy("Send again"))
    def resend(self, request, queryset):
        # One more than allowed: a selection past the limit is refused, not cut.
        chosen = queryset.values_list("pk", flat=True)[: services.RESEND_MAX + 1]
        try:
            count = services.delivery_resend(deliveries=list(chosen), user=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(
                request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be sent again.",
                "%(count)d deliveries will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
