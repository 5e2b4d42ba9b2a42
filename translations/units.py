"""The bookkeeping of a unit's text (an article's title or a paragraph), in one place.

Every writer of a unit's text (the desk's saves, the source's structure
edits, the importer) sets it through :func:`unit_text_set` or writes the same
fields :func:`unit_changes` names: the text, its revision (one up per write,
which is how a save loaded at an older revision is caught as a conflict:
invariant 4, no silent overwrite), for a translation the source revision it
was made from, and who wrote it when. Paragraph keys and positions are kept
here too: a key is never reused within an article, and positions are
renumbered without two rows ever sharing one.
"""

import uuid

from django.db.models import F

from .languages import localized_field
from .models import Paragraph

# Rows per UPDATE of bulk_update: its CASE is read once per row, so one statement
# over n rows costs n * n; batches keep it n * UPDATE_BATCH.
UPDATE_BATCH = 200

def unit_changes(model, language, *, revision, text=None, source_revision=None, edited=None):
    """``{field: value}`` for a write of ``language``'s text on a unit of ``model``.

    ``text`` None leaves the text (a "still correct" confirmation);
    ``source_revision`` None leaves it (a source text has none);
    ``edited`` is ``(user, when)``, None to keep the unit's author.
    """
    changes = {localized_field("revision", language): revision}
    if edited is not None:
        user, when = edited
        changes[localized_field("edited_by", language)] = user
        changes[localized_field("edited_at", language)] = when
    if text is not None:
        changes[localized_field(model.TEXT_FIELD, language)] = text
    if source_revision is not None:
        changes[localized_field("source_revision", language)] = source_revision
    return changes


def unit_text_set(unit, language, text, *, revision=None, source_revision=None, edited=None):
    """Put ``text`` into ``unit`` in memory; the caller saves :func:`unit_fields`.

    ``revision`` is the new revision, one above the unit's by default. Returns it.
    """
    revision = unit.revision_in(language) + 1 if revision is None else revision
    changes = unit_changes(
        type(unit),
        language,
        revision=revision,
        text=text,
        source_revision=source_revision,
        edited=edited,
    )
    for field, value in changes.items():
        setattr(unit, field, value)
    return revision


def unit_author_copy(source, target, language):
    """Who wrote ``source``'s text in ``language`` wrote ``target``'s copy of it too."""
    for field in (
        localized_field("edited_by", language) + "_id",
        localized_field("edited_at", language),
    ):
        setattr(target, field, getattr(source, field))


def unit_fields(model, *languages, source_revision=False):
    """The columns :func:`unit_text_set` writes on ``model`` for ``languages``."""
    names = [model.TEXT_FIELD, "revision", "edited_by", "edited_at"]
    if source_revision:
        names.insert(2, "source_revision")
    return [localized_field(name, language) for language in languages for name in names]


def paragraph_key_new(keys=()):
    """A new paragraph key not in ``keys`` (a set it joins, if given): keys are never reused."""
    key = uuid.uuid4().hex[:12]
    while key in keys:
        key = uuid.uuid4().hex[:12]
    if isinstance(keys, set):
        keys.add(key)
    return key


def paragraphs_place(paragraphs, positions):
    """Move ``paragraphs`` to ``positions`` (in step) without two ever sharing one.

    The unique (article, position) constraint is checked row by row, so the
    rows that move first go above every position in use, then to their places.
    Returns the paragraphs that moved.
    """
    positions = list(positions)
    moving = [p for p, n in zip(paragraphs, positions, strict=True) if p.position != n]
    if moving:
        offset = max(p.position for p in paragraphs) + max(positions) + 1
        Paragraph.objects.filter(pk__in=[p.pk for p in moving]).update(
            position=F("position") + offset
        )
    for paragraph, position in zip(paragraphs, positions, strict=True):
        paragraph.position = position
    if moving:
        Paragraph.objects.bulk_update(moving, ["position"], batch_size=UPDATE_BATCH)
    return moving


def paragraphs_renumber(paragraphs):
    """Number ``paragraphs`` (in their new order) 1..n: :func:`paragraphs_place`."""
    return paragraphs_place(paragraphs, range(1, len(paragraphs) + 1))
