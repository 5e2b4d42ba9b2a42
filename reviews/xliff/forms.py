"""The upload form of the XLIFF import page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class XliffImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLIFF file"),
        help_text=_(
            "An XLIFF 2.0 or 1.2 file exported from Tilmash and translated in a CAT tool, "
            "or a zip of such files."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlf,.xliff,.xml,.zip"}),
    )
