"""What every move shares: the permission check, the edition lock, one audited step."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from translations import services as content
from translations.models import Edition

from ..models import Review, ReviewState
from ..workflow import (
    next_state,
)


def _require(action, allowed, message=None):
    if action not in allowed:
        raise PermissionDenied(message or _("You may not do this on this edition now."))


def _lock_edition(edition):
    return Edition.objects.select_for_update().select_related("article").get(pk=edition.pk)


def _move(edition, move, *, user, version=None, comment="", data=None, action=None):
    """Apply one move from the transition table to a locked edition, and audit it."""
    target = next_state(edition.state, move)
    if target is None:
        raise ValidationError(
            _("This edition is %(state)s: it cannot be %(move)s now.")
            % {"state": edition.get_state_display().lower(), "move": str(move).replace("_", " ")}
        )
    from_state = edition.state
    edition.state = target
    edition.save(update_fields=["state", "updated_at"])
    content.audit_record(
        action=action or f"reviews.edition.{move}",
        actor=user,
        edition=edition,
        version=version,
        from_state=from_state,
        to_state=target,
        comment=comment,
        data=data,
    )
    return edition


def _lock_open_review(version):
    review = Review.objects.select_for_update().filter(version=version).first()
    if review is None:
        raise ValidationError(_("This version was never submitted for review."))
    if review.state != ReviewState.OPEN:
        who = review.decided_by or review.submitted_by
        who = (who.get_full_name() or who.get_username()) if who else _("someone")
        decided = {
            ReviewState.APPROVED: _("%(who)s approved it"),
            ReviewState.CHANGES_REQUESTED: _("%(who)s requested changes"),
            ReviewState.WITHDRAWN: _("%(who)s withdrew it"),
        }[review.state] % {"who": who}
        # Said to the one who lost a race as much as to a late click: name the winner.
        raise ValidationError(
            _("This version is no longer waiting for review: %(decided)s.") % {"decided": decided},
            code="decided",
        )
    return review
