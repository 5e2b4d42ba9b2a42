"""An edition's states, every move between them, and the one function that makes a move.

:data:`TRANSITIONS` is the whole state machine: a move not in it is refused.
:func:`edition_state_move` is the only code that writes ``Edition.state``
(``tests/test_one_state_writer.py`` walks the code to hold that); it checks
the table, saves the state and writes the audit entry. Who may make which
move on the desk is ``reviews.workflow``'s business, checked before.
"""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .audit import audit_record
from .models import EditionState
from .signals import article_moved, edition_moved


class Move(StrEnum):
    CREATE = "create"  # a new article's source edition, its text written
    START = "start"  # the first saved text
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    REOPEN = "reopen"
    IMPORT = "import"  # an imported text waits in the working copy
    PUBLISH_ON_IMPORT = "publish_on_import"  # ``import_article --publish``
    GO_LIVE = "go_live"  # a version published outside review (fixtures, bulk loads)
    # Lifecycle: embargo (an edition's, or the whole article's) and withdrawal
    # of the whole article (``translations.lifecycle``).
    EMBARGO_SET = "embargo_set"
    EMBARGO_LIFT = "embargo_lift"
    ARTICLE_WITHDRAW = "article_withdraw"
    ARTICLE_REINSTATE = "article_reinstate"
    # Running updates and corrections (``translations.lifecycle``).
    OPEN_UPDATE = "open_update"  # the source's working copy becomes an update
    OPEN_CORRECTION = "open_correction"  # a live edition's working copy becomes a correction
    FOLLOW_UPDATE = "follow_update"  # a translation gets its source's approved update as work
    FOLLOW_CORRECTION = "follow_correction"  # … its source's approved correction, urgent


# What messages call each move, in the reader's language ("“Approve” is not possible now").
MOVE_LABELS = {
    Move.CREATE: pgettext_lazy("workflow move", "Create"),
    Move.START: pgettext_lazy("workflow move", "Start"),
    Move.SUBMIT: pgettext_lazy("workflow move", "Submit"),
    Move.WITHDRAW: pgettext_lazy("workflow move", "Withdraw from review"),
    Move.REQUEST_CHANGES: pgettext_lazy("workflow move", "Request changes"),
    Move.APPROVE: pgettext_lazy("workflow move", "Approve"),
    Move.REOPEN: pgettext_lazy("workflow move", "Reopen"),
    Move.IMPORT: pgettext_lazy("workflow move", "Import"),
    Move.PUBLISH_ON_IMPORT: pgettext_lazy("workflow move", "Publish on import"),
    Move.GO_LIVE: pgettext_lazy("workflow move", "Publish"),
    Move.EMBARGO_SET: pgettext_lazy("workflow move", "Set an embargo"),
    Move.EMBARGO_LIFT: pgettext_lazy("workflow move", "Lift the embargo"),
    Move.ARTICLE_WITHDRAW: pgettext_lazy("workflow move", "Withdraw the article"),
    Move.ARTICLE_REINSTATE: pgettext_lazy("workflow move", "Reinstate the article"),
    Move.OPEN_UPDATE: pgettext_lazy("workflow move", "Open an update"),
    Move.OPEN_CORRECTION: pgettext_lazy("workflow move", "Open a correction"),
    Move.FOLLOW_UPDATE: pgettext_lazy("workflow move", "Follow the source's update"),
    Move.FOLLOW_CORRECTION: pgettext_lazy("workflow move", "Follow the source's correction"),
}


def move_label(move):
    """``move``'s name for people, in the active language."""
    return str(MOVE_LABELS[Move(move)])


S = EditionState
NEW = None  # the "state" of an edition not saved yet

# Every move between states. Only these exist; a move not in the table is refused.
TRANSITIONS = {
    (NEW, Move.CREATE): S.IN_PROGRESS,
    (S.NOT_STARTED, Move.START): S.IN_PROGRESS,
    (S.NOT_STARTED, Move.SUBMIT): S.IN_REVIEW,
    (S.IN_PROGRESS, Move.SUBMIT): S.IN_REVIEW,
    (S.CHANGES_REQUESTED, Move.SUBMIT): S.IN_REVIEW,
    (S.IN_REVIEW, Move.WITHDRAW): S.IN_PROGRESS,
    (S.IN_REVIEW, Move.REQUEST_CHANGES): S.CHANGES_REQUESTED,
    (S.IN_REVIEW, Move.APPROVE): S.APPROVED,
    (S.APPROVED, Move.REOPEN): S.IN_PROGRESS,
    # Imported text: not "not started" (the desk would look for someone to
    # begin what is written); a submitted or returned version keeps its state,
    # its review being about that version.
    (S.NOT_STARTED, Move.IMPORT): S.IN_PROGRESS,
    (S.IN_PROGRESS, Move.IMPORT): S.IN_PROGRESS,
    (S.CHANGES_REQUESTED, Move.IMPORT): S.CHANGES_REQUESTED,
    (S.IN_REVIEW, Move.IMPORT): S.IN_REVIEW,
    (S.APPROVED, Move.IMPORT): S.IN_PROGRESS,
    # Never past a version in review: its decision would replace this text later.
    (S.NOT_STARTED, Move.PUBLISH_ON_IMPORT): S.APPROVED,
    (S.IN_PROGRESS, Move.PUBLISH_ON_IMPORT): S.APPROVED,
    (S.CHANGES_REQUESTED, Move.PUBLISH_ON_IMPORT): S.APPROVED,
    (S.APPROVED, Move.PUBLISH_ON_IMPORT): S.APPROVED,
    **{(state, Move.GO_LIVE): S.APPROVED for state in S},
    # Embargo: set or lifted in any state, before or after approval; the
    # state stays, the edition's ``embargo_until`` changes.
    **{(state, Move.EMBARGO_SET): state for state in S},
    **{(state, Move.EMBARGO_LIFT): state for state in S},
    # Running updates and corrections: opened on a live edition (the live
    # version stays public), or on one already being worked on; never past a
    # version in review. A translation follows its source's approved update
    # or correction from any state: an approved one goes back to work.
    **{
        (state, move): S.IN_PROGRESS if state == S.APPROVED else state
        for move in (Move.OPEN_UPDATE, Move.OPEN_CORRECTION)
        for state in (S.APPROVED, S.IN_PROGRESS, S.CHANGES_REQUESTED)
    },
    **{
        (state, move): S.IN_PROGRESS if state == S.APPROVED else state
        for move in (Move.FOLLOW_UPDATE, Move.FOLLOW_CORRECTION)
        for state in S
    },
}

