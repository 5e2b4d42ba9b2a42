"""What every move shares: the permission check, the edition lock, one audited step."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from translations.models import Edition
from translations.states import edition_state_move

from ..models import Review, ReviewState


def require(action, allowed, message=None):
    """Refuse (``PermissionDenied``) unless ``action`` is among ``allowed``."""
    if action not in allowed:
        raise PermissionDenied(message or _("You may not do this on this edition now."))


def edition_lock(edition):
    """``edition`` read again with its row locked for the rest of the transaction."""
    return Edition.objects.select_for_update().select_related("article").get(pk=edition.pk)


def edition_move(edition, move, *, user, version=None, comment="", data=None, action=None):
    """Make one desk move on a locked edition: :func:`translations.states.edition_state_move`,
    audited as ``action`` (``reviews.edition.<move>`` unless named)."""
    return edition_state_move(
        edition=edition,
        move=move,
        user=user,
        action=action or f"reviews.edition.{move}",
        version=version,
        comment=comment,
        data=data,
    )


def review_lock_open(version):
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
