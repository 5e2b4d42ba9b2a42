"""The desk's rules on one screen: roles, the moves between states, who may do what.

Every admin page draws its buttons from :func:`edition_actions` and
:func:`version_actions`; every service in ``reviews.services`` checks them
again, so hiding a button is never the protection.
"""

from enum import StrEnum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from translations.languages import language_derived_from
from translations.models import Edition, EditionState

from .models import Assignment, LanguagePair, Review, ReviewState, UnitEdit
from .roles import EDITORS_GROUP, TRANSLATORS_GROUP


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # save the working copy (the source text, on a source edition)
    RESTRUCTURE = "restructure"  # add, delete, move, split, merge paragraphs
    CLAIM = "claim"  # pick up an unassigned edition from the pool
    ASSIGN = "assign"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REOPEN = "reopen"
    COMMENT = "comment"
    CHECK = "check"  # mark paragraphs of a version as checked
    EDIT_CREDITS = "edit_credits"


S = EditionState

# The moves between states. Only these exist; a move not in the table is refused.
TRANSITIONS = {
    (S.NOT_STARTED, "start"): S.IN_PROGRESS,  # the first saved text
    (S.NOT_STARTED, Action.SUBMIT): S.IN_REVIEW,
    (S.IN_PROGRESS, Action.SUBMIT): S.IN_REVIEW,
    (S.CHANGES_REQUESTED, Action.SUBMIT): S.IN_REVIEW,
    (S.IN_REVIEW, Action.WITHDRAW): S.IN_PROGRESS,
    (S.IN_REVIEW, Action.REQUEST_CHANGES): S.CHANGES_REQUESTED,
    (S.IN_REVIEW, Action.APPROVE): S.APPROVED,
    (S.APPROVED, Action.REOPEN): S.IN_PROGRESS,
}

# States in which the working copy may be written.
EDITABLE_STATES = {S.NOT_STARTED, S.IN_PROGRESS, S.CHANGES_REQUESTED}


def next_state(state, move):
    """The state ``move`` leads to from ``state``, or ``None`` when it is not allowed."""
    return TRANSITIONS.get((state, move))


class Roles:
    """What one user is on the desk; read once per request and kept on the user."""

    def __init__(self, user):
        self.user = user
        active = bool(user and user.is_authenticated and user.is_active)
        groups = set(user.groups.values_list("name", flat=True)) if active else set()
        self.is_editor = active and (user.is_superuser or EDITORS_GROUP in groups)
        self.is_translator = active and TRANSLATORS_GROUP in groups
        self.pairs = (
            set(
                LanguagePair.objects.filter(user=user).values_list(
                    "source_language", "target_language"
                )
            )
            if active
            else set()
        )

    def translates(self, source_language, target_language):
        return (source_language, target_language) in self.pairs


def roles_of(user):
    roles = getattr(user, "_tilmash_roles", None)
    if roles is None:
        roles = Roles(user)
        if user is not None:
            user._tilmash_roles = roles
    return roles


def is_editor(user):
    return roles_of(user).is_editor


def is_assigned(edition, user):
    if not (user and user.is_authenticated):
        return False
    cached = getattr(edition, "_assigned_user_ids", None)
    if cached is not None:
        return user.pk in cached
    return Assignment.objects.filter(edition=edition, user=user).exists()


def working_pair(edition):
    """The language pair ``(from, to)`` a translator of ``edition`` works in.

    A transliterated language's pair starts from the language it is derived
    from (kk → kk-latn), whatever the article was written in.
    """
    source = language_derived_from(edition.language) or edition.article.source_language
    return source, edition.language


def in_pool_of(edition, user):
    """Unassigned, and in one of the user's working language pairs (:func:`working_pair`)."""
    roles = roles_of(user)
    if not roles.is_translator or edition.language == edition.article.source_language:
        return False
    if not roles.translates(*working_pair(edition)):
        return False
    cached = getattr(edition, "_assigned_user_ids", None)
    if cached is not None:
        return not cached
    return not Assignment.objects.filter(edition=edition).exists()