# States in which the working copy may be written.
EDITABLE_STATES = {S.NOT_STARTED, S.IN_PROGRESS, S.CHANGES_REQUESTED}


def next_state(state, move):
    """The state ``move`` leads to from ``state``, or ``None`` when it is not allowed."""
    return TRANSITIONS.get((state, move))


def edition_state_move(
    *, edition, move, user, action, version=None, comment="", data=None, also=None
):
    """Make ``move`` on ``edition`` (locked by the caller, or new): save it, audit it.

    Refused (``ValidationError``, nothing written) when the table has no such
    move from the edition's state. ``action`` names the audit entry
    (``reviews.version.submit``); ``also`` is ``{field: value}`` of other edition
    fields saved in the same statement (the live version, on going live). An
    edition not saved yet is created in the move's state. A move that leaves
    the state as it is saves nothing but ``also``, and is audited all the same.
    """
    new = edition._state.adding
    from_state = NEW if new else edition.state
    target = next_state(from_state, move)
    if target is None:
        raise ValidationError(
            _("This edition is “%(state)s”: “%(move)s” is not possible now.")
            % {"state": edition.get_state_display(), "move": move_label(move)}
        )
    fields = []
    for field, value in (also or {}).items():
        setattr(edition, field, value)
        fields.append(field)
    if target != from_state:
        edition.state = target
        fields.append("state")
    if new:
        edition.save()
    elif fields:
        edition.save(update_fields=[*fields, "updated_at"])
    audit_record(
        action=action,
        actor=user,
        edition=edition,
        version=version,
        from_state=from_state or "",
        to_state=target,
        comment=comment,
        data=data,
    )
    edition_moved.send(
        sender=type(edition), edition=edition, move=move, version=version,
        from_state=from_state, to_state=target, user=user,
    )  # fmt: skip
    return edition


# --- The article's moves: embargo of every edition, withdrawal -----------------------


class ArticleState(StrEnum):
    """Whether an article may be public at all (its editions' states aside)."""

    CURRENT = "current"
    WITHDRAWN = "withdrawn"


A = ArticleState

ARTICLE_STATE_LABELS = {
    A.CURRENT: pgettext_lazy("article state", "current"),
    A.WITHDRAWN: pgettext_lazy("article state", "withdrawn"),
}

# The moves of a whole article; as with :data:`TRANSITIONS`, only these exist.
ARTICLE_TRANSITIONS = {
    (A.CURRENT, Move.EMBARGO_SET): A.CURRENT,
    (A.CURRENT, Move.EMBARGO_LIFT): A.CURRENT,
    (A.WITHDRAWN, Move.EMBARGO_SET): A.WITHDRAWN,
    (A.WITHDRAWN, Move.EMBARGO_LIFT): A.WITHDRAWN,
    (A.CURRENT, Move.ARTICLE_WITHDRAW): A.WITHDRAWN,
    (A.WITHDRAWN, Move.ARTICLE_REINSTATE): A.CURRENT,
}


def article_state(article):
    return A.WITHDRAWN if article.withdrawn_at else A.CURRENT


def article_state_move(*, article, move, user, action, comment="", data=None, also):
    """Make ``move`` on ``article`` (locked by the caller): save ``also``, audit it.

    The article's counterpart of :func:`edition_state_move`: refused
    (``ValidationError``, nothing written) when :data:`ARTICLE_TRANSITIONS`
    has no such move from the article's state; ``also`` is ``{field: value}``
    of the article's lifecycle fields the move sets.
    """
    from_state = article_state(article)
    target = ARTICLE_TRANSITIONS.get((from_state, move))
    if target is None:
        raise ValidationError(
            _("This article is %(state)s: “%(move)s” is not possible now.")
            % {"state": ARTICLE_STATE_LABELS[from_state], "move": move_label(move)}
        )
    for field, value in also.items():
        setattr(article, field, value)
    article.save(update_fields=[*also, "updated_at"])
    audit_record(
        action=action,
        actor=user,
        article=article,
        from_state=from_state,
        to_state=target,
        comment=comment,
        data=data,
    )
    article_moved.send(sender=type(article), article=article, move=move, user=user)
    return article
