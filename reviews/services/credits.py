"""Credits: proposed at submission, corrected by an editor before approval."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from translations import services as content
from translations.languages import is_language, localized_field
from translations.models import CreditRole

from ..workflow import (
    Permission,
    version_actions,
)
from .common import edition_lock, require, review_lock_open
from .machine import machine_confirmers


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
    # Whoever confirmed the machine's text of a unit took it on: credited like its writer.
    for confirmer in machine_confirmers(version):
        counts[confirmer] = counts.get(confirmer, 0) + 1
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
        edition = edition_lock(version.edition)
        review = review_lock_open(version)
        require(Permission.EDIT_CREDITS, version_actions(version=version, user=user, review=review))
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
