"""The desk's moves. Each checks :mod:`reviews.workflow` again, runs in one
transaction with the edition's row locked, and writes an audit entry.

Callers (admin views, commands, tests) turn ``PermissionDenied`` and
``ValidationError`` into messages.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aids.services import edition_blocking_issues
from translations import services as content
from translations.languages import is_language, localized_field
from translations.models import CreditRole, Edition, EditionState, Paragraph, Version

from . import notifications
from .comments import remark_validate
from .models import Assignment, Review, ReviewState, UnitEdit
from .workflow import (
    Action,
    edition_actions,
    four_eyes_conflict,
    next_state,
    roles_of,
    version_actions,
    writers_of,
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


# --- Saving the working copy ----------------------------------------------------


@dataclass
class RowInput:
    """One row of the editor as posted: the text and the revision it was loaded at."""

    key: str
    text: str
    revision: int
    source_revision: int | None = None
    confirm: bool = False  # "still correct": clear the outdated mark, keep the text


@dataclass
class RowResult:
    key: str
    status: str  # saved | unchanged | conflict | confirmed | unknown
    mine: str = ""
    theirs: str = ""
    their_revision: int = 0
    their_author_id: int | None = None


@dataclass
class SaveReport:
    rows: list = field(default_factory=list)

    def with_status(self, status):
        return [row for row in self.rows if row.status == status]

    @property
    def saved(self):
        return self.with_status("saved") + self.with_status("confirmed")

    @property
    def conflicts(self):
        return self.with_status("conflict")


def units_save(*, edition, user, rows):
    """Save the posted rows of ``edition``'s working copy, in one transaction.

    A row whose unit someone else saved since it was loaded is not written:
    it comes back as a conflict with both texts. The other rows are saved.
    Text that no paragraph may hold refuses the whole save, with nothing written.
    """
    for row in rows:
        if not row.confirm:
            content.text_validate(row.text, label=_("Paragraph %(key)s") % {"key": row.key})
    report = SaveReport()
    with transaction.atomic():
        edition = _lock_edition(edition)
        _require(Action.EDIT, edition_actions(edition=edition, user=user))
        article = edition.article
        units = {p.key: p for p in article.paragraphs.filter(key__in=[r.key for r in rows])}
        units[Version.TITLE_KEY] = article
        edits = []
        for row in rows:
            unit = units.get(row.key)
            if unit is None:
                report.rows.append(RowResult(key=row.key, status="unknown", mine=row.text))
                continue
            result = content.unit_text_save(
                unit=unit,
                language=edition.language,
                text=row.text,
                loaded_revision=row.revision,
                user=user,
                source_revision=row.source_revision,
                confirm_only=row.confirm,
            )
            report.rows.append(_row_result(row, result, edition.language))
            if result.saved:
                revision = result.unit.revision_in(edition.language)
                edits.append(
                    UnitEdit(
                        edition=edition,
                        unit_key=row.key,
                        user=user,
                        revision=revision,
                        confirmed_only=row.confirm,
                    )
                )
        UnitEdit.objects.bulk_create(edits)
        if edits and edition.state == EditionState.NOT_STARTED:
            _move(edition, "start", user=user)
    return report


def _row_result(row, result, language):
    unit = result.unit
    if result.saved:
        status = "confirmed" if row.confirm else "saved"
    elif result.unchanged:
        status = "unchanged"
    else:
        status = "conflict"
    return RowResult(
        key=row.key,
        status=status,
        mine=row.text,
        theirs=unit.text_in(language) if status == "conflict" else "",
        their_revision=unit.revision_in(language),
        their_author_id=unit.edited_by_id_in(language),
    )


# --- Submitting and deciding ------------------------------------------------------


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
    problems = []
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
    for issue in edition_blocking_issues(edition=edition):
        problems.append(
            _("%(unit)s: %(message)s (fix it, or dismiss the check with a reason).")
            % {"unit": labels.get(issue.unit_key, issue.unit_key), "message": issue.message}
        )
    return problems


def version_submit(*, edition, user, note=""):
    """Snapshot ``edition``'s working copy as the next version and open its review."""
    with transaction.atomic():
        edition = _lock_edition(edition)
        _require(Action.SUBMIT, edition_actions(edition=edition, user=user))
        problems = submission_problems(edition)
        if problems:
            raise ValidationError(problems)
        version = content.version_snapshot(edition=edition, user=user)
        Review.objects.create(edition=edition, version=version, submitted_by=user, submit_note=note)
        content.credits_replace(version=version, credits=credits_propose(version))
        _move(
            edition,
            Action.SUBMIT,
            user=user,
            version=version,
            comment=note,
            action="reviews.version.submit",
            data={"number": version.number},
        )
    return version


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


