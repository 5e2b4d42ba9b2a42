"""The import itself: a new article, a re-import, or an edition from outside the desk."""

import hashlib
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..languages import is_language, language_codes, localized_field
from ..models import Article, Edition, EditionState, Paragraph, Version
from ..services import (
    audit_record,
    contributor_by_name,
    credits_replace,
    edition_get_or_create,
    version_go_live,
    version_snapshot,
)
from ..signals import source_changed
from ..slugs import slug_family, slug_from_title, slug_unique
from ..states import Move, edition_state_move
from ..units import (
    UPDATE_BATCH,
    paragraph_key_new,
    paragraphs_place,
    unit_fields,
    unit_text_set,
)
from .aligning import ADDED, CHANGED, MOVED, REMOVED, paragraphs_align
from .parsing import ArticleImportError, article_parse, excerpt


@dataclass
class ImportReport:
    """What an import did. Counts are of paragraphs; ``kind`` is created, updated or attached."""

    slug: str
    language: str
    kind: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    moved: int = 0
    title_changed: bool = False
    dateline_changed: bool = False
    publish_requested: bool = False
    # The version this import made live, if any; the edition's live version after it.
    published_version: int | None = None
    live_version: int | None = None
    state: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def path(self):
        return f"/{self.language}/articles/{self.slug}/"

    @property
    def text_changed(self):
        """Whether the working copy changed (the dateline is not versioned text)."""
        return bool(self.added or self.changed or self.removed or self.moved or self.title_changed)

    def as_data(self):
        data = asdict(self)
        del data["notes"]
        return data


def article_import(*, data, language, publish=False, article_slug=None, user=None):
    """Import one article file (bytes) as a new article, a re-import, or an edition.

    Without ``article_slug`` the file is the source text of an article in
    ``language``: a new one, or an update of the same article imported before
    (see the module docstring for "same"). With ``article_slug`` it updates that
    article's source text when ``language`` is the article's source language,
    and otherwise becomes its ``language`` edition, paragraph by paragraph.
    ``publish`` makes the result an approved, live version credited as the file
    says, when it differs from the live one.

    All or nothing: any refusal raises :class:`ArticleImportError` (a
    ``ValidationError``) and writes nothing.
    """
    if not is_language(language):
        raise ArticleImportError(
            _("Unknown language “%(code)s”; the configured languages are: %(codes)s.")
            % {"code": excerpt(str(language)), "codes": ", ".join(language_codes())}
        )
    parsed = article_parse(data, language=language)
    digest = hashlib.sha256(data).hexdigest()
    # A concurrent import of the same new article loses the race for its slug
    # (a unique constraint); the second attempt finds that article and updates it.
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _Import(parsed, language, publish, user, digest).run(article_slug)
        except IntegrityError as error:
            if attempt:
                raise ArticleImportError(
                    _("The article changed while it was being imported; run the import again.")
                ) from error


def article_import_parsed(*, parsed, language, publish=False, article_slug=None, user=None,
                          digest=""):  # fmt: skip
    """Import an article already read into a :class:`ParsedArticle` (the REST API's ingest).

    The same rules as :func:`article_import` with ``article_slug``: a re-import
    of that article's source text (paragraph keys kept, the translations of
    changed paragraphs outdated) or its ``language`` edition. Without
    ``article_slug`` it always makes a new article: a caller that has its
    own identity for articles (an ``external_id``) looks it up first, and two
    of its stories never merge because they share a headline and a dateline.
    ``digest`` names the input in the audit. All or nothing, as the import.
    """
    if not is_language(language):
        raise ArticleImportError(
            _("Unknown language “%(code)s”; the configured languages are: %(codes)s.")
            % {"code": excerpt(str(language)), "codes": ", ".join(language_codes())}
        )
    with transaction.atomic():
        run = _Import(parsed, language, publish, user, digest)
        if article_slug is not None:
            return run.run(article_slug)
        base = slug_from_title(parsed.title)
        family = Article.objects.filter(slug__startswith=base).order_by("id")
        return run.article_create(base, [a for a in family if slug_family(a.slug, base)])


