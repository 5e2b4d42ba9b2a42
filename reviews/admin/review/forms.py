"""The credits form of the version page.

One row per credit (author or translator; the editor credit is the
approver's, set on approval): its role, its place, "remove", and the
contributor's name as spelled in each language. Blank rows add someone by
name: an existing contributor under any spelling, or a new one without a login.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from translations.languages import localized_field
from translations.models import CreditRole

ROLES = [
    (CreditRole.AUTHOR, CreditRole.AUTHOR.label),
    (CreditRole.TRANSLATOR, CreditRole.TRANSLATOR.label),
]
NAME_MAX = 200


def name_field(code):
    return f"name_{code.replace('-', '_')}"


class CreditRowForm(forms.Form):
    contributor = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Add by name"), required=False, max_length=NAME_MAX)
    role = forms.ChoiceField(label=_("role"), choices=ROLES)
    order = forms.IntegerField(label=_("order"), required=False, min_value=1, max_value=99)
    remove = forms.BooleanField(label=_("remove"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, language in settings.LANGUAGES:
            self.fields[name_field(code)] = forms.CharField(
                label=_("Name in %(language)s") % {"language": language},
                required=False,
                max_length=NAME_MAX,
            )

    @property
    def spellings(self):
        return [self[name_field(code)] for code, _language in settings.LANGUAGES]

    @property
    def is_new(self):
        return not (
            self.initial.get("contributor") or self.data.get(self.add_prefix("contributor"))
        )


class BaseCreditFormSet(forms.BaseFormSet):
    def __init__(self, *args, credits, **kwargs):
        self.current = {credit.contributor_id: credit.contributor for credit in credits}
        super().__init__(*args, **kwargs)

    def clean(self):
        """Build ``self.credits`` (``[(contributor or name, role)]``, in order) and
        ``self.names`` (``{contributor: {language: spelling}}``, changes only)."""
        if any(self.errors):
            return
        if self.total_form_count() < self.initial_form_count():
            # Fewer rows than credits: a damaged post, not a wish to drop the rest.
            raise ValidationError(
                gettext("The credits form arrived damaged; reload the page and try again.")
            )
        rows, names = [], {}
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or data.get("remove"):
                continue
            contributor = None
            # "0" is an id too (of nobody), not a blank row that adds someone.
            if data.get("contributor") is not None:
                contributor = self.current.get(data["contributor"])
                if contributor is None:
                    raise ValidationError(
                        gettext("That contributor is not credited on this version.")
                    )
                spellings = {
                    code: (data.get(name_field(code)) or "").strip()
                    for code, _language in settings.LANGUAGES
                }
                if not any(spellings.values()):
                    raise ValidationError(
                        gettext("%(name)s needs a name in at least one language.")
                        % {"name": contributor}
                    )
                changed = {
                    code: spelling
                    for code, spelling in spellings.items()
                    if spelling != (getattr(contributor, localized_field("name", code)) or "")
                }
                if changed:
                    names[contributor] = changed
                who = contributor
            else:
                who = (data.get("name") or "").strip()
                if not who:
                    continue
            order = data.get("order") or 100 + index
            rows.append((data["role"] != CreditRole.AUTHOR, order, index, who, data["role"]))
        rows.sort(key=lambda row: row[:3])
        self.credits = [(who, role) for _author, _order, _index, who, role in rows]
        self.names = names


# absolute_max: a forged TOTAL_FORMS builds (and shows again) at most 30 rows,
# not Django's default of max_num + 1000.
CreditFormSet = forms.formset_factory(
    CreditRowForm,
    formset=BaseCreditFormSet,
    extra=1,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)


def credit_formset(*, credits, data=None):
    """The form for the author and translator ``credits`` of a version (bound with ``data``).

    ``credits`` are the version's Credit rows with their contributors, read once
    by the caller.
    """
    credits = [credit for credit in credits if credit.role != CreditRole.EDITOR]
    initial = [
        {
            "contributor": credit.contributor_id,
            "label": str(credit.contributor),
            "role": credit.role,
            "order": credit.order,
            **{
                name_field(code): getattr(credit.contributor, localized_field("name", code)) or ""
                for code, _language in settings.LANGUAGES
            },
        }
        for credit in credits
    ]
    return CreditFormSet(data, initial=initial, prefix="credits", credits=credits)