def edition_actions(*, edition, user):
    """The set of :class:`Action` ``user`` may take on ``edition`` now."""
    roles = roles_of(user)
    if not (user and user.is_authenticated and user.is_active):
        return set()
    assigned = is_assigned(edition, user)
    editor = roles.is_editor
    pool = not assigned and in_pool_of(edition, user)
    if not (editor or assigned or pool):
        return set()
    actions = {Action.VIEW}
    state = edition.state
    works_on = assigned or editor
    if pool and state != S.IN_REVIEW:
        actions.add(Action.CLAIM)
    if works_on and state in EDITABLE_STATES:
        actions.add(Action.EDIT)
        if next_state(state, Action.SUBMIT):
            actions.add(Action.SUBMIT)
        if edition.language == edition.article.source_language:
            actions.add(Action.RESTRUCTURE)
    if works_on and next_state(state, Action.REOPEN):
        actions.add(Action.REOPEN)
    if editor:
        actions.add(Action.ASSIGN)
    return actions


def version_actions(*, version, user, review=None):
    """The set of :class:`Action` ``user`` may take on ``version`` (and its review)."""
    edition = version.edition
    on_edition = edition_actions(edition=edition, user=user)
    if Action.VIEW not in on_edition:
        return set()
    actions = {Action.VIEW}
    roles = roles_of(user)
    works_on = roles.is_editor or is_assigned(edition, user)
    if works_on:
        actions.add(Action.COMMENT)
    if review is None:
        review = Review.objects.filter(version=version).first()
    if review is None or review.state != ReviewState.OPEN:
        return actions
    if user.pk == review.submitted_by_id or is_assigned(edition, user):
        actions.add(Action.WITHDRAW)
    if roles.is_editor:
        actions |= {Action.REQUEST_CHANGES, Action.CHECK, Action.EDIT_CREDITS}
        if not four_eyes_conflict(version=version, user=user):
            actions.add(Action.APPROVE)
    return actions


def writers_of(version):
    """Everyone whose text is in ``version``: its submitter, and every unit's writer.

    Also everyone who saved text into the edition since the last approved
    version before it, even where a later save replaced theirs: editing
    counts, not only the last word.
    """
    writers = {version.created_by_id}
    writers |= {unit.get("author") for unit in version.units}
    since = (
        version.edition.versions.filter(number__lt=version.number, approved_at__isnull=False)
        .order_by("-number")
        .values_list("created_at", flat=True)
        .first()
    )
    edits = UnitEdit.objects.filter(
        edition_id=version.edition_id, created_at__lte=version.created_at
    )
    if since is not None:
        edits = edits.filter(created_at__gt=since)
    writers |= set(edits.values_list("user_id", flat=True))
    writers.discard(None)
    return writers


def four_eyes_conflict(*, version, user):
    """True when ``user`` wrote or edited text in ``version`` (or submitted it)."""
    if settings.TILMASH_ALLOW_SELF_APPROVAL:
        return False
    return user.pk in writers_of(version)


def editions_visible_to(user, queryset=None):
    """The editions ``user`` may see on the desk: all for editors; for translators,
    their assignments plus the unassigned pool of their working language pairs."""
    queryset = Edition.objects.all() if queryset is None else queryset
    roles = roles_of(user)
    if roles.is_editor:
        return queryset
    assigned = Assignment.objects.filter(edition=OuterRef("pk"), user=user)
    visible = Q(Exists(assigned))
    if roles.is_translator and roles.pairs:
        anyone = Assignment.objects.filter(edition=OuterRef("pk"))
        pairs = Q()
        for source_language, target_language in roles.pairs:
            derived_from = language_derived_from(target_language)
            if derived_from is not None:  # kk → kk-latn: whatever the article's language
                if derived_from == source_language:
                    pairs |= Q(language=target_language) & ~Q(
                        article__source_language=target_language
                    )
            else:
                pairs |= Q(article__source_language=source_language, language=target_language)
        if pairs:  # an empty Q() would let every unassigned edition through
            visible |= pairs & ~Q(Exists(anyone))
    return queryset.filter(visible)