class _Import:
    def __init__(self, parsed, language, publish, user, digest):
        self.parsed = parsed
        self.language = language
        self.publish = publish
        self.user = user
        self.digest = digest
        self.now = timezone.now()

    def run(self, article_slug):
        if article_slug is not None:
            article = Article.objects.select_for_update().filter(slug=article_slug).first()
            if article is None:
                raise ArticleImportError(
                    _("There is no article with the slug “%(slug)s”.")
                    % {"slug": excerpt(article_slug)}
                )
            if article.source_language != self.language:
                return self.edition_attach(article)
            return self.source_update(article)
        base = slug_from_title(self.parsed.title)
        family = Article.objects.select_for_update().filter(slug__startswith=base).order_by("id")
        family = [article for article in family if slug_family(article.slug, base)]
        for article in family:
            if (
                article.source_language == self.language
                and article.dateline == self.parsed.dateline
            ):
                return self.source_update(article)
        return self.article_create(base, family)

    def article_create(self, base, family):
        taken = {article.slug for article in family}
        article = Article(
            slug=slug_unique(base, taken=taken.__contains__),
            source_language=self.language,
            dateline=self.parsed.dateline,
        )
        self.set_text(article, self.language, self.parsed.title, revision=1)
        article.save()
        keys = set()
        rows = []
        for position, text in enumerate(self.parsed.paragraphs, start=1):
            rows.append(Paragraph(article=article, key=paragraph_key_new(keys), position=position))
            self.set_text(rows[-1], self.language, text, revision=1)
        Paragraph.objects.bulk_create(rows)
        report = ImportReport(article.slug, self.language, "created", added=len(rows))
        if family:
            report.notes.append(
                _("“%(slug)s” has the same title but another dateline: this is a new article. "
                  "To update that one instead, import with --article %(slug)s.")
                % {"slug": family[0].slug}
            )  # fmt: skip
        return self.finish(article, report, "translations.article.import")

    def source_update(self, article):
        language = self.language
        report = ImportReport(article.slug, language, "updated")
        old = list(
            Paragraph.objects.select_for_update().filter(article=article).order_by("position")
        )
        new = self.parsed.paragraphs
        edition = self.edition(article)
        live = _live_texts(edition)
        kept, touched, inserted = [], [], []
        for old_index, new_index, kind in paragraphs_align(
            [p.text_in(language) for p in old], list(new)
        ):
            if kind == REMOVED:
                _refuse_overwrite(old[old_index], language, live, self.user)
                report.removed += 1
                continue
            if kind == ADDED:
                inserted.append(new_index)
                continue
            paragraph = old[old_index]
            paragraph.final_position = new_index + 1
            kept.append(paragraph)
            if kind == CHANGED:
                _refuse_overwrite(
                    paragraph,
                    language,
                    live,
                    self.user,
                    line=self.parsed.paragraph_lines[new_index],
                )
                self.set_text(paragraph, language, new[new_index])
                touched.append(paragraph)
                report.changed += 1
            else:
                report.unchanged += 1
                report.moved += kind == MOVED
        report.added = len(inserted)
        kept_keys = {p.key for p in kept}
        Paragraph.objects.filter(article=article).exclude(key__in=kept_keys).delete()
        self.renumber(kept, touched)
        keys = {p.key for p in old}
        rows = []
        for new_index in inserted:
            rows.append(
                Paragraph(article=article, key=paragraph_key_new(keys), position=new_index + 1)
            )
            self.set_text(rows[-1], language, new[new_index], revision=1)
        Paragraph.objects.bulk_create(rows)
        fields = ["updated_at"]
        if article.text_in(language) != self.parsed.title:
            _refuse_overwrite(article, language, live, self.user, line=1)
            self.set_text(article, language, self.parsed.title)
            fields += unit_fields(Article, language)
            report.title_changed = True
        if article.dateline != self.parsed.dateline:
            article.dateline = self.parsed.dateline
            fields.append("dateline")
            report.dateline_changed = True
        article.save(update_fields=fields)
        for unit in ([article] if report.title_changed else []) + touched:
            source_changed.send(sender=type(unit), unit=unit, article=article, user=self.user)
        return self.finish(article, report, "translations.article.reimport", edition=edition)

    def renumber(self, kept, touched):
        """Give kept paragraphs their new positions, and save the touched ones' text."""
        if kept:
            paragraphs_place(kept, [p.final_position for p in kept])
        # Each field is written only where it changed: bulk_update's CASE grows
        # with rows times fields (and with rows again per row: see UPDATE_BATCH).
        if touched:
            Paragraph.objects.bulk_update(
                touched, unit_fields(Paragraph, self.language), batch_size=UPDATE_BATCH
            )

    def edition_attach(self, article):
        """The file as ``self.language``'s edition: paragraph n of the file translates n."""
        language, source = self.language, article.source_language
        paragraphs = list(
            Paragraph.objects.select_for_update().filter(article=article).order_by("position")
        )
        found, expected = len(self.parsed.paragraphs), len(paragraphs)
        if found != expected:
            raise ArticleImportError(
                _("The file has %(found)d paragraphs but the article “%(slug)s” has "
                  "%(expected)d; a translation must match its source paragraph by paragraph.")
                % {"found": found, "expected": expected, "slug": article.slug},
                line=self.parsed.paragraph_lines[expected] if found > expected else None,
            )  # fmt: skip
        edition = self.edition(article)
        live = _live_texts(edition)
        report = ImportReport(article.slug, language, "attached")
        units = [(article, self.parsed.title, 1)]
        units += zip(paragraphs, self.parsed.paragraphs, self.parsed.paragraph_lines, strict=True)
        touched = []
        for unit, text, line in units:
            source_revision = unit.revision_in(source)
            if unit.text_in(language) == text and unit.source_revision_in(language) == (
                source_revision
            ):
                report.unchanged += unit is not article
                continue
            _refuse_overwrite(unit, language, live, self.user, line=line)
            if unit is article:
                report.title_changed = True
            elif unit.text_in(language):
                report.changed += 1
            else:
                report.added += 1
            self.set_text(unit, language, text, source_revision=source_revision)
            touched.append(unit)
        if report.title_changed:
            article.save(
                update_fields=[*unit_fields(Article, language, source_revision=True), "updated_at"]
            )
        rows = [unit for unit in touched if unit is not article]
        if rows:
            Paragraph.objects.bulk_update(
                rows,
                unit_fields(Paragraph, language, source_revision=True),
                batch_size=UPDATE_BATCH,
            )
        return self.finish(article, report, "translations.edition.import", edition=edition)

    def edition(self, article):
        edition = edition_get_or_create(article=article, language=self.language)
        return (
            Edition.objects.select_for_update(of=("self",))
            .select_related("live_version")
            .get(pk=edition.pk)
        )

    def finish(self, article, report, action, edition=None):
        """Publish, or leave a draft, and record the import in the audit."""
        edition = edition or self.edition(article)
        report.publish_requested = self.publish
        data = {**report.as_data(), "sha256": self.digest}
        if self.publish and edition.state == EditionState.IN_REVIEW:
            # A version is waiting for an editor's decision; publishing past it
            # would let that older decision replace this text later.
            raise ArticleImportError(
                _(
                    "The %(language)s edition is in review: let an editor decide on it "
                    "first, or import without --publish."
                )
                % {"language": edition.language}
            )
        if self.publish and _differs_from_live(edition, self.parsed.credits):
            version = version_snapshot(edition=edition, user=self.user)
            credits = [
                (contributor_by_name(name, language=self.language), role)
                for role, name in self.parsed.credits
            ]
            credits_replace(version=version, credits=credits)
            report.published_version = version.number
            version_go_live(
                version=version,
                user=self.user,
                action=action,
                move=Move.PUBLISH_ON_IMPORT,
                data={**data, "published_version": version.number},
            )
            report.state = EditionState.APPROVED
            report.live_version = version.number
            return report
        if report.text_changed:
            # The text now waits in the working copy (see Move.IMPORT in the table).
            edition_state_move(
                edition=edition, move=Move.IMPORT, user=self.user, action=action, data=data
            )
        else:
            audit_record(
                action=action,
                actor=self.user,
                edition=edition,
                from_state=edition.state,
                to_state=edition.state,
                data=data,
            )
        report.state = edition.state
        report.live_version = edition.live_version.number if edition.live_version else None
        return report

    def set_text(self, unit, language, text, *, revision=None, source_revision=None):
        unit_text_set(
            unit,
            language,
            text,
            revision=revision,
            source_revision=source_revision,
            edited=(self.user, self.now),
        )


