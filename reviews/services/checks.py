"""Dismissing a QA check on the working copy: the desk's rule, then the aids' record.

The aids are part of the desk (submission asks them for blocking issues):
``aids`` is a required app, imported directly.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from aids import services as aids

from ..workflow import Permission, edition_actions
from .common import edition_lock, require


def check_dismiss(*, edition, user, unit_key, check_id, reason):
    """Dismiss ``check_id`` on one unit of ``edition``'s working copy, saying why.

    Whoever may edit the working copy may dismiss its checks (``PermissionDenied``
    otherwise); what makes a dismissal valid is :func:`aids.services.check_dismiss`'s
    (``ValidationError``, nothing written).
    """
    with transaction.atomic():
        edition = edition_lock(edition)
        require(
            Permission.EDIT,
            edition_actions(edition=edition, user=user),
            _("You may not dismiss checks on this edition now."),
        )
        return aids.check_dismiss(
            edition=edition, unit_key=unit_key, check_id=check_id, reason=reason, user=user
        )
