"""What an import would do, before it is done: the importer run and rolled back.

:func:`article_import_plan` runs :func:`~.service.article_import` itself inside
a transaction and reads the article before and after it, so the preview follows
the importer's own rules (same article or a new one, aligned paragraphs, kept
keys, refusals) instead of a second copy of them. ``commit=False`` rolls the
whole of it back; ``commit=True`` keeps it only when the article is still as
it was when the preview was made (``expected`` is the preview's fingerprint).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ..languages import language_codes
from ..models import Article, Edition, Paragraph, Version
from .aligning import ADDED, CHANGED, MOVED, REMOVED, UNCHANGED, paragraphs_align
from .parsing import ArticleImportError, article_parse
from .service import ImportReport, article_import


@dataclass(frozen=True)
class ParagraphChange:
    """One paragraph of the import language: ``kind`` is one of the aligner's kinds."""

    kind: str
    position: int | None  # after the import (None: removed)
    old_position: int | None  # before it (None: added)
    text: str
    old_text: str = ""


@dataclass
class ImportPlan:
    """The preview of one import: its report, what changes, and the fingerprint."""

    report: ImportReport
    title: str
    old_title: str | None
    dateline: object
    old_dateline: object
    credits: tuple
    paragraphs: list[ParagraphChange]
    # Per other language: how many of its translated units become outdated.
    outdated: dict[str, int] = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def removed(self):
        return [change for change in self.paragraphs if change.kind == REMOVED]

    @property
    def counts(self):
        kinds = (ADDED, CHANGED, REMOVED, MOVED, UNCHANGED)
        return {kind: sum(change.kind == kind for change in self.paragraphs) for kind in kinds}


def article_import_plan(
    *,
    data,
    language,
    publish=False,
    article_slug=None,
    user=None,
    commit=False,
    expected=None,
    slug=None,
):
    """Import ``data`` as :func:`article_import` would, and say what changed.

    Without ``commit`` nothing is written, whatever happens. With it, ``slug``
    and ``expected`` (the preview's ``report.slug`` and ``fingerprint``) must
    still describe the article: otherwise :class:`ArticleImportError` says it
    changed since the preview, and nothing is written.
    """
    options = {"language": language, "publish": publish, "article_slug": article_slug}
    parsed = article_parse(data, language=language)
    with transaction.atomic():
        if slug is None:
            # Which article the file goes to is the importer's rule: ask it.
            point = transaction.savepoint_create()
            slug = article_import(data=data, user=user, **options).slug
            transaction.savepoint_rollback(point)
        before = _article_state(slug, lock=True)
        fingerprint = _fingerprint(data, options, slug, before)
        if commit and fingerprint != expected:
            raise ArticleImportError(
                _("The article changed since the preview: check the new preview and confirm again.")
            )
        report = article_import(data=data, user=user, **options)
        if commit and report.slug != slug:
            raise ArticleImportError(
                _("The article changed since the preview: check the new preview and confirm again.")
            )
        after = _article_state(report.slug)
        if not commit:
            transaction.set_rollback(True)
    plan = _plan(report, parsed, before, after, language)
    plan.fingerprint = fingerprint
    return plan


def _article_state(slug, *, lock=False):
    """Everything about an article an import reads or writes, as plain data."""
    articles = Article.objects.filter(slug=slug)
    if lock:
        articles = articles.select_for_update()
    article = articles.first()
    if article is None:
        return None
    codes = language_codes()

    def unit(key, position, unit):
        texts = {
            code: [unit.text_in(code), unit.revision_in(code), unit.source_revision_in(code)]
            for code in codes
        }
        return {"key": key, "position": position, "texts": texts}

    units = [unit(Version.TITLE_KEY, 0, article)]
    units += [
        unit(p.key, p.position, p)
        for p in Paragraph.objects.filter(article=article).order_by("position")
    ]
    editions = list(
        Edition.objects.filter(article=article)
        .order_by("language")
        .values_list("language", "state", "live_version_id")
    )
    return {
        "id": article.pk,
        "source_language": article.source_language,
        "dateline": article.dateline.isoformat(),
        "updated_at": article.updated_at.isoformat(),
        "withdrawn": article.withdrawn_at is not None,
        "units": units,
        "editions": [list(row) for row in editions],
    }


def _fingerprint(data, options, slug, before):
    payload = {
        "sha256": hashlib.sha256(bytes(data)).hexdigest(),
        "options": options,
        "slug": slug,
        "before": before,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _plan(report, parsed, before, after, language):
    old_units = (before or {}).get("units", [])
    old_title = old_units[0]["texts"][language][0] if old_units else ""
    return ImportPlan(
        report=report,
        title=after["units"][0]["texts"][language][0],
        old_title=old_title or None,
        dateline=parsed.dateline,
        old_dateline=before["dateline"] if before else None,
        credits=parsed.credits,
        paragraphs=_paragraph_changes(report, parsed, old_units[1:], language),
        outdated=_newly_outdated(before, after),
    )


def _paragraph_changes(report, parsed, old_units, language):
    """Each paragraph's fate: the aligner's own answer for a source update, and
    paragraph n against paragraph n for a translation attached to an article."""
    old = [unit["texts"][language][0] for unit in old_units]
    new = list(parsed.paragraphs)
    if report.kind == "updated":
        rows = paragraphs_align(old, new)
    else:
        rows = []
        for index, text in enumerate(new):
            if index >= len(old) or not old[index]:
                rows.append((None, index, ADDED))
            else:
                rows.append((index, index, UNCHANGED if old[index] == text else CHANGED))
    changes = []
    for old_index, new_index, kind in rows:
        changes.append(
            ParagraphChange(
                kind=kind,
                position=None if new_index is None else new_index + 1,
                old_position=None if old_index is None else old_index + 1,
                text=old[old_index] if kind == REMOVED else new[new_index],
                old_text=old[old_index] if kind == CHANGED else "",
            )
        )
    return changes


def _newly_outdated(before, after):
    """Per other language: its translated units outdated after the import and not before."""
    source = after["source_language"]
    old_units = {u["key"]: u for u in (before or {}).get("units", [])}

    def outdated(unit, code):
        text, _revision, source_revision = unit["texts"][code]
        return bool(text) and source_revision < unit["texts"][source][1]

    counts = {}
    for code in language_codes():
        if code == source:
            continue
        count = sum(
            outdated(unit, code)
            and not (unit["key"] in old_units and outdated(old_units[unit["key"]], code))
            for unit in after["units"]
        )
        if count:
            counts[code] = count
    return counts
