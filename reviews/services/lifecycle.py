"""The desk's lifecycle moves: embargo (editors), withdraw and reinstate (senior editors).

Each locks the rows it changes, checks :func:`reviews.workflow.lifecycle_actions`
again and makes its move through ``translations.lifecycle`` (the tables of
``translations.states``, audited), in one transaction.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from translations.lifecycle.embargo import embargo_write
from translations.lifecycle.withdrawal import article_reinstate_write, article_withdraw_write
from translations.models import Article

from ..workflow import Move, lifecycle_actions
from .comments import remark_validate
from .common import edition_lock, require


def _locked(edition):
    """The edition and its article, both rows locked (the article first, as the
    article's cache refresh does)."""
    Article.objects.select_for_update().filter(pk=edition.article_id).values_list("pk").first()
    return edition_lock(edition)


def embargo_set(*, edition, user, until, whole_article=False):
    """Not public before ``until`` (aware, in the future): ``edition``, or its whole article."""
    with transaction.atomic():
        edition = _locked(edition)
        require(Move.EMBARGO_SET, lifecycle_actions(edition=edition, user=user))
        embargo_write(
            edition=edition, user=user, until=until, whole_article=whole_article,
            action_prefix="reviews",
        )  # fmt: skip
    return edition


def embargo_lift(*, edition, user, whole_article=False):
    """Public at once (as far as the rest allows): the embargo of ``edition`` or its article."""
    with transaction.atomic():
        edition = _locked(edition)
        require(Move.EMBARGO_LIFT, lifecycle_actions(edition=edition, user=user))
        embargo_write(
            edition=edition, user=user, until=None, whole_article=whole_article,
            action_prefix="reviews",
        )  # fmt: skip
    return edition


def article_withdraw(*, edition, user, reason):
    """Withdraw ``edition``'s article, every language at once, with a public-facing date
    and an internal ``reason`` (required)."""
    remark_validate(reason, label=_("The reason"))
    with transaction.atomic():
        edition = _locked(edition)
        require(
            Move.ARTICLE_WITHDRAW,
            lifecycle_actions(edition=edition, user=user),
            _("Only a senior editor may withdraw an article that is not withdrawn."),
        )
        article_withdraw_write(
            article=edition.article, user=user, reason=reason, action_prefix="reviews"
        )
    return edition


def article_reinstate(*, edition, user, comment=""):
    """Make ``edition``'s withdrawn article public again as it was."""
    remark_validate(comment, label=_("The comment"))
    with transaction.atomic():
        edition = _locked(edition)
        require(
            Move.ARTICLE_REINSTATE,
            lifecycle_actions(edition=edition, user=user),
            _("Only a senior editor may reinstate a withdrawn article."),
        )
        article_reinstate_write(
            article=edition.article, user=user, comment=comment, action_prefix="reviews"
        )
    return edition

