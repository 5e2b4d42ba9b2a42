"""The API's writes: an article delivered by a system, and the editions it opens.

The text goes through the importer (``translations.importing``), so a
delivery follows the rules of a re-import: paragraph keys are kept, the
translations of changed paragraphs become outdated, and text another person
saved and nobody published is never overwritten. Everything a delivery does
is one transaction: a refusal anywhere writes nothing.
"""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from translations.audit import audit_record
from translations.clocks import clock_reprioritise
from translations.importing import ArticleImportError, ParsedArticle, article_import_parsed
from translations.languages import is_language, language_codes, language_derived_from
from translations.models import Article, Edition, Priority
from translations.services import edition_start, text_validate

from .auth import language_allowed
from .errors import ApiError

PRIORITIES = {"normal": Priority.NORMAL, "urgent": Priority.URGENT, "breaking": Priority.BREAKING}
# Where the importer's line numbers point in a delivery (see ``_parsed``).
TITLE_LINE, FIRST_PARAGRAPH_LINE = 1, 2


@dataclass
class Delivery:
    article: Article
    created: bool
    report: object  # translations.importing.ImportReport


def article_ingest(*, api_key, external_id, payload):
    """Create or update the article ``external_id`` from ``payload`` (``schemas.ArticleIn``).

    Idempotent: the same payload again changes nothing (the audit records
    the delivery). Refuses with :class:`ApiError` (403 outside the key's
    languages, 422 for bad content) and then writes nothing.
    """
    _languages_check(api_key, payload)
    parsed = _parsed(payload)
    digest = hashlib.sha256(
        json.dumps(payload.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()
    # Two first deliveries of one story at once: the loser of the unique
    # external_id finds the winner's article and updates it.
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _deliver(api_key, external_id, payload, parsed, digest)
        except IntegrityError:
            if attempt:
                raise
        except ArticleImportError as error:
            raise _import_problem(error) from None
    raise AssertionError("unreachable")


def _deliver(api_key, external_id, payload, parsed, digest):
    article = Article.objects.select_for_update().filter(external_id=external_id).first()
    created = article is None
    if article is not None and article.source_language != payload.language:
        message = _(
            "This article is written in “%(language)s”; its source text cannot change language."
        ) % {"language": article.source_language}
        raise ApiError(422, [(["body", "language"], message, "language_mismatch")])
    report = article_import_parsed(
        parsed=parsed,
        language=payload.language,
        publish=payload.publish,
        article_slug=None if created else article.slug,
        digest=digest,
    )
    if created:
        article = Article.objects.select_for_update().get(slug=report.slug)
        article.external_id = external_id
        article.save(update_fields=["external_id"])
    opened = [
        edition_open(
            api_key=api_key,
            article=article,
            language=target.language,
            priority=target.priority,
            deadline=target.deadline,
        )
        for target in payload.targets
    ]
    audit_record(
        action="api.article.ingest",
        article=article,
        data={
            "api_key": api_key.name,
            "api_key_prefix": api_key.prefix,
            "external_id": external_id,
            "created": created,
            "sha256": digest,
            "import": report.as_data(),
            "targets": [edition.language for edition in opened],
        },
    )
    return Delivery(article=article, created=created, report=report)


def edition_open(*, api_key, article, language, priority="normal", deadline=None):
    """Open ``article``'s edition in ``language`` for translation, with priority and deadline.

    An edition open already keeps its work and takes the new priority and
    deadline (a running clock keeps its start and takes the priority's target).
    """
    language_allowed(api_key, language, loc=("body", "targets"))
    with transaction.atomic():
        edition, created = edition_start(article=article, language=language, user=None)
        edition = Edition.objects.select_for_update().select_related("article").get(pk=edition.pk)
        changed = []
        if edition.priority != PRIORITIES[priority]:
            edition.priority = PRIORITIES[priority]
            changed.append("priority")
        if deadline is not None and edition.deadline != deadline:
            edition.deadline = deadline
            changed.append("deadline")
        if changed:
            edition.save(update_fields=[*changed, "updated_at"])
        if "priority" in changed:
            clock_reprioritise(edition=edition)
        if created or changed:
            audit_record(
                action="api.edition.open",
                edition=edition,
                to_state=edition.state,
                data={
                    "api_key": api_key.name,
                    "created": created,
                    "priority": priority,
                    "deadline": deadline.isoformat() if deadline else None,
                },
            )
    return edition


def _languages_check(api_key, payload):
    problems = []
    if not is_language(payload.language):
        problems.append((["body", "language"], _unknown(payload.language), "unknown_language"))
    seen = set()
    for index, target in enumerate(payload.targets):
        loc = ["body", "targets", index, "language"]
        if not is_language(target.language):
            problems.append((loc, _unknown(target.language), "unknown_language"))
        elif target.language == payload.language:
            problems.append((loc, _("The source language needs no translation."), "source"))
        elif language_derived_from(target.language):
            message = _("This language is derived by transliteration; it is not opened by hand.")
            problems.append((loc, message, "derived"))
        elif target.language in seen:
            problems.append((loc, _("This language is named twice."), "duplicate"))
        seen.add(target.language)
    if problems:
        raise ApiError(422, problems)
    language_allowed(api_key, payload.language, loc=("body", "language"))
    for target in payload.targets:
        language_allowed(api_key, target.language, loc=("body", "targets"))


def _unknown(code):
    return _("Unknown language “%(code)s”; the configured languages are: %(codes)s.") % {
        "code": code[:20],
        "codes": ", ".join(language_codes()),
    }


def _parsed(payload):
    """The payload as the importer reads a file, each text checked by the desk's rules."""
    problems = []
    limit = settings.TILMASH_API_MAX_PARAGRAPHS
    if len(payload.paragraphs) > limit:
        problems.append((["body", "paragraphs"], _(
            "The article has %(count)d paragraphs; the limit is %(limit)d.")
            % {"count": len(payload.paragraphs), "limit": limit}, "too_many"))  # fmt: skip
        raise ApiError(422, problems)
    texts = [(["body", "title"], payload.title, _("The title"))]
    texts += [
        (["body", "paragraphs", index], text, _("Paragraph %(number)d") % {"number": index + 1})
        for index, text in enumerate(payload.paragraphs)
    ]
    texts += [
        (["body", "credits", index, "name"], credit.name, _("A credited name"))
        for index, credit in enumerate(payload.credits)
    ]
    for loc, text, label in texts:
        if not text.strip():
            problems.append((loc, _("%(label)s is empty.") % {"label": label}, "blank"))
            continue
        try:
            text_validate(text, label=label)
        except ValidationError as error:
            problems.append((loc, error.messages[0], error.code or "invalid"))
    if "\n" in payload.title:
        problems.append((["body", "title"], _("The title must be one line."), "multiline"))
    if problems:
        raise ApiError(422, problems)
    count = len(payload.paragraphs)
    return ParsedArticle(
        title=payload.title,
        dateline=payload.dateline,
        paragraphs=tuple(payload.paragraphs),
        credits=tuple((credit.role, credit.name.strip()) for credit in payload.credits),
        paragraph_lines=tuple(range(FIRST_PARAGRAPH_LINE, FIRST_PARAGRAPH_LINE + count)),
    )


def _import_problem(error):
    """The importer's refusal, pointed at the part of the delivery it names."""
    if error.line is None:
        loc = ["body"]
    elif error.line == TITLE_LINE:
        loc = ["body", "title"]
    else:
        loc = ["body", "paragraphs", error.line - FIRST_PARAGRAPH_LINE]
    return ApiError(422, [(loc, error.problem, "import")])
