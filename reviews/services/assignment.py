"""Who works on an edition: editors assign, translators claim from the pool."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from translations import services as content
from translations.clocks import clock_reprioritise

from .. import notifications
from ..models import Assignment
from ..workflow import (
    Permission,
    edition_actions,
    roles_of,
    working_pair,
)
from .common import edition_lock, require
from .machine import edition_pretranslate_if_breaking


def edition_assign(*, edition, users, by, deadline=None, priority=None):
    """Assign ``users`` to ``edition`` (replacing its assignees), with deadline and priority."""
    with transaction.atomic():
        edition = edition_lock(edition)
        require(Permission.ASSIGN, edition_actions(edition=edition, user=by))
        article = edition.article
        for user in users:
            roles = roles_of(user)
            source, target = working_pair(edition)
            if edition.language != article.source_language and not (
                roles.is_editor or roles.translates(source, target)
            ):
                raise ValidationError(
                    _("%(user)s does not translate %(source)s → %(target)s.")
                    % {"user": user, "source": source, "target": target}
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
        if priority is not None:
            clock_reprioritise(edition=edition)
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
        edition_pretranslate_if_breaking(edition=edition, user=by)
    return edition


def edition_claim(*, edition, user):
    """A translator picks up an unassigned edition of their language pair."""
    with transaction.atomic():
        edition = edition_lock(edition)
        require(
            Permission.CLAIM,
            edition_actions(edition=edition, user=user),
            _("Someone else has picked this edition up already, or it is not in your languages."),
        )
        Assignment.objects.create(edition=edition, user=user, assigned_by=user)
        content.audit_record(action="reviews.edition.claim", actor=user, edition=edition)
    return edition