def _live_texts(edition):
    live = edition.live_version
    return {unit["key"]: unit["text"] for unit in live.units} if live else {}


def _refuse_overwrite(unit, language, live, user, *, line=None):
    """Refuse to replace or delete text another person saved and nobody published yet."""
    working = unit.text_in(language)
    author = unit.edited_by_id_in(language)
    if not working or author is None or (user is not None and author == user.pk):
        return
    if isinstance(unit, Article):
        key, where = Version.TITLE_KEY, _("the title")
    else:
        key, where = unit.key, _("paragraph %(number)d") % {"number": unit.position}
    if live.get(key) == working:
        return
    raise ArticleImportError(
        _("The %(language)s text of %(where)s has changes by another person that are not "
          "published; this import would overwrite them. Publish or undo them first.")
        % {"language": language, "where": where},
        line=line,
    )  # fmt: skip


def _differs_from_live(edition, credits):
    """Whether a version made now would differ from the live one (text, order or credits)."""
    live = edition.live_version
    if live is None:
        return True
    language = edition.language
    article = Article.objects.get(pk=edition.article_id)
    source = article.source_language

    def unit(key, unit):
        made_from = (
            unit.revision_in(source) if language == source else unit.source_revision_in(language)
        )
        return key, unit.text_in(language), made_from

    current = [unit(Version.TITLE_KEY, article)]
    current += [unit(p.key, p) for p in article.paragraphs.order_by("position")]
    if current != [(u["key"], u["text"], u["source_revision"]) for u in live.units]:
        return True
    return not _credits_match(live, credits)


def _credits_match(version, credits):
    wanted, have = {}, {}
    for role, name in credits:
        names = wanted.setdefault(role, [])
        if name not in names:
            names.append(name)
    for credit in version.credits.select_related("contributor").order_by("role", "order"):
        have.setdefault(credit.role, []).append(credit.contributor)
    if wanted.keys() != have.keys():
        return False
    return all(
        len(wanted[role]) == len(have[role])
        and all(name in _spellings(c) for name, c in zip(wanted[role], have[role], strict=True))
        for role in wanted
    )


def _spellings(contributor):
    return {contributor.name} | {
        getattr(contributor, localized_field("name", code)) for code in language_codes()
    }


# How each paragraph of a re-import relates to the article's paragraphs.
