"""What the version page shows, read with a fixed number of queries.

The number of queries does not depend on the number of paragraphs: the
version, its bases, comments, checks, credits, writers and QA issues are each
read once and matched to the rows in Python.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from aids.services import version_check_report
from reviews.diffing import word_diffs_html
from reviews.editdistance import Change, changed_share
from reviews.models import MachineDraft, ParagraphCheck, ReviewState
from reviews.selectors import version_bases, version_comments
from reviews.services.comments import COMMENT_MAX_CHARS, checked_keys
from reviews.workflow import Move, Permission, edition_assignees, roles_of, version_actions
from translations.credits import credit_lines
from translations.languages import localized_field
from translations.models import Contributor, Credit, CreditRole, Version

from .forms import credit_formset
from .unsure import unsure_html, version_derivation


@dataclass
class Diff:
    """A unit's changes against one earlier version (``base``; ``None``: nothing to compare)."""

    base: Version | None
    html: str = ""
    changed: bool = False
    new: bool = False  # the unit did not exist in the base


@dataclass
class Thread:
    comment: object
    replies: list = field(default_factory=list)

    @property
    def is_open(self):
        return self.comment.resolved_at is None


@dataclass
class UnitRow:
    key: str
    label: str
    source: str
    text: str
    writer: object
    writer_label: str
    since_approved: Diff
    since_previous: Diff
    checked: bool = False
    check_lapsed: bool = False  # checked in an earlier round, changed since
    threads: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    unsure_html: str = ""  # the text with the transliteration's doubts marked
    machine_label: str = ""  # the machine wrote it: how much people changed

    @property
    def machine(self):
        return bool(self.machine_label)

    @property
    def open_threads(self):
        return sum(1 for thread in self.threads if thread.is_open)


def _diff(base, units, unit_key, text, diffs):
    """``units`` is ``base.unit_map()``, made once per page, not once per row; ``diffs``
    holds the page's diffs by ``(old, new)`` (``_diffs``)."""
    if base is None:
        return Diff(base=None)
    old = units.get(unit_key)
    if old is None:
        return Diff(base=base, html=diffs[("", text)], changed=True, new=True)
    if old["text"] == text:
        return Diff(base=base, html=escape(text))
    return Diff(base=base, html=diffs[(old["text"], text)], changed=True)


def _diffs(units, *bases):
    """Every changed unit's diff against each base, each pair diffed (or read from the
    cache) once for the page."""
    pairs = set()
    for base in bases:
        for unit in units:
            old = base.get(unit["key"], {"text": ""})["text"]
            if old != unit["text"]:
                pairs.add((old, unit["text"]))
    return word_diffs_html(pairs)


def _threads_by_unit(comments):
    threads, by_id = {}, {}
    for comment in comments:
        if comment.parent_id is None:
            thread = Thread(comment)
            by_id[comment.pk] = thread
            threads.setdefault(comment.unit_key, []).append(thread)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return threads


def _issues_by_unit(version):
    issues = {}
    for issue in version_check_report(version=version):
        issues.setdefault(issue.unit_key, []).append(issue)
    return issues


def machine_texts(version):
    """``{unit_key: machine text}`` of the units the machine wrote before ``version``
    was made (one query)."""
    return dict(
        MachineDraft.objects.filter(
            edition_id=version.edition_id, created_at__lte=version.created_at
        ).values_list("unit_key", "machine_text")
    )


MACHINE_CACHE_SECONDS = 7 * 24 * 3600


