"""Embargo: "not before" a time (UTC), on one edition or on the whole article.

The embargo is part of what "public" means (``selectors.published_filter``
compares it with the clock in every public query), so an edition appears at
its time without anything having to run then.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import cache
from ..states import Move, article_state_move, edition_state_move


def _data(until):
    return {"until": until.isoformat() if until else None}


def embargo_write(*, edition, user, until, whole_article=False, action_prefix="translations"):
    """Set (``until``, in the future) or lift (``until=None``) an embargo on
    ``edition`` or, with ``whole_article``, on its article. The caller holds
    the row's lock and has checked the permission."""
    if until is not None and until <= timezone.now():
        raise ValidationError(_("An embargo must end in the future."))
    move = Move.EMBARGO_SET if until is not None else Move.EMBARGO_LIFT
    if whole_article:
        article = edition.article
        if until is None and article.embargo_until is None:
            raise ValidationError(_("The article has no embargo to lift."))
        article_state_move(
            article=article,
            move=move,
            user=user,
            action=f"{action_prefix}.article.{move}",
            also={"embargo_until": until},
            data=_data(until),
        )
    else:
        if until is None and edition.embargo_until is None:
            raise ValidationError(_("This edition has no embargo to lift."))
        edition_state_move(
            edition=edition,
            move=move,
            user=user,
            action=f"{action_prefix}.edition.{move}",
            also={"embargo_until": until},
            data=_data(until),
        )
    cache.lifecycle_changed(edition.article_id)


def embargo_end(edition):
    """When ``edition`` may be public at the earliest (the later of its own and
    its article's embargo), or None."""
    ends = [t for t in (edition.embargo_until, edition.article.embargo_until) if t is not None]
    return max(ends, default=None)
