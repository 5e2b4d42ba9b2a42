"""Withdrawal: every edition of an article off every public output at once.

Working copies, versions and the audit stay; the public pages answer 410
Gone where the article was public. Reinstating brings the live versions
back as they were.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import cache
from ..states import Move, article_state_move

REASON_MAX_CHARS = 2000


def article_withdraw_write(*, article, user, reason, action_prefix="translations"):
    """Withdraw ``article`` (locked by the caller) with a required ``reason``."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the article is withdrawn."))
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(
            _("The reason is too long (at most %(count)d characters).")
            % {"count": REASON_MAX_CHARS}
        )
    article_state_move(
        article=article,
        move=Move.ARTICLE_WITHDRAW,
        user=user,
        action=f"{action_prefix}.article.withdraw",
        comment=reason,
        also={"withdrawn_at": timezone.now(), "withdrawn_reason": reason},
    )
    cache.lifecycle_changed(article.pk)


def article_reinstate_write(*, article, user, comment="", action_prefix="translations"):
    """Make ``article`` (locked by the caller) public again as it was."""
    article_state_move(
        article=article,
        move=Move.ARTICLE_REINSTATE,
        user=user,
        action=f"{action_prefix}.article.reinstate",
        comment=(comment or "").strip(),
        data={"withdrawn_at": article.withdrawn_at.isoformat() if article.withdrawn_at else None},
        also={"withdrawn_at": None, "withdrawn_reason": ""},
    )
    cache.lifecycle_changed(article.pk)
