"""Writes to the content. Keyword-only, each multi-row write in one transaction.

These are the primitives: they keep the content consistent (revisions,
snapshots, credits, the audit) but know nothing of who may do what. The
desk's rules live in ``reviews.workflow``, which calls these.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import search
from ..languages import is_language, localized_field
from ..models import (
    Article,
    AuditEntry,
    Contributor,
    Credit,
    Edition,
    EditionState,
    Paragraph,
    Version,
)
from ..signals import source_changed, version_published
from ..slugs import slug_from_title, slug_unique


def audit_record(
    *,
    action,
    actor=None,
    article=None,
    edition=None,
    version=None,
    from_state="",
    to_state="",
    comment="",
    data=None,
):
    """Write one immutable audit entry (``action`` is dotted: ``reviews.version.approve``)."""
    if edition is not None and article is None:
        article = edition.article
    if version is not None and edition is None:
        edition = version.edition
        article = article or edition.article
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        article=article,
        edition=edition,
        version=version,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )


def text_hash(text):
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


# What text_validate refuses, as one character class: control characters but
# tab and line feed, DEL, lone surrogates. A search in C, not a loop in Python.
UNSTORABLE_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def text_validate(text, *, label=None):
    """Refuse text no paragraph may hold: too long, control characters, lone surrogates."""
    limit = settings.TILMASH_MAX_PARAGRAPH_CHARS
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s is %(length)d characters long; the limit is %(limit)d.")
            % {"label": label or _("Text"), "length": len(text), "limit": limit},
            code="too_long",
        )
    found = UNSTORABLE_CHARACTER.search(text)
    if found is not None:
        raise ValidationError(
            _("%(label)s contains a character that cannot be stored (U+%(code)04X).")
            % {"label": label or _("Text"), "code": ord(found.group())},
            code="bad_character",
        )
    return text


def new_paragraph_key():
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class UnitSaveResult:
    unit: object
    saved: bool
    unchanged: bool = False

    @property
    def conflict(self):
        return not self.saved and not self.unchanged


def unit_text_save(
    *, unit, language, text, loaded_revision, user, source_revision=None, confirm_only=False
):
    """Save one language's text of a title or paragraph unless someone saved since.

    The write is a single conditional UPDATE (``WHERE revision_<lang> =
    loaded_revision``, NULL counting as 0), so two concurrent saves of the
    same unit can never both succeed: the loser gets ``saved=False`` and the
    unit as it is now, to show both texts (None if it was deleted meanwhile).
    Saving a translation records the source revision it was made against
    (``source_revision``: the one the translator was shown; the current one
    when not given), which clears the *outdated* mark; ``confirm_only`` does
    only that ("still correct"), without the text.

    Saving the source language's text bumps the source revision, which makes
    every translation of the unit outdated, and sends ``source_changed``.
    Many units at once: :func:`units_text_save`, which this is one write of.
    """
    write = UnitWrite(
        unit=unit,
        text=text,
        loaded_revision=loaded_revision,
        source_revision=source_revision,
        confirm_only=confirm_only,
    )
    return units_text_save(writes=[write], language=language, user=user)[0]


@dataclass(frozen=True)
class UnitWrite:
    """One unit's save for :func:`units_text_save`: what :func:`unit_text_save` takes."""

    unit: object
    text: str
    loaded_revision: int
    source_revision: int | None = None
    confirm_only: bool = False
    label: str | None = None  # names the unit when its text is refused


# Rows per UPDATE: far below both databases' limits on parameters.
UNITS_PER_STATEMENT = 500


def units_text_save(*, writes, language, user):
    """:func:`unit_text_save` for many units of one article, in one transaction.

    One :class:`UnitSaveResult` per write, in order, each what that save would
    have had alone. Every text is checked first (``text_validate``, with the
    write's ``label``); a bad one refuses the whole call with nothing written.
    A unit already holding the text (and revisions) posted is ``unchanged``.
    The others are written by one UPDATE for the title and one for all the
    paragraphs, which changes each row only while its revision is still the
    one the writer loaded (NULL counts as 0): a row it did not change lost to
    someone else's save and comes back as a conflict, read again as it is now
    (``unit`` None if it was deleted meanwhile). Writing the source language
    sends ``source_changed`` for each unit written.

    A unit named twice is saved in turn, as two calls would: the second write
    compares with what the first left.
    """
    for write in writes:
        if not write.confirm_only:
            text_validate(write.text, label=write.label)
    results = [None] * len(writes)
    if not writes:
        return results
    first = writes[0].unit
    article = first if isinstance(first, Article) else first.article
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        for batch in _rounds(writes):
            _units_round(batch, results, article=article, language=language, user=user, now=now)
    return results


