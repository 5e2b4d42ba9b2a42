"""Who is credited: contributors (with or without a login) and a version's credits."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ..languages import localized_field
from ..models import Contributor, Credit


def contributor_for_user(user):
    """The contributor who stands for ``user`` in credits, made on first use."""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None:
        name = user.get_full_name() or user.get_username()
        contributor = Contributor(user=user)
        setattr(contributor, localized_field("name", settings.LANGUAGE_CODE), name)
        contributor.name = name
        contributor.save()
    return contributor


def contributor_by_name(name, *, language):
    """Find a contributor by any spelling of their name, or create one.

    One query over every language's spelling; where several people match, the
    spelling in the earlier language of ``LANGUAGES`` wins, then the oldest.
    """
    fields = [localized_field("name", code) for code, _label in settings.LANGUAGES]
    spelled = Q()
    for field_name in fields:
        spelled |= Q(**{field_name: name})
    matches = list(Contributor.objects.filter(spelled).order_by("pk"))
    for field_name in fields:
        for found in matches:
            if getattr(found, field_name) == name:
                return found
    contributor = Contributor(name=name)
    setattr(contributor, localized_field("name", language), name)
    contributor.save()
    return contributor


def credits_replace(*, version, credits):
    """Set a version's credits: ``credits`` is a list of ``(contributor, role)`` in order."""
    if version.is_approved:
        raise ValidationError(_("The credits of an approved version are fixed."))
    with transaction.atomic():
        version.credits.all().delete()
        order = {}
        rows = []
        for contributor, role in credits:
            if any(r.contributor_id == contributor.pk and r.role == role for r in rows):
                continue
            order[role] = order.get(role, 0) + 1
            rows.append(
                Credit(version=version, contributor=contributor, role=role, order=order[role])
            )
        Credit.objects.bulk_create(rows)
    return rows