def machine_changes(version, machine):
    """``{unit_key: Change}`` for the units of ``version`` the machine wrote (``machine``:
    :func:`machine_texts`). One cache entry per version holds them: a version never
    changes, so the page computes its distances once (one cache read, at most one write)."""
    if not machine:
        return {}
    key = f"reviews:machine-changes:{version.pk}:{version.created_at.timestamp()}"
    known = cache.get(key) or {}
    changes = {}
    for unit in version.units:
        if unit["key"] in machine:
            stored = known.get(unit["key"])
            changes[unit["key"]] = (
                Change(*stored) if stored else changed_share(machine[unit["key"]], unit["text"])
            )
    if changes.keys() != known.keys():
        cache.set(
            key,
            {k: (c.distance, c.length, c.approximate) for k, c in changes.items()},
            MACHINE_CACHE_SECONDS,
        )
    return changes


def machine_label(change):
    """What the row says of the machine's part: "" when it had none."""
    if change is None:
        return ""
    if not change.distance:
        return _("Machine translation, unchanged")
    if change.approximate:
        return _("Machine translation; people changed at least %(percent)d%% of its words") % {
            "percent": change.percent
        }
    return _("Machine translation; people changed %(percent)d%% of its words") % {
        "percent": max(1, change.percent)
    }


def _review_of(version):
    try:
        return version.review
    except ObjectDoesNotExist:
        return None


def _people(version, user):
    """The units' writers by id, and ``user``'s contributor (or ``None``), in one query."""
    ids = {unit["author"] for unit in version.units if unit.get("author")} | {user.pk}
    users = get_user_model().objects.select_related("contributor").in_bulk(ids)
    me = users.get(user.pk)
    try:
        contributor = me.contributor if me is not None else None
    except ObjectDoesNotExist:
        contributor = None
    return users, contributor


def _credits(version, user, my_contributor, can_approve):
    """The credits ``version`` carries and the lines the public page will print.

    Before approval the editor credit is the approver's (``version_approve``
    sets it), so the preview names ``user`` when they may approve.
    """
    language = version.edition.language
    credits = list(version.credits.select_related("contributor").order_by("role", "order"))
    if version.is_approved:
        return credits, credit_lines(credits, language)
    credits = [credit for credit in credits if credit.role != CreditRole.EDITOR]
    shown = list(credits)
    if can_approve:
        me = my_contributor or Contributor(
            **{localized_field("name", language): user.get_full_name() or user.get_username()}
        )
        shown.append(Credit(contributor=me, role=CreditRole.EDITOR, order=1))
    return credits, credit_lines(shown, language)


def _name(user):
    return user.get_full_name() or user.get_username()


def _labels(version, last_approved, previous):
    """The words every row repeats, translated once for the page."""
    return {
        "source": _("Source"),
        "version": _("Version %(number)d") % {"number": version.number},
        "since_approved": _("Since approved version %(number)d") % {"number": last_approved.number}
        if last_approved
        else _("Since the approved version"),
        "since_previous": _("Since version %(number)d") % {"number": previous.number}
        if previous
        else _("Since the previous submission"),
        "no_approved": _("No approved version yet"),
        "first": _("First submission"),
        "new": _("New paragraph"),
        "unchanged": _("Unchanged"),
        "checked": _("✓ Checked"),
        "mark_checked": _("Mark checked"),
        "lapsed": _("changed since it was checked"),
        "dismissed": _("dismissed"),
        "comment_here": _("Comment on this paragraph"),
        "add_comment": _("Add comment"),
    }


def _urls(version):
    return {
        name: reverse(f"admin:reviews_version_{name}", args=[version.pk])
        for name in ("review", "decide", "comment", "resolve", "check", "credits")
    }


