"""Reading and setting the language the desk speaks to a person."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from reviews.models import DESK_LANGUAGES, DeskProfile

DESK_LANGUAGE_CODES = [code for code, _name in DESK_LANGUAGES]


def desk_language_choices():
    """``(code, name in that language)`` for each language of the desk, for switchers."""
    return [
        (code, translation.get_language_info(code)["name_local"]) for code in DESK_LANGUAGE_CODES
    ]


def desk_language_get(*, user):
    """The language ``user`` chose for the desk, or None (the browser's then)."""
    if not user.is_authenticated:
        return None
    return DeskProfile.objects.filter(user=user).values_list("language", flat=True).first()


def desk_languages_of(*, users):
    """``{user pk: language}`` for mail to ``users``, in one query; those who
    chose none get ``settings.LANGUAGE_CODE``."""
    users = [user for user in users if user is not None]
    chosen = dict(DeskProfile.objects.filter(user__in=users).values_list("user_id", "language"))
    return {user.pk: chosen.get(user.pk, settings.LANGUAGE_CODE) for user in users}


def desk_language_set(*, user, language):
    """Make ``language`` (one of ``DESK_LANGUAGES``) the language of ``user``'s desk.

    Anything else is refused with a ValidationError and nothing is written.
    """
    if language not in DESK_LANGUAGE_CODES:
        raise ValidationError(_("That is not a language of the desk: nothing was changed."))
    with transaction.atomic():
        profile, _created = DeskProfile.objects.update_or_create(
            user=user, defaults={"language": language}
        )
    return profile
