"""Checks over a whole edition or version, and the translator's dismissals.

Selectors: :func:`edition_check_report`, :func:`edition_blocking_issues`
(called by the submit service), :func:`version_check_report` (the editor's
version page). Service: :func:`check_dismiss`.

Errors block submission unless the translator dismisses them with a reason;
a dismissal holds while the unit's source and translation stay as they were
(see :func:`unit_text_hash`). Who may dismiss is the desk's rule: callers
(``reviews``) check permissions before calling :func:`check_dismiss`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from translations.languages import localized_field
from translations.models import Article, Edition, Paragraph, Version
from translations.services import audit_record, text_hash, text_validate

from .checks import check_get, checks_run
from .glossary import glossary_for_article
from .models import CheckDismissal

TITLE_KEY = Version.TITLE_KEY
# Longest reason for a dismissal, in characters (the editor's field says so too).
REASON_MAX_CHARS = 500


def unit_text_hash(source, target):
    """What a dismissal is tied to: the unit's source and translation together.

    A changed source ("20,000" became "25,000") brings a dismissed check back
    just as a changed translation does. The separator cannot occur in stored
    text (``text_validate`` refuses control characters).
    """
    return text_hash(f"{source or ''}\x1f{target or ''}")


def _article_fresh(edition):
    # Read the title as it is now, not as a cached ``edition.article`` had it.
    return Article.objects.get(pk=edition.article_id)


def _working_units(edition, article):
    """(key, source, translation) of the edition's working copy, title first."""
    source, target = article.source_language, edition.language
    paragraphs = (
        Paragraph.objects.filter(article_id=article.pk)
        .order_by("position")
        .only("key", localized_field("text", source), localized_field("text", target))
    )
    units = [(TITLE_KEY, article.text_in(source), article.text_in(target))]
    units += [(p.key, p.text_in(source), p.text_in(target)) for p in paragraphs]
    return units


def _report(units, *, edition, article, target_language):
    source_language = article.source_language
    glossary = glossary_for_article(article=article)
    dismissals = {
        (d.unit_key, d.check_id, d.text_hash): d
        for d in CheckDismissal.objects.filter(edition_id=edition.pk).select_related("user")
    }
    report = {}
    for key, source, target in units:
        digest = unit_text_hash(source, target)
        report[key] = [
            issue.with_unit(key, dismissals.get((key, issue.check_id, digest)))
            for issue in checks_run(
                source=source, target=target, source_language=source_language,
                target_language=target_language, glossary=glossary,
            )
        ]
    return report


def edition_check_report(*, edition):
    """Every unit's issues in the edition's working copy: ``{unit_key: [Issue, …]}``.

    Keys come in order (``"title"`` first), every unit present, an empty list
    when it passes. Each issue says whether it is ``dismissed`` and why
    (``issue.reason``, ``issue.dismissal.user``). The source edition has
    nothing to check: ``{}``. Four queries, whatever the article's length.
    """
    article = _article_fresh(edition)
    if edition.language == article.source_language:
        return {}
    return _report(
        _working_units(edition, article), edition=edition, article=article,
        target_language=edition.language,
    )


def edition_blocking_issues(*, edition):
    """The errors nobody dismissed, as a flat list of issues (each has ``unit_key``).

    Empty when the edition may be submitted.
    """
    report = edition_check_report(edition=edition)
    return [issue for issues in report.values() for issue in issues if issue.blocking]


def version_check_report(*, version):
    """The issues of a version's snapshot, for the editor's review page.

    A flat list of :class:`~aids.checks.Issue` in unit order (each names its
    ``unit_key``; group them with :func:`issues_by_unit`), dismissed ones
    included and marked. Dismissals made on the working copy show on the
    version as long as the snapshot holds the text they were made on. Three
    queries, whatever the article's length.
    """
    edition = Edition.objects.select_related("article").get(pk=version.edition_id)
    article = edition.article
    if edition.language == article.source_language:
        return []
    units = [(u["key"], u.get("source", ""), u.get("text", "")) for u in version.units]
    report = _report(units, edition=edition, article=article, target_language=edition.language)
    return [issue for issues in report.values() for issue in issues]


def issues_by_unit(issues):
    """``{unit_key: [Issue, …]}`` from a flat list of issues, in order."""
    grouped = {}
    for issue in issues:
        grouped.setdefault(issue.unit_key, []).append(issue)
    return grouped


def check_dismiss(*, edition, unit_key, check_id, reason, user):
    """Record that ``check_id`` is wrong about one unit's current text, and why.

    Refused (``ValidationError``, nothing written) without a reason, for an
    unknown check or unit, on the source edition, and when the check finds
    nothing to dismiss on that unit. Dismissing again replaces the reason.
    Returns the :class:`CheckDismissal`; an audit entry records it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why this check does not apply."), code="no_reason")
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(
            _("The reason is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(reason), "limit": REASON_MAX_CHARS},
            code="too_long",
        )
    # A NUL would make PostgreSQL refuse the row: a server error, not a message.
    text_validate(reason, label=_("The reason"))
    check = check_get(check_id)
    if check is None:
        raise ValidationError(_("Unknown check: %(check)s.") % {"check": check_id})
    article = _article_fresh(edition)
    if edition.language == article.source_language:
        raise ValidationError(_("The source text is not checked."))
    source, target = _unit_texts(article, edition.language, unit_key)
    issues = checks_run(
        source=source, target=target, source_language=article.source_language,
        target_language=edition.language, glossary=glossary_for_article(article=article),
        only={check_id},
    )
    if not issues:
        raise ValidationError(
            _("The check “%(check)s” finds nothing to dismiss in this paragraph.")
            % {"check": check.name}
        )
    with transaction.atomic():
        dismissal, _created = CheckDismissal.objects.update_or_create(
            edition=edition, unit_key=unit_key, check_id=check_id,
            text_hash=unit_text_hash(source, target),
            defaults={"reason": reason, "user": user},
        )
        audit_record(
            action="aids.check.dismiss", actor=user, edition=edition, comment=reason,
            data={"unit": unit_key, "check": check_id,
                  "messages": [issue.message for issue in issues]},
        )
    return dismissal


def _unit_texts(article, language, unit_key):
    if unit_key == TITLE_KEY:
        return article.text_in(article.source_language), article.text_in(language)
    paragraph = Paragraph.objects.filter(article_id=article.pk, key=unit_key).first()
    if paragraph is None:
        raise ValidationError(
            _("This article has no paragraph %(key)s.") % {"key": unit_key}, code="no_unit"
        )
    return paragraph.text_in(article.source_language), paragraph.text_in(language)
