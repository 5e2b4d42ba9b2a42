"""Comments pinned to paragraphs of a version, and editors' "checked" marks.

Neither is a move in the workflow, so neither writes an audit entry: a
comment's own row records who wrote it and when, and who resolved it and
when; a check records who marked it and when. The audit stays the record of
state changes (submit, decide, reopen, assign, credits), which is what the
edition's timeline shows.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from translations.texts import text_pair_hash, text_validate

from ..models import Comment, ParagraphCheck
from ..workflow import Permission, version_actions

# Longest comment body, in characters: a remark on a paragraph, not an essay.
COMMENT_MAX_CHARS = 4000


def unit_fingerprint(unit):
    """The hash a "checked" mark is keyed by: the source and the text together.

    A mark says "this translation is right for this source", so it lapses when
    either side changes; a paragraph left alone keeps its mark across rounds.
    """
    return text_pair_hash(unit.get("source"), unit.get("text"))


def _unit(version, unit_key):
    for unit in version.units:
        if unit["key"] == unit_key:
            return unit
    raise ValidationError(
        _("This version has no paragraph %(key)s.") % {"key": unit_key}, code="unknown_unit"
    )


def remark_validate(text, *, label):
    """Refuse a remark (a comment, the reason given for a decision or a reopening)
    longer than ``COMMENT_MAX_CHARS`` or holding a character no text may hold."""
    text = text or ""
    if len(text) > COMMENT_MAX_CHARS:
        raise ValidationError(
            _("%(label)s is %(length)d characters long; the limit is %(limit)d.")
            % {"label": label, "length": len(text), "limit": COMMENT_MAX_CHARS},
            code="too_long",
        )
    return text_validate(text, label=label)


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something: the comment is empty."), code="required")
    return remark_validate(body, label=_("The comment"))


def comment_add(*, version, unit_key, user, body, parent=None):
    """Pin a comment to one unit (``"title"`` or a paragraph key) of ``version``.

    A reply (``parent`` given) joins the parent's thread: same version, same
    unit; a reply to a reply is attached to the thread's first comment.
    """
    if Permission.COMMENT not in version_actions(version=version, user=user):
        raise PermissionDenied(_("You may not comment on this version."))
    body = _clean_body(body)
    _unit(version, unit_key)
    if parent is not None:
        if parent.version_id != version.pk or parent.unit_key != unit_key:
            raise ValidationError(
                _("That comment belongs to another paragraph or version."), code="bad_parent"
            )
        if parent.parent_id is not None:
            parent = parent.parent
    return Comment.objects.create(
        version=version, unit_key=unit_key, parent=parent, author=user, body=body
    )


def comment_resolve(*, comment, user):
    """Mark a comment's thread resolved (a reply resolves the thread it is in)."""
    if comment.parent_id is not None:
        comment = comment.parent
    if Permission.COMMENT not in version_actions(version=comment.version, user=user):
        raise PermissionDenied(_("You may not resolve comments on this version."))
    with transaction.atomic():
        # Conditional, so two people resolving at once record only the first.
        resolved = Comment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=user
        )
        comment.refresh_from_db(fields=["resolved_at", "resolved_by"])
    if not resolved:
        raise ValidationError(
            _("This comment was already resolved by %(who)s.") % {"who": comment.resolved_by},
            code="already_resolved",
        )
    return comment


def unit_check_set(*, version, unit_key, user, checked):
    """Mark one unit of the version in review as checked (or clear the mark).

    The mark belongs to the edition and names the unit's text, so the next
    round finds it still valid where nothing changed.
    """
    if Permission.CHECK not in version_actions(version=version, user=user):
        raise PermissionDenied(_("Only an editor may mark paragraphs of a version in review."))
    unit = _unit(version, unit_key)
    with transaction.atomic():
        if not checked:
            ParagraphCheck.objects.filter(edition_id=version.edition_id, unit_key=unit_key).delete()
            return None
        check, _created = ParagraphCheck.objects.update_or_create(
            edition_id=version.edition_id,
            unit_key=unit_key,
            defaults={
                "text_hash": unit_fingerprint(unit),
                "checked_by": user,
                "checked_at": timezone.now(),
            },
        )
    return check


def checked_keys(version, checks):
    """The keys of ``version``'s units whose marks in ``checks`` still hold."""
    by_key = {check.unit_key: check for check in checks}
    return {
        unit["key"]
        for unit in version.units
        if unit["key"] in by_key and by_key[unit["key"]].text_hash == unit_fingerprint(unit)
    }
