"""Submitting a version and deciding on it: submit, withdraw, request changes,
approve, reopen."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aids.services import edition_blocking_issues
from translations import services as content
from translations.lifecycle.notes import note_problems
from translations.models import CreditRole, Paragraph, Version

from .. import notifications
from ..models import Review, ReviewState
from ..workflow import (
    Move,
    edition_actions,
    four_eyes_conflict,
    next_state,
    roles_of,
    version_actions,
    writers_of,
)
from .comments import remark_validate
from .common import edition_lock, edition_move, require, review_lock_open
from .credits import credits_propose
from .machine import machine_problems


def submission_problems(edition):
    """Messages for what keeps ``edition``'s working copy from being submitted.

    Untranslated or outdated paragraphs block submission outright: the
    deliberate way past an outdated mark is the per-paragraph "still correct",
    which is recorded, not a blanket "submit anyway".
    """
    article = edition.article
    language, source = edition.language, article.source_language
    units = [(_("Title"), article)] + [
        (_("Paragraph %(n)d") % {"n": n}, p)
        for n, p in enumerate(Paragraph.objects.filter(article=article).order_by("position"), 1)
    ]
    problems = note_problems(edition)
    untranslated = [label for label, unit in units if not unit.text_in(language).strip()]
    outdated = [label for label, unit in units if unit.is_outdated(language, source)]
    if untranslated:
        problems.append(_("Not translated yet: %(units)s.") % {"units": ", ".join(untranslated)})
    if outdated:
        problems.append(
            _("The source changed since these were translated: %(units)s.")
            % {"units": ", ".join(outdated)}
        )
    labels = {
        unit.key if isinstance(unit, Paragraph) else Version.TITLE_KEY: label
        for label, unit in units
    }
    problems += machine_problems(edition, list(_keyed(units)), labels)
    for issue in edition_blocking_issues(edition=edition):
        problems.append(
            _("%(unit)s: %(message)s (fix it, or dismiss the check with a reason).")
            % {"unit": labels.get(issue.unit_key, issue.unit_key), "message": issue.message}
        )
    return problems


def _keyed(units):
    for _label, unit in units:
        yield (unit.key if isinstance(unit, Paragraph) else Version.TITLE_KEY), unit


def version_submit(*, edition, user, note=""):
    """Snapshot ``edition``'s working copy as the next version and open its review."""
    with transaction.atomic():
        edition = edition_lock(edition)
        require(Move.SUBMIT, edition_actions(edition=edition, user=user))
        problems = submission_problems(edition)
        if problems:
            raise ValidationError(problems)
        version = content.version_snapshot(edition=edition, user=user)
        Review.objects.create(edition=edition, version=version, submitted_by=user, submit_note=note)
        content.credits_replace(version=version, credits=credits_propose(version))
        edition_move(
            edition,
            Move.SUBMIT,
            user=user,
            version=version,
            comment=note,
            action="reviews.version.submit",
            data={"number": version.number},
        )
        notifications.submitted(version, user)
    return version


def _decide(review, state, *, user, comment=""):
    review.state = state
    review.decided_by = user
    review.decided_at = timezone.now()
    review.comment = comment
    review.save(update_fields=["state", "decided_by", "decided_at", "comment"])


def version_withdraw(*, version, user):
    """The translator takes a submission back before a decision."""
    with transaction.atomic():
        edition = edition_lock(version.edition)
        review = review_lock_open(version)
        require(Move.WITHDRAW, version_actions(version=version, user=user, review=review))
        _decide(review, ReviewState.WITHDRAWN, user=user)
        edition_move(
            edition, Move.WITHDRAW, user=user, version=version, action="reviews.version.withdraw"
        )
    return version


def version_request_changes(*, version, user, comment):
    """Send ``version`` back to its translators; the comment says what to change."""
    if not (comment or "").strip():
        raise ValidationError(_("Say what should change: a comment is required."))
    remark_validate(comment, label=_("The comment"))
    with transaction.atomic():
        edition = edition_lock(version.edition)
        review = review_lock_open(version)
        require(Move.REQUEST_CHANGES, version_actions(version=version, user=user, review=review))
        _decide(review, ReviewState.CHANGES_REQUESTED, user=user, comment=comment)
        edition_move(
            edition,
            Move.REQUEST_CHANGES,
            user=user,
            version=version,
            comment=comment,
            action="reviews.version.request_changes",
        )
        notifications.changes_requested(version, comment)
    return version


def version_approve(*, version, user, comment=""):
    """Make exactly ``version`` live, with its credits fixed and the approver as editor.

    Refused to anyone who wrote or edited text in it, unless the desk runs
    with ``TILMASH_ALLOW_SELF_APPROVAL`` (then recorded in the audit).
    """
    remark_validate(comment, label=_("The comment"))
    with transaction.atomic():
        edition = edition_lock(version.edition)
        review = review_lock_open(version)
        if next_state(edition.state, Move.APPROVE) is None:
            raise ValidationError(
                _("This edition is %(state)s, not in review: nothing can be approved now.")
                % {"state": edition.get_state_display().lower()}
            )
        version = Version.objects.get(pk=version.pk)
        allowed = version_actions(version=version, user=user, review=review)
        if Move.APPROVE not in allowed:
            if roles_of(user).is_editor and four_eyes_conflict(version=version, user=user):
                raise PermissionDenied(
                    _("You wrote or edited text in this version; another editor must approve it.")
                )
            require(Move.APPROVE, allowed)
        self_approval = user.pk in writers_of(version)
        _decide(review, ReviewState.APPROVED, user=user, comment=comment)
        credits = [
            (c.contributor, c.role)
            for c in version.credits.select_related("contributor")
            if c.role != CreditRole.EDITOR
        ]
        credits.append((content.contributor_for_user(user), CreditRole.EDITOR))
        content.credits_replace(version=version, credits=credits)
        content.version_go_live(
            version=version,
            user=user,
            action="reviews.version.approve",
            comment=comment,
            data={"number": version.number, "self_approval": self_approval},
        )
        notifications.approved(version)
    return version


def edition_reopen(*, edition, user, comment=""):
    """Open an approved edition for a correction; the live version stays public."""
    remark_validate(comment, label=_("The comment"))
    with transaction.atomic():
        edition = edition_lock(edition)
        require(Move.REOPEN, edition_actions(edition=edition, user=user))
        edition_move(edition, Move.REOPEN, user=user, comment=comment)
    return edition