def _decide(review, state, *, user, comment=""):
    review.state = state
    review.decided_by = user
    review.decided_at = timezone.now()
    review.comment = comment
    review.save(update_fields=["state", "decided_by", "decided_at", "comment"])


def version_withdraw(*, version, user):
    """The translator takes a submission back before a decision."""
    with transaction.atomic():
        edition = _lock_edition(version.edition)
        review = _lock_open_review(version)
        _require(Action.WITHDRAW, version_actions(version=version, user=user, review=review))
        _decide(review, ReviewState.WITHDRAWN, user=user)
        _move(
            edition, Action.WITHDRAW, user=user, version=version, action="reviews.version.withdraw"
        )
    return version


def version_request_changes(*, version, user, comment):
    """Send ``version`` back to its translators; the comment says what to change."""
    if not (comment or "").strip():
        raise ValidationError(_("Say what should change: a comment is required."))
    remark_validate(comment, label=_("The comment"))
    with transaction.atomic():
        edition = _lock_edition(version.edition)
        review = _lock_open_review(version)
        _require(Action.REQUEST_CHANGES, version_actions(version=version, user=user, review=review))
        _decide(review, ReviewState.CHANGES_REQUESTED, user=user, comment=comment)
        _move(
            edition,
            Action.REQUEST_CHANGES,
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
        edition = _lock_edition(version.edition)
        review = _lock_open_review(version)
        if next_state(edition.state, Action.APPROVE) is None:
            raise ValidationError(
                _("This edition is %(state)s, not in review: nothing can be approved now.")
                % {"state": edition.get_state_display().lower()}
            )
        version = Version.objects.get(pk=version.pk)
        allowed = version_actions(version=version, user=user, review=review)
        if Action.APPROVE not in allowed:
            if roles_of(user).is_editor and four_eyes_conflict(version=version, user=user):
                raise PermissionDenied(
                    _("You wrote or edited text in this version; another editor must approve it.")
                )
            _require(Action.APPROVE, allowed)
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
        edition = _lock_edition(edition)
        _require(Action.REOPEN, edition_actions(edition=edition, user=user))
        _move(edition, Action.REOPEN, user=user, comment=comment)
    return edition


# --- Credits --------------------------------------------------------------------


def credits_propose(version):
    """Credits for a new version: those of the live version, then whoever wrote
    paragraphs of this one, most paragraphs first."""
    edition = version.edition
    role = (
        CreditRole.AUTHOR
        if edition.language == edition.article.source_language
        else (CreditRole.TRANSLATOR)
    )
    credits = []
    if edition.live_version_id:
        credits = [
            (c.contributor, c.role)
            for c in edition.live_version.credits.select_related("contributor")
            if c.role in (CreditRole.AUTHOR, CreditRole.TRANSLATOR)
        ]
    counts = {}
    for unit in version.units:
        if unit.get("author"):
            counts[unit["author"]] = counts.get(unit["author"], 0) + 1
    users = get_user_model().objects.in_bulk(counts)
    for user_id in sorted(counts, key=lambda uid: -counts[uid]):
        contributor = content.contributor_for_user(users[user_id])
        if all(c.pk != contributor.pk for c, _role in credits):
            credits.append((contributor, role))
    return credits


def version_credits_set(*, version, user, credits, names=None):
    """An editor corrects the credits of a version in review before approving it.

    ``credits`` is ``[(contributor, role)]`` in order; in place of a contributor,
    a name (a string) finds one under any spelling, or adds one without a login.
    ``names`` corrects spellings: ``{contributor: {language: name}}`` (an empty
    name clears that language's spelling; one must remain). Spellings, credits
    and one audit entry are written together or not at all.
    """
    names = names or {}
    for contributor, spellings in names.items():
        _spellings_validate(contributor, spellings)
    for who, _role in credits:
        if isinstance(who, str) and not _name_validate(who):
            raise ValidationError(_("Give the name of the contributor to add."))
    with transaction.atomic():
        edition = _lock_edition(version.edition)
        review = _lock_open_review(version)
        _require(Action.EDIT_CREDITS, version_actions(version=version, user=user, review=review))
        language = edition.language
        before = [
            (c.contributor.name_in(language), c.role)
            for c in version.credits.select_related("contributor")
        ]
        renamed = {}
        for contributor, spellings in names.items():
            was = contributor.name_in(language)
            renamed[was] = _contributor_rename(contributor, spellings)
        credits = [
            (
                content.contributor_by_name(who.strip(), language=language)
                if isinstance(who, str)
                else who,
                role,
            )
            for who, role in credits
        ]
        content.credits_replace(version=version, credits=credits)
        data = {"before": before, "after": [(c.name_in(language), role) for c, role in credits]}
        if renamed:
            data["renamed"] = renamed
        content.audit_record(
            action="reviews.credits.change", actor=user, version=version, data=data
        )
    return version


def _name_validate(name):
    name = (name or "").strip()
    content.text_validate(name, label=_("The name"))
    if len(name) > 200 or "\n" in name:
        raise ValidationError(_("A name is one line of at most 200 characters."))
    return name


def _spellings_validate(contributor, spellings):
    after = {
        code: getattr(contributor, localized_field("name", code)) or ""
        for code, _label in settings.LANGUAGES
    }
    for code, spelling in spellings.items():
        if not is_language(code):
            raise ValidationError(_("Unknown language: %(code)s.") % {"code": code})
        after[code] = _name_validate(spelling)
    if not any(after.values()):
        raise ValidationError(
            _("%(name)s needs a name in at least one language.") % {"name": contributor}
        )


def _contributor_rename(contributor, spellings):
    fields = [localized_field("name", code) for code in spellings]
    for code, spelling in spellings.items():
        setattr(contributor, localized_field("name", code), (spelling or "").strip())
    contributor.save(update_fields=fields)
    return {code: (spelling or "").strip() for code, spelling in spellings.items()}


# --- Assignment -------------------------------------------------------------------


def edition_assign(*, edition, users, by, deadline=None, priority=None):
    """Assign ``users`` to ``edition`` (replacing its assignees), with deadline and priority."""
    with transaction.atomic():
        edition = _lock_edition(edition)
        _require(Action.ASSIGN, edition_actions(edition=edition, user=by))
        article = edition.article
        for user in users:
            roles = roles_of(user)
            if edition.language != article.source_language and not (
                roles.is_editor or roles.translates(article.source_language, edition.language)
            ):
                raise ValidationError(
                    _("%(user)s does not translate %(source)s → %(target)s.")
                    % {"user": user, "source": article.source_language, "target": edition.language}
                )
        already = set(Assignment.objects.filter(edition=edition).values_list("user_id", flat=True))
        Assignment.objects.filter(edition=edition).exclude(user__in=users).delete()
        for user in users:
            Assignment.objects.get_or_create(
                edition=edition, user=user, defaults={"assigned_by": by}
            )
        changed = []
        if deadline is not None:
            edition.deadline = deadline
            changed.append("deadline")
        if priority is not None:
            edition.priority = priority
            changed.append("priority")
        if changed:
            edition.save(update_fields=[*changed, "updated_at"])
        content.audit_record(
            action="reviews.edition.assign",
            actor=by,
            edition=edition,
            data={
                "users": [u.get_username() for u in users],
                "deadline": deadline.isoformat() if deadline else None,
                "priority": edition.priority,
            },
        )
        newly_assigned = [u for u in users if u.pk not in already]
        notifications.assigned(edition, newly_assigned)
    return edition


def edition_claim(*, edition, user):
    """A translator picks up an unassigned edition of their language pair."""
    with transaction.atomic():
        edition = _lock_edition(edition)
        _require(
            Action.CLAIM,
            edition_actions(edition=edition, user=user),
            _("Someone else has picked this edition up already, or it is not in your languages."),
        )
        Assignment.objects.create(edition=edition, user=user, assigned_by=user)
        content.audit_record(action="reviews.edition.claim", actor=user, edition=edition)
    return edition
