"""The desk's rules on one screen: the moves between states, the one writer, who may do what.

The moves and their table (:data:`TRANSITIONS`) and the one function that
makes a move (:func:`edition_state_move`, which checks the table, saves and
audits) live in the content app, ``translations.states``, so that the
importer and going live use them too; they are imported here so that the
desk's rules read in one place. :class:`Permission` is what else a user may
do (view, edit, comment …), which moves no edition.

Every admin page draws its buttons from :func:`edition_actions`,
:func:`version_actions` and :func:`lifecycle_actions` (embargo, withdrawal)
(sets of :class:`Permission` and :class:`~translations.states.Move`); every
service in ``reviews.services`` checks them again, so hiding a button is
never the protection.
"""

from enum import StrEnum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from translations.languages import language_derived_from
from translations.models import Edition, EditionState
from translations.states import (
    EDITABLE_STATES,
    TRANSITIONS,
    Move,
    edition_state_move,
    next_state,
)

from .models import Assignment, LanguagePair, Review, ReviewState, UnitEdit
from .roles import EDITORS_GROUP, SENIOR_EDITOR_PERMISSION, TRANSLATORS_GROUP

__all__ = [
    "EDITABLE_STATES",
    "TRANSITIONS",
    "Move",
    "Permission",
    "Roles",
    "edition_actions",
    "edition_assignees",
    "edition_state_move",
    "editions_visible_to",
    "four_eyes_conflict",
    "import_allowed",
    "import_page_allowed",
    "in_pool_of",
    "is_assigned",
    "is_editor",
    "lifecycle_actions",
    "next_state",
    "roles_of",
    "version_actions",
    "writers_of",
]


class Permission(StrEnum):
    """What a user may do besides moving an edition (the desk's moves: :class:`Move`)."""

    VIEW = "view"
    EDIT = "edit"  # save the working copy (the source text, on a source edition)
    RESTRUCTURE = "restructure"  # add, delete, move, split, merge paragraphs
    CLAIM = "claim"  # pick up an unassigned edition from the pool
    ASSIGN = "assign"
    COMMENT = "comment"
    CHECK = "check"  # mark paragraphs of a version as checked
    EDIT_CREDITS = "edit_credits"
    PRETRANSLATE = "pretranslate"  # have the machine draft the untranslated paragraphs
    EDIT_NOTE = "edit_note"  # an update's advisory line or a correction's note


S = EditionState


# Two reads are kept on the objects for the rest of a request, set and read
# only in this module: a user's roles (:func:`roles_of`) and an edition's
# assignees (:func:`edition_assignees`), so that deciding the buttons of a
# page costs the same queries however many it asks about.
_ROLES = "_tilmash_roles"
_ASSIGNEES = "_assigned_user_ids"


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

    @property
    def is_senior_editor(self):
        """May withdraw and reinstate articles: the permission the "Senior editors"
        group grants. Read on first use only (most pages never ask)."""
        if not hasattr(self, "_senior"):
            user = self.user
            active = bool(user and user.is_authenticated and user.is_active)
            self._senior = active and user.has_perm(SENIOR_EDITOR_PERMISSION)
        return self._senior

    def translates(self, source_language, target_language):
        return (source_language, target_language) in self.pairs


def roles_of(user):
    """``user``'s :class:`Roles`, read once and kept on the user."""
    roles = getattr(user, _ROLES, None)
    if roles is None:
        roles = Roles(user)
        if user is not None:
            setattr(user, _ROLES, roles)
    return roles


def edition_assignees(edition, *, user_ids=None):
    """The ids of ``edition``'s assignees, read once and kept on the edition.

    ``user_ids`` gives them when the caller has them already (prefetched).
    """
    if user_ids is not None:
        setattr(edition, _ASSIGNEES, set(user_ids))
    elif getattr(edition, _ASSIGNEES, None) is None:
        ids = Assignment.objects.filter(edition=edition).values_list("user_id", flat=True)
        setattr(edition, _ASSIGNEES, set(ids))
    return getattr(edition, _ASSIGNEES)


def is_editor(user):
    return roles_of(user).is_editor


def is_assigned(edition, user):
    if not (user and user.is_authenticated):
        return False
    cached = getattr(edition, _ASSIGNEES, None)
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
    cached = getattr(edition, _ASSIGNEES, None)
    if cached is not None:
        return not cached
    return not Assignment.objects.filter(edition=edition).exists()