def _rounds(writes):
    """``[[(index, write), …], …]``: each unit once per round, in the order named."""
    rounds, named = [], {}
    for index, write in enumerate(writes):
        unit_id = (type(write.unit), write.unit.pk)
        depth = named[unit_id] = named.get(unit_id, -1) + 1
        if depth == len(rounds):
            rounds.append([])
        rounds[depth].append((index, write))
    return rounds


def _units_round(batch, results, *, article, language, user, now):
    source_language = article.source_language
    is_source = language == source_language
    by_model = {}
    for index, write in batch:
        unit = write.unit
        source_revision = write.source_revision
        if not is_source and source_revision is None:
            source_revision = unit.revision_in(source_language)
        if not write.confirm_only and (
            unit.text_in(language) == write.text
            and unit.revision_in(language) == write.loaded_revision
            and (is_source or unit.source_revision_in(language) == source_revision)
        ):
            results[index] = UnitSaveResult(unit=unit, saved=False, unchanged=True)
            continue
        by_model.setdefault(type(unit), []).append((index, write, source_revision))
    for model, rows in by_model.items():
        written = set()
        for start in range(0, len(rows), UNITS_PER_STATEMENT):
            chunk = rows[start : start + UNITS_PER_STATEMENT]
            written |= _units_update(
                model, chunk, language=language, is_source=is_source, user=user, now=now
            )
        lost = [write.unit.pk for _index, write, _revision in rows if write.unit.pk not in written]
        now_stored = model.objects.in_bulk(lost) if lost else {}
        for index, write, source_revision in rows:
            unit = write.unit
            if unit.pk not in written:
                results[index] = UnitSaveResult(unit=now_stored.get(unit.pk), saved=False)
                continue
            # Reflect the write on the object instead of reading the rows back.
            changes = _unit_changes(model, write, source_revision, language, is_source, user, now)
            for field, value in changes.items():
                setattr(unit, field, value)
            results[index] = UnitSaveResult(unit=unit, saved=True)
            if is_source:
                source_changed.send(sender=model, unit=unit, article=article, user=user)


def _unit_changes(model, write, source_revision, language, is_source, user, now):
    changes = {
        localized_field("revision", language): write.loaded_revision + 1,
        localized_field("edited_by", language): user,
        localized_field("edited_at", language): now,
    }
    if not write.confirm_only:
        changes[localized_field(model.TEXT_FIELD, language)] = write.text
    if not is_source:
        changes[localized_field("source_revision", language)] = source_revision
    return changes


def _update_from_supported():
    """UPDATE … FROM with RETURNING: PostgreSQL, and SQLite from 3.35."""
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version_info >= (3, 35)
    return False


