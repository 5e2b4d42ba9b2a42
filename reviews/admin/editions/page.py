"""The edition page: its content, its timeline and the buttons the user may press."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Review, ReviewState
from reviews.selectors import edition_timeline
from reviews.workflow import Move, Permission, version_actions
from translations.models import EditionState, Paragraph

AUDIT_LABELS = {
    "translations.article.create": _("Article created"),
    "translations.article.import": _("Imported"),
    "translations.article.reimport": _("Source re-imported"),
    "translations.edition.import": _("Translation imported"),
    "translations.edition.start": _("Translation started"),
    "reviews.edition.start": _("Work started"),
    "reviews.edition.assign": _("Assigned"),
    "reviews.edition.claim": _("Claimed"),
    "reviews.edition.reopen": _("Reopened for a correction"),
    "reviews.version.submit": _("Submitted for review"),
    "reviews.version.withdraw": _("Withdrawn"),
    "reviews.version.request_changes": _("Changes requested"),
    "reviews.version.approve": _("Approved"),
    "reviews.credits.change": _("Credits changed"),
    "reviews.edition.pretranslate": _("Machine pre-translation requested"),
    "reviews.edition.pretranslated": _("Machine pre-translation finished"),
    "reviews.edition.machine_confirm": _("Machine text confirmed"),
    "reviews.correction.open": _("Correction opened"),
    "reviews.update.open": _("Update opened"),
    "reviews.edition.note": _("Public note written"),
    "translations.edition.follow_correction": _("The original was corrected: correction to do"),
    "translations.edition.follow_update": _("The original was updated: update to do"),
}
STATE_LABELS = dict(EditionState.choices)


def reverse_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def timeline_rows(edition):
    """The edition's audit entries, labelled for people."""
    from ..lifecycle import AUDIT_LABELS as LIFECYCLE_LABELS

    rows = list(edition_timeline(edition=edition))
    for entry in rows:
        entry.action_label = AUDIT_LABELS.get(entry.action) or LIFECYCLE_LABELS.get(
            entry.action, entry.action
        )
        entry.from_label = STATE_LABELS.get(entry.from_state, entry.from_state)
        entry.to_label = STATE_LABELS.get(entry.to_state, entry.to_state)
    return rows


def context(request, edition, allowed):
    """What the edition page shows besides its fields: content, timeline, buttons."""
    article = edition.article
    language, source = edition.language, article.source_language
    units = [(gettext("Title"), article)] + [
        (str(number), paragraph)
        for number, paragraph in enumerate(
            Paragraph.objects.filter(article=article).order_by("position"), start=1
        )
    ]
    rows = [
        {
            "label": label,
            "source": unit.text_in(source),
            "text": unit.text_in(language) if language != source else "",
            "outdated": unit.is_outdated(language, source),
        }
        for label, unit in units
    ]
    return {
        "rows": rows,
        "is_source": language == source,
        "timeline": timeline_rows(edition),
        "desk_actions": actions(request, edition, allowed),
        "edition": edition,
        **pretranslation_context(edition, allowed),
    }


def pretranslation_context(edition, allowed):
    """The latest pre-translation and, for an editor, the button asking for one."""
    from reviews.services.machine import pretranslation_latest

    if edition.language == edition.article.source_language:
        return {}
    return {
        "pretranslation": pretranslation_latest(edition),
        "progress_url": reverse_or_none(
            "admin:translations_edition_pretranslate_progress", edition.pk
        ),
        "pretranslate_url": (
            reverse_or_none("admin:translations_edition_pretranslate", edition.pk)
            if Permission.PRETRANSLATE in allowed
            else None
        ),
    }


def actions(request, edition, allowed):
    """The buttons of the edition page, each a link or a small form."""
    here = reverse("admin:translations_edition_change", args=[edition.pk])
    found = []

    def link(label, url, primary=False):
        if url:
            found.append({"label": label, "url": url, "post": False, "primary": primary})

    def post(label, name, comment=False):
        url = reverse(f"admin:translations_edition_{name}", args=[edition.pk])
        found.append({"label": label, "url": url, "post": True, "comment": comment})

    editor = reverse_or_none("admin:translations_edition_editor", edition.pk)
    if Permission.CLAIM in allowed:
        post(gettext("Claim"), "claim")
    if Permission.EDIT in allowed:
        link(gettext("Open editor"), editor, primary=True)
    elif Permission.VIEW in allowed and Permission.CLAIM not in allowed:
        link(gettext("Open editor (read only)"), editor)
    if Move.SUBMIT in allowed:
        link(gettext("Submit for review (in the editor)"), editor)
    review = (
        Review.objects.filter(edition=edition, state=ReviewState.OPEN)
        .select_related("version__edition__article")
        .first()
    )
    if review is not None:
        on_version = version_actions(version=review.version, user=request.user, review=review)
        if Move.APPROVE in on_version or Move.REQUEST_CHANGES in on_version:
            link(
                gettext("Review version %(number)d") % {"number": review.version.number},
                reverse_or_none("admin:reviews_version_review", review.version_id),
                primary=True,
            )
        if Move.WITHDRAW in on_version:
            post(gettext("Withdraw the submission"), "withdraw")
    if Move.REOPEN in allowed:
        post(gettext("Reopen for a correction"), "reopen", comment=True)
    lifecycle_links = [
        (Move.OPEN_CORRECTION, gettext("Open a correction"), "correction"),
        (Move.OPEN_UPDATE, gettext("Open an update"), "update"),
        (Permission.EDIT_NOTE, gettext("Public note"), "note"),
    ]
    for action, label, name in lifecycle_links:
        if action in allowed:
            link(label, reverse_or_none(f"admin:translations_edition_{name}", edition.pk))
    if Permission.ASSIGN in allowed:
        link(
            gettext("Assign translators"),
            reverse("admin:translations_edition_assign") + f"?ids={edition.pk}&next={here}",
        )
    return found
