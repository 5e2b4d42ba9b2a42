from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventType, Subscription


class SubscriptionForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only these events are sent to this URL."),
    )

    class Meta:
        model = Subscription
        fields = ["url", "events", "active", "description"]
