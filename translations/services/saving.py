"""Saving units' text: one compare-and-set UPDATE per model, however many rows.

The engine behind every save of the working copy (the editor, XLIFF): each
row is written only while its revision is still the one its writer loaded.
The fields a write sets are :func:`translations.units.unit_changes`.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..languages import localized_field
from ..models import Article
from ..signals import source_changed
from ..texts import text_validate
from ..units import unit_changes


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
    return unit_changes(
        model,
        language,
        revision=write.loaded_revision + 1,
        text=None if write.confirm_only else write.text,
        source_revision=None if is_source else source_revision,
        edited=(user, now),
    )


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
