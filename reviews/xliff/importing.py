"""Applying translated XLIFF files to the working copy, through the editor's rules.

Every unit the file changed goes through :func:`reviews.services.units_save`
with the revisions it was exported at, so conflicts are found exactly as in
the editor. Per unit the report says:

- ``updated``: the file's text is now the working copy;
- ``unchanged``: the file left the unit as exported (or it already holds that text);
- ``conflict``: someone saved newer text since the export; nothing written;
- ``unknown``: the article has no such paragraph (any more); nothing written;
- ``source_changed``: written, but the source changed since the export, so the
  unit stays *outdated* (it records the source revision the translator saw).
  Refusing would throw the translator's work away; keeping it marked sends it
  through the same "check against the new source" step as in the editor, and
  an outdated unit blocks submission until someone does;
- ``not_in_file``: a paragraph of the article the file does not have (added
  since the export); untouched.

A file for another article or language pair, a broken file, text no paragraph
may hold, or a user without the right to edit: the whole upload is refused and
nothing is written (one transaction for everything in it).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from translations.languages import language_codes, localized_field
from translations.models import Article, Edition, Paragraph, Version
from translations.services import audit_record, text_validate

from ..services import RowInput, units_save
from ..workflow import EDITABLE_STATES, Permission, edition_actions
from .parsing import XliffError, documents, read_limited
from .reading import xliff_read
from .writing import target_digest

STATUSES = {
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "conflict": gettext_lazy("conflict: someone saved newer text since the export"),
    "unknown": gettext_lazy("unknown id: the article has no such paragraph"),
    "source_changed": gettext_lazy(
        "updated, but the source changed since the export: still outdated"
    ),
    "not_in_file": gettext_lazy("not in the file"),
}
# For the totals above a report.
STATUS_TOTALS = {
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "conflict": gettext_lazy("conflicts"),
    "unknown": gettext_lazy("unknown ids"),
    "source_changed": gettext_lazy("updated but still outdated"),
    "not_in_file": gettext_lazy("not in the file"),
}
REFUSED = {"conflict", "unknown"}


@dataclass
class UnitOutcome:
    key: str
    label: str
    status: str
    text: str = ""  # the file's text
    theirs: str = ""  # the working copy's newer text, on a conflict

    @property
    def status_display(self):
        return STATUSES[self.status]

    @property
    def refused(self):
        return self.status in REFUSED


@dataclass
class FileOutcome:
    name: str
    edition: Edition
    export_id: str
    xliff_version: str
    units: list = field(default_factory=list)

    def counts(self):
        counts = dict.fromkeys(STATUSES, 0)
        for unit in self.units:
            counts[unit.status] += 1
        return counts

    @property
    def refused(self):
        return [unit for unit in self.units if unit.refused]


@dataclass
class ImportReport:
    files: list = field(default_factory=list)

    @property
    def refused(self):
        return [unit for file in self.files for unit in file.refused]


def xliff_import(*, source, user, name="", edition=None):
    """Import one XLIFF file or a zip of them (``source``: bytes or a file object).

    With ``edition`` the upload must be for that edition. Returns an
    :class:`ImportReport`; raises :class:`XliffError` (a ``ValidationError``)
    or ``PermissionDenied`` with nothing written.
    """
    data = read_limited(source, name=name)
    parsed = [xliff_read(content, name=member) for member, content in documents(data, name=name)]
    with transaction.atomic():
        targets = [(file, _edition_for(file, expected=edition)) for file in parsed]
        seen = {}
        for file, target in targets:
            if target.pk in seen:
                raise XliffError(
                    _("%(other)s is for the same edition; import one file per edition.")
                    % {"other": seen[target.pk]},
                    name=file.name,
                )
            seen[target.pk] = file.name or _("the first file")
        return ImportReport([_apply(file, target, user) for file, target in targets])


def _language_matches(tag, code):
    tag = tag.strip().lower().replace("_", "-")
    return tag == code or tag.startswith(code + "-")


def _edition_for(file, *, expected):
    article = Article.objects.filter(slug=file.slug).first()
    if article is None:
        raise XliffError(
            _("There is no article “%(slug)s”.") % {"slug": file.slug[:80]}, name=file.name
        )
    languages = [code for code in language_codes() if _language_matches(file.target_language, code)]
    pair = f"{file.source_language[:20]} → {file.target_language[:20]}"
    if not _language_matches(file.source_language, article.source_language) or not languages:
        raise XliffError(
            _(
                "The file translates %(pair)s, but “%(slug)s” is written in %(source)s: "
                "it is not an export of one of this article's translations."
            )
            % {"pair": pair, "slug": article.slug, "source": article.source_language},
            name=file.name,
        )
    target = Edition.objects.filter(article=article, language=languages[0]).first()
    if target is None or target.language == article.source_language:
        raise XliffError(
            _("“%(slug)s” has no %(language)s translation to import into.")
            % {"slug": article.slug, "language": languages[0]},
            name=file.name,
        )
    if expected is not None and target.pk != expected.pk:
        raise XliffError(
            _("This file is for “%(file)s” (%(pair)s), not for “%(edition)s”: nothing imported.")
            % {"file": article.slug, "pair": pair, "edition": expected},
            name=file.name,
        )
    return target


def _apply(file, edition, user):
    edition = Edition.objects.select_for_update().select_related("article").get(pk=edition.pk)
    _require_edit(edition, user, file.name)
    article = edition.article
    language, source_language = edition.language, article.source_language
    paragraphs = list(Paragraph.objects.filter(article=article).order_by("position"))
    current = {Version.TITLE_KEY: article} | {p.key: p for p in paragraphs}
    labels = {Version.TITLE_KEY: str(_("Title"))} | {
        p.key: str(_("Paragraph %(number)d") % {"number": n}) for n, p in enumerate(paragraphs, 1)
    }
    outcome = FileOutcome(file.name, edition, file.export_id, file.xliff_version)
    rows, by_key = [], {}
    for unit in file.units:
        existing = current.get(unit.key)
        label = labels.get(unit.key, unit.key)
        by_key[unit.key] = unit
        if existing is None:
            outcome.units.append(UnitOutcome(unit.key, label, "unknown", unit.target or ""))
        elif (
            unit.target is None
            or target_digest(unit.target) == unit.target_hash
            or unit.target == existing.text_in(language)
        ):
            outcome.units.append(UnitOutcome(unit.key, label, "unchanged", unit.target or ""))
        else:
            outcome.units.append(UnitOutcome(unit.key, label, "pending", unit.target))
            rows.append(
                RowInput(
                    key=unit.key,
                    text=unit.target,
                    revision=unit.revision,
                    source_revision=unit.source_revision,
                )
            )
    _validate(rows, labels, language, file.name)
    # Called even when nothing changed: units_save checks the right to edit again.
    saved = {row.key: row for row in units_save(edition=edition, user=user, rows=rows).rows}
    for unit_outcome in outcome.units:
        if unit_outcome.status != "pending":
            continue
        result = saved[unit_outcome.key]
        if result.status == "saved":
            source_now = current[unit_outcome.key].revision_in(source_language)
            stale = by_key[unit_outcome.key].source_revision < source_now
            unit_outcome.status = "source_changed" if stale else "updated"
        elif result.status == "conflict":
            unit_outcome.status = "conflict"
            unit_outcome.theirs = result.theirs
        else:
            unit_outcome.status = result.status
    for key, label in labels.items():
        if key not in by_key:
            outcome.units.append(UnitOutcome(key, label, "not_in_file"))
    audit_record(
        action="reviews.xliff.import",
        actor=user,
        edition=edition,
        data={
            "export": file.export_id,
            "file": file.name,
            "xliff": file.xliff_version,
            "counts": outcome.counts(),
        },
    )
    return outcome


def _require_edit(edition, user, name):
    if Permission.EDIT in edition_actions(edition=edition, user=user):
        return
    if edition.state not in EDITABLE_STATES:
        message = _(
            "“%(edition)s” is %(state)s: its working copy cannot be changed now, "
            "so nothing was imported."
        ) % {"edition": edition, "state": edition.get_state_display().lower()}
    else:
        message = _(
            "You may not edit “%(edition)s” (only its assigned translators and editors "
            "may): nothing was imported."
        ) % {"edition": edition}
    raise PermissionDenied(f"{name}: {message}" if name else message)


def _validate(rows, labels, language, name):
    """Refuse the file, naming every unit, when any text cannot be stored."""
    problems = []
    title_limit = Article._meta.get_field(localized_field("title", language)).max_length
    for row in rows:
        label = labels.get(row.key, row.key)
        try:
            text_validate(row.text, label=label)
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        if row.key == Version.TITLE_KEY and len(row.text) > title_limit:
            problems.append(
                _("%(label)s is %(length)d characters long; the limit is %(limit)d.")
                % {"label": label, "length": len(row.text), "limit": title_limit}
            )
    if problems:
        raise XliffError(" ".join(problems), name=name)
