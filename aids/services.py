"""Checks over a whole edition or version, and the translator's dismissals.

Selectors: :func:`edition_check_report`, :func:`edition_blocking_issues`
(called by the submit service), :func:`version_check_report` (the editor's
version page). Service: :func:`check_dismiss`.

Errors block submission unless the translator dismisses them with a reason;
a dismissal holds while the unit's source and translation stay as they were
(see :func:`unit_text_hash`). Who may dismiss is the desk's rule: the desk's
service ``reviews.services.check_dismiss`` checks it, then calls
:func:`check_dismiss` here.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from translations import languages
from translations.languages import localized_field
from translations.models import Article, Edition, Paragraph, Version
from translations.services import audit_record, text_validate
from translations.texts import text_pair_hash

from . import checks as checks_package
from .checks import REGISTRY, check_get, checks_run
from .glossary import glossary_for_article
from .models import CheckDismissal

TITLE_KEY = Version.TITLE_KEY
# Longest reason for a dismissal, in characters (the editor's field says so too).
REASON_MAX_CHARS = 500
# How long a report's check results are kept (see _units_issues).
ISSUES_CACHE_SECONDS = 7 * 24 * 3600


def unit_text_hash(source, target):
    """What a dismissal is tied to: the unit's source and translation together
    (:func:`translations.texts.text_pair_hash`).

    A changed source ("20,000" became "25,000") brings a dismissed check back
    just as a changed translation does.
    """
    return text_pair_hash(source, target)


def _article_fresh(edition):
    # Read the title as it is now, not as a cached ``edition.article`` had it.
    return Article.objects.get(pk=edition.article_id)


def _working_units(edition, article):
    """(key, source, translation) of the edition's working copy, title first."""
    source, target = article.source_language, edition.language
    # Tuples, not instances: at 300 paragraphs building the models cost more than the query.
    paragraphs = (
        Paragraph.objects.filter(article_id=article.pk)
        .order_by("position")
        .values_list("key", localized_field("text", source), localized_field("text", target))
    )
    units = [(TITLE_KEY, article.text_in(source), article.text_in(target))]
    units += [(key, text or "", translation or "") for key, text, translation in paragraphs]
    return units


def _report(units, *, edition, article, target_language, name):
    source_language = article.source_language
    glossary = glossary_for_article(article=article)
    dismissals = {
        (d.unit_key, d.check_id, d.text_hash): d
        for d in CheckDismissal.objects.filter(edition_id=edition.pk).select_related("user")
    }
    digests = [unit_text_hash(source, target) for _key, source, target in units]
    found = _units_issues(
        units, digests, name=name, source_language=source_language,
        target_language=target_language, glossary=glossary,
    )
    report = {}
    for (key, _source, _target), digest, issues in zip(units, digests, found, strict=True):
        report[key] = [
            issue.with_unit(key, dismissals.get((key, issue.check_id, digest)))
            for issue in issues
        ]
    return report


def _units_issues(units, digests, *, name, source_language, target_language, glossary):
    """``checks_run`` of each unit, reusing the results of texts checked before.

    A translator's page checks every paragraph on every view, and after a save
    all but the saved ones are the texts checked the view before: on a
    300-paragraph article the checks cost more than the rest of the page.
    One cache entry per report (``name``: the working copy of an edition, or
    one version) maps each unit's ``digest`` (its source and translation) to
    its issues, so a changed text is checked again and nothing else is. A
    result depends only on the two texts and on what the key's scope names,
    so it is never stale: the languages, the glossary's terms, the registered
    checks, the interface language of the messages, and the code and message
    catalogues of this deployment. One entry rather than one per unit keeps a
    300-row page to one cache read and at most one write.
    """
    key = f"aids:issues:{_issues_scope(source_language, target_language, glossary)}:{name}"
    known = cache.get(key) or {}
    current, found = {}, []
    for digest, (_unit, source, target) in zip(digests, units, strict=True):
        issues = current.get(digest, known.get(digest))
        if issues is None:
            issues = checks_run(
                source=source, target=target, source_language=source_language,
                target_language=target_language, glossary=glossary,
            )
        current[digest] = issues
        found.append(issues)
    if current.keys() != known.keys():
        cache.set(key, current, ISSUES_CACHE_SECONDS)
    return found


def _issues_scope(source_language, target_language, glossary):
    terms = [
        (term.pk, term.renderings, term.forbidden, term.kind, term.note)
        for term in glossary.terms
    ]
    checks = [(check_id, type(check).__module__, type(check).__qualname__)
              for check_id, check in REGISTRY.items()]
    parts = (_code_fingerprint(), get_language(), source_language, target_language, checks, terms)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@functools.cache
def _code_fingerprint():
    """The checks' and the glossary's code and the message catalogues, as deployed: a
    shared cache (Redis) outlives a deployment, and its results must not."""
    here = Path(__file__).resolve().parent
    files = sorted(Path(checks_package.__file__).resolve().parent.glob("*.py"))
    files += [here / "glossary.py", Path(languages.__file__).resolve()]
    for folder in settings.LOCALE_PATHS:
        files += sorted(Path(folder).glob("*/LC_MESSAGES/*.mo"))
    digest = hashlib.sha256()
    for path in files:
        # Named from its app, so that servers in other folders share the entries.
        digest.update("/".join(path.parts[-3:]).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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
        target_language=edition.language, name=f"edition-{edition.pk}",
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
    report = _report(
        units, edition=edition, article=article, target_language=edition.language,
        name=f"version-{version.pk}",
    )
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