def version_page(*, version, user, credit_data=None):
    """Everything the version page needs for ``user``, as a template context.

    ``version`` comes from ``reviews.selectors.version_for_review``;
    ``credit_data`` is a posted credits form to show again with its errors.
    """
    edition = version.edition
    article = edition.article
    review = _review_of(version)
    # Read the assignees once; the workflow's checks would otherwise ask per call.
    edition_assignees(edition)
    actions = version_actions(version=version, user=user, review=review)
    if Permission.VIEW not in actions:
        return {"actions": set()}
    is_open = review is not None and review.state == ReviewState.OPEN
    last_approved, previous = version_bases(version=version)
    writers, my_contributor = _people(version, user)
    threads = _threads_by_unit(version_comments(version=version))
    checks = list(ParagraphCheck.objects.filter(edition_id=edition.pk))
    checked = checked_keys(version, checks)
    checked_before = {check.unit_key for check in checks}
    issues = _issues_by_unit(version)
    approved_units = last_approved.unit_map() if last_approved else {}
    derivation = version_derivation(version)
    previous_units = previous.unit_map() if previous else {}
    bases = ((last_approved, approved_units), (previous, previous_units))
    diffs = _diffs(version.units, *(units for base, units in bases if base is not None))
    machine = machine_changes(version, machine_texts(version))
    rows = []
    for number, unit in enumerate(version.units):
        key = unit["key"]
        writer = writers.get(unit.get("author"))
        since_approved = _diff(last_approved, approved_units, key, unit["text"], diffs)
        rows.append(
            UnitRow(
                key=key,
                label=_("Title") if number == 0 else _("Paragraph %(n)d") % {"n": number},
                source=derivation.source_units.get(key, "")
                if derivation.source_language
                else unit.get("source") or "",
                text=unit["text"],
                writer=writer,
                writer_label=_("by %(name)s") % {"name": _name(writer)} if writer else "",
                since_approved=since_approved,
                since_previous=since_approved
                if previous == last_approved
                else _diff(previous, previous_units, key, unit["text"], diffs),
                checked=key in checked,
                check_lapsed=key in checked_before and key not in checked,
                threads=threads.get(key, []),
                issues=issues.get(key, []),
                unsure_html=unsure_html(unit["text"], derivation.unsure.get(key)),
                machine_label=machine_label(machine.get(key)),
            )
        )
    present = {row.key for row in rows}
    can_approve = Move.APPROVE in actions
    can_edit_credits = Permission.EDIT_CREDITS in actions
    credits, lines = _credits(version, user, my_contributor, can_approve)
    checked_count = sum(1 for row in rows if row.checked)
    decisions = {Move.APPROVE, Move.REQUEST_CHANGES, Move.WITHDRAW}
    return {
        "version": version,
        "edition": edition,
        "article": article,
        "review": review,
        "is_open": is_open,
        "actions": {str(action) for action in actions},
        "can_comment": Permission.COMMENT in actions,
        "can_check": Permission.CHECK in actions,
        "can_approve": can_approve,
        "can_request_changes": Move.REQUEST_CHANGES in actions,
        "can_withdraw": Move.WITHDRAW in actions,
        "can_decide": is_open and bool(actions & decisions),
        # An editor offered every decision but approval, which four eyes holds back.
        "four_eyes": is_open
        and roles_of(user).is_editor
        and Move.REQUEST_CHANGES in actions
        and not can_approve,
        "rows": rows,
        "machine_count": sum(1 for row in rows if row.machine),
        "show_source": edition.language != article.source_language,
        # A derived version's source is the text it was transliterated from.
        "source_language": derivation.source_language or article.source_language,
        "checked_count": checked_count,
        "unchecked_count": len(rows) - checked_count,
        "unit_count": len(rows),
        "last_approved": last_approved,
        "previous": previous,
        # Compared with one version only when the previous submission is the approved one.
        "same_base": previous is not None and previous == last_approved,
        "removed_since_approved": [
            unit
            for unit in (last_approved.units if last_approved else [])
            if unit["key"] not in present
        ],
        "credits": credits,
        "credit_lines": lines,
        "can_edit_credits": can_edit_credits,
        "credit_formset": credit_formset(credits=credits, data=credit_data)
        if can_edit_credits
        else None,
        "languages": settings.LANGUAGES,
        "comment_max_chars": COMMENT_MAX_CHARS,
        "urls": _urls(version),
        "labels": _labels(version, last_approved, previous),
    }
