"""The assignment form: who works on the chosen editions, by when, how urgently."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.workflow import EDITORS_GROUP, TRANSLATORS_GROUP, working_pair
from translations.models import Priority

ID = re.compile(r"[0-9]{1,18}")


def people_for(editions):
    """Who may be offered for all of ``editions``: translators working in every
    language pair among them; for source editions, translators and editors."""
    people = get_user_model().objects.filter(is_active=True)
    pairs = {
        working_pair(edition)
        for edition in editions
        if edition.language != edition.article.source_language
    }
    if not pairs:
        return people.filter(groups__name__in=[TRANSLATORS_GROUP, EDITORS_GROUP]).distinct()
    people = people.filter(groups__name=TRANSLATORS_GROUP)
    for source_language, target_language in sorted(pairs):
        # One filter() per pair: each must be among the person's pairs.
        people = people.filter(
            Q(language_pairs__source_language=source_language)
            & Q(language_pairs__target_language=target_language)
        )
    return people.distinct().order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        # Django range-checks each id but not the "in" lookup that follows:
        # an id past 2**63 overflowed the database driver (a server error).
        for pk in value or ():
            if not (isinstance(pk, str) and ID.fullmatch(pk)):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)

    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.get_username()})" if name else user.get_username()


class AssignForm(forms.Form):
    users = PersonChoiceField(
        label=_("Translators"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only people who work in this language pair are listed. "
            "Choosing nobody returns the edition to the pool."
        ),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to keep the current deadline."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("Keep as it is")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = people_for(editions)