def _units_update(model, rows, *, language, is_source, user, now):
    """Write ``rows`` (``(index, write, source_revision)``) where their revision is still the
    loaded one; the ids of the rows written.

    One statement: the rows' values are a VALUES list joined to the table by
    id, and the WHERE clause compares each row's revision with its own loaded
    one, so every row keeps its compare-and-set however many share the
    statement.
    """
    if not _update_from_supported():
        return _units_update_each(
            model, rows, language=language, is_source=is_source, user=user, now=now
        )
    meta, quote = model._meta, connection.ops.quote_name

    def column(name):
        return quote(meta.get_field(localized_field(name, language)).column)

    table = quote(meta.db_table)
    pk = quote(meta.pk.column)
    revision, text = column("revision"), column(model.TEXT_FIELD)
    edited_at_field = meta.get_field(localized_field("edited_at", language))
    assignments = [
        f"{text} = COALESCE(v.new_text, {table}.{text})",
        f"{revision} = v.loaded_revision + 1",
        f"{column('edited_by')} = %s",
        f"{column('edited_at')} = %s",
    ]
    if not is_source:
        assignments.append(f"{column('source_revision')} = v.source_revision")
    values, params = [], []
    for _index, write, source_revision in rows:
        values.append(
            "(CAST(%s AS bigint), CAST(%s AS integer), CAST(%s AS text), CAST(%s AS integer))"
        )
        params += [
            write.unit.pk,
            write.loaded_revision,
            None if write.confirm_only else write.text,
            source_revision,
        ]
    params += [
        None if user is None else user.pk,
        edited_at_field.get_db_prep_save(now, connection),
    ]
    sql = (
        f"WITH v (id, loaded_revision, new_text, source_revision) AS (VALUES {', '.join(values)}) "
        f"UPDATE {table} SET {', '.join(assignments)} FROM v "
        f"WHERE {table}.{pk} = v.id AND COALESCE({table}.{revision}, 0) = v.loaded_revision "
        f"RETURNING {table}.{pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _units_update_each(model, rows, *, language, is_source, user, now):
    """:func:`_units_update` one row at a time, where UPDATE … FROM is not available."""
    revision_field = localized_field("revision", language)
    written = set()
    for _index, write, source_revision in rows:
        loaded = Q(**{revision_field: write.loaded_revision})
        if write.loaded_revision == 0:
            loaded |= Q(**{f"{revision_field}__isnull": True})
        changes = _unit_changes(model, write, source_revision, language, is_source, user, now)
        if model.objects.filter(loaded, pk=write.unit.pk).update(**changes):
            written.add(write.unit.pk)
    return written


def contributor_for_user(user):
    """The contributor who stands for ``user`` in credits, made on first use."""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None:
        name = user.get_full_name() or user.get_username()
        contributor = Contributor(user=user)
        setattr(contributor, localized_field("name", settings.LANGUAGE_CODE), name)
        contributor.name = name
        contributor.save()
    return contributor


def contributor_by_name(name, *, language):
    """Find a contributor by any spelling of their name, or create one.

    One query over every language's spelling; where several people match, the
    spelling in the earlier language of ``LANGUAGES`` wins, then the oldest.
    """
    fields = [localized_field("name", code) for code, _label in settings.LANGUAGES]
    spelled = Q()
    for field_name in fields:
        spelled |= Q(**{field_name: name})
    matches = list(Contributor.objects.filter(spelled).order_by("pk"))
    for field_name in fields:
        for found in matches:
            if getattr(found, field_name) == name:
                return found
    contributor = Contributor(name=name)
    setattr(contributor, localized_field("name", language), name)
    contributor.save()
    return contributor


def edition_get_or_create(*, article, language):
    if not is_language(language):
        raise ValidationError(_("Unknown language: %(code)s.") % {"code": language})
    edition, _created = Edition.objects.get_or_create(article=article, language=language)
    return edition


def version_snapshot(*, edition, user):
    """Freeze the edition's working copy into the next numbered version.

    The caller holds a lock on the edition (``select_for_update``), so two
    submissions cannot take the same number.
    """
    article = Article.objects.get(pk=edition.article_id)
    language = edition.language
    source_language = article.source_language
    paragraphs = list(Paragraph.objects.filter(article=article).order_by("position"))
    units = [_unit_snapshot(Version.TITLE_KEY, article, language, source_language)]
    units += [_unit_snapshot(p.key, p, language, source_language) for p in paragraphs]
    number = (edition.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return Version.objects.create(
        edition=edition,
        number=number,
        title=units[0]["text"],
        units=units,
        created_by=user,
    )


def _unit_snapshot(key, unit, language, source_language):
    return {
        "key": key,
        "text": unit.text_in(language),
        "source": unit.text_in(source_language),
        "source_revision": unit.revision_in(source_language)
        if language == source_language
        else unit.source_revision_in(language),
        "author": unit.edited_by_id_in(language),
    }


def credits_replace(*, version, credits):
    """Set a version's credits: ``credits`` is a list of ``(contributor, role)`` in order."""
    if version.is_approved:
        raise ValidationError(_("The credits of an approved version are fixed."))
    with transaction.atomic():
        version.credits.all().delete()
        order = {}
        rows = []
        for contributor, role in credits:
            if any(r.contributor_id == contributor.pk and r.role == role for r in rows):
                continue
            order[role] = order.get(role, 0) + 1
            rows.append(
                Credit(version=version, contributor=contributor, role=role, order=order[role])
            )
        Credit.objects.bulk_create(rows)
    return rows


def version_go_live(*, version, user, action, comment="", data=None):
    """Make ``version`` its edition's live version, fixing its approval.

    The caller has checked the rules; the edition's row is locked here (again).
    """
    with transaction.atomic():
        now = timezone.now()
        edition = Edition.objects.select_for_update().get(pk=version.edition_id)
        from_state = edition.state
        approved = Version.objects.filter(pk=version.pk, approved_at__isnull=True).update(
            approved_at=now, approved_by=user
        )
        if approved:
            version.approved_at, version.approved_by = now, user
        else:
            version.refresh_from_db(fields=["approved_at", "approved_by"])
        edition.live_version = version
        edition.state = EditionState.APPROVED
        edition.save(update_fields=["live_version", "state", "updated_at"])
        search.entry_write(edition=edition, version=version)
        audit_record(
            action=action,
            actor=user,
            edition=edition,
            version=version,
            from_state=from_state,
            to_state=EditionState.APPROVED,
            comment=comment,
            data=data,
        )
        version_published.send(sender=Version, version=version, user=user)
    return edition


def article_create(*, source_language, title, dateline, paragraphs, user):
    """Create an article from its source text, with its source edition.

    ``paragraphs`` is a list of texts in order. The slug comes from the title.
    The source edition starts "in progress": its text is written, and it goes
    public only once a version of it is submitted and approved. Bad input
    raises ``ValidationError`` and writes nothing.
    """
    if not is_language(source_language):
        raise ValidationError(_("Unknown language: %(code)s.") % {"code": source_language})
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("The title is empty."), code="required")
    limit = Article._meta.get_field("title").max_length
    if len(title) > limit:
        raise ValidationError(
            _("The title is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(title), "limit": limit},
            code="too_long",
        )
    text_validate(title, label=_("The title"))
    paragraphs = [text for text in paragraphs if text.strip()]
    if not paragraphs:
        raise ValidationError(_("The article has no paragraphs."), code="required")
    for number, text in enumerate(paragraphs, start=1):
        text_validate(text, label=_("Paragraph %(number)d") % {"number": number})
    now = timezone.now()

    def written(unit, text):
        setattr(unit, localized_field(type(unit).TEXT_FIELD, source_language), text)
        setattr(unit, localized_field("revision", source_language), 1)
        setattr(unit, localized_field("edited_by", source_language), user)
        setattr(unit, localized_field("edited_at", source_language), now)
        return unit

    with transaction.atomic():
        base = slug_from_title(title)
        slug = slug_unique(base, taken=lambda s: Article.objects.filter(slug=s).exists())
        article = written(
            Article(slug=slug, source_language=source_language, dateline=dateline), title
        )
        article.save()
        Paragraph.objects.bulk_create(
            written(Paragraph(article=article, key=new_paragraph_key(), position=position), text)
            for position, text in enumerate(paragraphs, start=1)
        )
        edition = Edition.objects.create(
            article=article, language=source_language, state=EditionState.IN_PROGRESS
        )
        audit_record(
            action="translations.article.create",
            actor=user,
            edition=edition,
            from_state="",
            to_state=EditionState.IN_PROGRESS,
            data={"slug": slug, "paragraphs": len(paragraphs)},
        )
    return article


def edition_start(*, article, language, user):
    """Open ``article``'s edition in ``language`` for translation: ``(edition, created)``.

    An edition that exists already is returned as it is.
    """
    if language == article.source_language:
        raise ValidationError(
            _("“%(article)s” is written in this language; it needs no translation into it.")
            % {"article": article}
        )
    with transaction.atomic():
        existing = Edition.objects.filter(article=article, language=language).first()
        if existing is not None:
            return existing, False
        edition = edition_get_or_create(article=article, language=language)
        audit_record(
            action="translations.edition.start",
            actor=user,
            edition=edition,
            to_state=edition.state,
        )
    return edition, True