def edition_actions(*, edition, user):
    """What ``user`` may do on ``edition`` now: :class:`Permission` and :class:`Move` members."""
    roles = roles_of(user)
    if not (user and user.is_authenticated and user.is_active):
        return set()
    assigned = is_assigned(edition, user)
    editor = roles.is_editor
    pool = not assigned and in_pool_of(edition, user)
    if not (editor or assigned or pool):
        return set()
    actions = {Permission.VIEW}
    state = edition.state
    works_on = assigned or editor
    if pool and state != S.IN_REVIEW:
        actions.add(Permission.CLAIM)
    if works_on and state in EDITABLE_STATES:
        actions.add(Permission.EDIT)
        if next_state(state, Move.SUBMIT):
            actions.add(Move.SUBMIT)
        if edition.language == edition.article.source_language:
            actions.add(Permission.RESTRUCTURE)
    if works_on and next_state(state, Move.REOPEN):
        actions.add(Move.REOPEN)
    actions |= _lifecycle_actions(edition, state, editor=editor, works_on=works_on)
    if editor:
        actions.add(Permission.ASSIGN)
        if state in EDITABLE_STATES and edition.language != edition.article.source_language:
            actions.add(Permission.PRETRANSLATE)
    return actions


def lifecycle_actions(*, edition, user):
    """The lifecycle moves ``user`` may make from ``edition``'s page: embargo
    (editors: this edition or the whole article), withdrawal and
    reinstatement of the whole article (senior editors)."""
    roles = roles_of(user)
    actions = set()
    if roles.is_editor:
        # Lifting where there is no embargo is refused by the move itself.
        actions |= {Move.EMBARGO_SET, Move.EMBARGO_LIFT}
    if roles.is_editor and roles.is_senior_editor:
        actions.add(
            Move.ARTICLE_REINSTATE if edition.article.withdrawn_at else Move.ARTICLE_WITHDRAW
        )
    return actions


def _lifecycle_actions(edition, state, *, editor, works_on):
    """Running updates and corrections, on a live edition only: an editor opens a
    correction on any language; the author or an editor opens an update of the
    source; whoever may edit the working copy writes its public note."""
    actions = set()
    if edition.live_version_id is None:
        return actions
    if editor and next_state(state, Move.OPEN_CORRECTION):
        actions.add(Move.OPEN_CORRECTION)
    is_source = edition.language == edition.article.source_language
    if works_on and is_source and next_state(state, Move.OPEN_UPDATE):
        actions.add(Move.OPEN_UPDATE)
    if works_on and state in EDITABLE_STATES and edition.working_kind:
        actions.add(Permission.EDIT_NOTE)
    return actions


def version_actions(*, version, user, review=None):
    """What ``user`` may do on ``version`` (and its review): as :func:`edition_actions`."""
    edition = version.edition
    on_edition = edition_actions(edition=edition, user=user)
    if Permission.VIEW not in on_edition:
        return set()
    actions = {Permission.VIEW}
    roles = roles_of(user)
    works_on = roles.is_editor or is_assigned(edition, user)
    if works_on:
        actions.add(Permission.COMMENT)
    if review is None:
        review = Review.objects.filter(version=version).first()
    if review is None or review.state != ReviewState.OPEN:
        return actions
    if user.pk == review.submitted_by_id or is_assigned(edition, user):
        actions.add(Move.WITHDRAW)
    if roles.is_editor:
        actions |= {Move.REQUEST_CHANGES, Permission.CHECK, Permission.EDIT_CREDITS}
        if not four_eyes_conflict(version=version, user=user):
            actions.add(Move.APPROVE)
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


def import_page_allowed(user):
    """May open the "Import article" page: editors, and whoever may write new
    articles in the admin (its add permission: the authors)."""
    roles = roles_of(user)
    return roles.is_editor or bool(
        user and user.is_active and user.has_perm("translations.add_article")
    )


def import_allowed(*, user, article=None, language=None, publish=False):
    """May ``user`` import a file as ``article``'s ``language`` text (None: a new article)?

    Editors may import anything, and publish it. Without publishing, an author
    may create an article, and import into an edition only where they may edit
    its working copy (:func:`edition_actions`): the source they are assigned
    to, say. Publishing on import is an editor's approval.
    """
    if not import_page_allowed(user):
        return False
    if roles_of(user).is_editor:
        return True
    if publish:
        return False
    if article is None:
        return True
    edition = Edition.objects.filter(article=article, language=language).first()
    return edition is not None and Permission.EDIT in edition_actions(edition=edition, user=user)


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
