"""Editions derived by transliteration: ``kk-latn`` from the live ``kk`` version.

When a version of a language that others are derived from goes live
(``translations.signals.version_published``), each derived language's edition
gets that version's text transliterated as its working copy, and a version of
it goes to review like any submission. The one who approved the source
version is its writer (an import's publishing has none), so four eyes hold:
another editor approves the Latin text. The words the transliteration was
unsure of are kept in the audit entry of the move, for the review page.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aids.glossary import glossary_for_article
from translations import services as content
from translations.languages import derived_languages, language_derived_from, language_name
from translations.models import CreditRole, EditionState, Paragraph, Version
from translations.states import Move
from translations.transliteration import transliterator

from .. import notifications
from ..models import Review, ReviewState, UnitEdit
from .common import edition_lock, edition_move

logger = logging.getLogger(__name__)

DERIVE_ACTION = "reviews.version.derive"
SUPERSEDE_ACTION = "reviews.version.supersede"


def glossary_names(*, article, source, target):
    """``[(source spelling, target spelling)]`` of the glossary terms that have both."""
    return [
        (term.rendering(source), term.rendering(target))
        for term in glossary_for_article(article=article).terms
        if term.rendering(source) and term.rendering(target)
    ]


def version_derive(*, version, user):
    """Put a transliteration of the live ``version`` in review in each derived language.

    Returns the new versions. An edition in review gets its open submission
    superseded (the newer source text replaces it); an approved one is
    reopened, its live version staying public until the new one is approved.
    """
    source = version.edition.language
    article = version.edition.article
    return [
        _derive_one(version=version, user=user, target=target)
        for target in derived_languages(source)
        if target != article.source_language
    ]


def _derive_one(*, version, user, target):
    source = version.edition.language
    article = version.edition.article
    convert = transliterator(source, target)
    names = glossary_names(article=article, source=source, target=target)
    with transaction.atomic():
        edition, _created = content.edition_start(article=article, language=target, user=user)
        edition = edition_lock(edition)
        _make_editable(edition, user=user)
        unsure = _working_copy_write(
            edition=edition, version=version, user=user, convert=convert, names=names
        )
        derived = content.version_snapshot(edition=edition, user=user)
        note = _("Transliterated from version %(number)d of the edition in %(language)s.") % {
            "number": version.number,
            "language": language_name(source),
        }
        Review.objects.create(edition=edition, version=derived, submitted_by=user, submit_note=note)
        content.credits_replace(
            version=derived,
            credits=[
                (credit.contributor, credit.role)
                for credit in version.credits.select_related("contributor")
                if credit.role != CreditRole.EDITOR
            ],
        )
        edition_move(
            edition,
            Move.SUBMIT,
            user=user,
            version=derived,
            comment=note,
            action=DERIVE_ACTION,
            data={
                "number": derived.number,
                "from_version": version.pk,
                "from_number": version.number,
                "unsure": unsure,
            },
        )
        if user is not None:
            notifications.submitted(derived, user)
    return derived


def _make_editable(edition, *, user):
    """Bring a locked edition to a state its working copy may be written in."""
    if edition.state == EditionState.IN_REVIEW:
        review = (
            Review.objects.select_for_update()
            .filter(edition=edition, state=ReviewState.OPEN)
            .first()
        )
        comment = _("Superseded by a new transliteration of a newer approved source version.")
        if review is not None:
            review.state = ReviewState.WITHDRAWN
            review.decided_by = user
            review.decided_at = timezone.now()
            review.comment = comment
            review.save(update_fields=["state", "decided_by", "decided_at", "comment"])
        edition_move(
            edition,
            Move.WITHDRAW,
            user=user,
            version=review.version if review else None,
            comment=comment,
            action=SUPERSEDE_ACTION,
        )
    elif edition.state == EditionState.APPROVED:
        edition_move(edition, Move.REOPEN, user=user)


def _working_copy_write(*, edition, version, user, convert, names):
    """Write the transliterated units; ``{unit key: [[start, end, reason], …]}`` of doubts."""
    article = edition.article
    language = edition.language
    units = {p.key: p for p in Paragraph.objects.filter(article=article)}
    units[Version.TITLE_KEY] = article
    writes, unsure = [], {}
    for unit in version.units:
        target_unit = units.get(unit["key"])
        if target_unit is None:  # deleted since the version was made
            continue
        result = convert(unit["text"], names=names)
        if result.unsure:
            unsure[unit["key"]] = [[u.start, u.end, u.reason] for u in result.unsure]
        writes.append(
            content.UnitWrite(
                unit=target_unit,
                text=result.text,
                loaded_revision=target_unit.revision_in(language),
                source_revision=unit.get("source_revision"),
            )
        )
    results = content.units_text_save(writes=writes, language=language, user=user)
    if any(not (result.saved or result.unchanged) for result in results):
        # Someone saved meanwhile without the edition's lock: derive again later.
        raise ValidationError(_("The working copy changed while it was being derived."))
    if user is not None:
        UnitEdit.objects.bulk_create(
            UnitEdit(
                edition=edition,
                unit_key=_key(write.unit),
                user=user,
                revision=write.unit.revision_in(language),
            )
            for write, result in zip(writes, results, strict=True)
            if result.saved
        )
    if edition.state == EditionState.NOT_STARTED:
        edition_move(edition, Move.START, user=user)
    return unsure


def _key(unit):
    return unit.key if isinstance(unit, Paragraph) else Version.TITLE_KEY


def version_published_receiver(sender, version, user, **kwargs):
    """Derive the languages transliterated from ``version``'s, if any.

    In its own savepoint: a derivation that fails is logged and leaves the
    approval that sent the signal standing.
    """
    language = version.edition.language
    if not settings.TILMASH_DERIVE_EDITIONS:
        return
    if not derived_languages(language) or language_derived_from(language):
        return
    try:
        with transaction.atomic():
            version_derive(version=version, user=user)
    except Exception:
        logger.exception("Deriving from version %s failed; the approval stands.", version.pk)
