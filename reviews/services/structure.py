"""Changing an article's source: its text, and the order and shape of its paragraphs.

Structural edits happen on the source edition only, by its authors (users
assigned to it) and editors: :class:`~reviews.workflow.Permission` ``RESTRUCTURE``.
Paragraph keys are stable: an untouched paragraph keeps its key and its
translations; a split keeps the key on the first part, a merge the first key.

Every change of a source text made here records the text it replaced, under
the revision that text had, in its audit entry (``data["source_texts"]``, a
list of ``[key, revision, text]``). With the snapshots in versions, which hold
the source text of every submitted or published unit next to its source
revision, that is how the editor shows a translator what changed in the
source since their translation was made (:func:`source_texts_known`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _

from translations import services as content
from translations.languages import language_codes
from translations.models import AuditEntry, Edition, Paragraph, Version
from translations.signals import source_changed
from translations.units import (
    paragraph_key_new,
    paragraphs_renumber,
    unit_author_copy,
    unit_fields,
    unit_text_set,
)

from ..models import UnitEdit
from ..workflow import EDITABLE_STATES, Permission, edition_actions
from .saving import units_save

PARAGRAPH_ACTIONS = (
    "reviews.source.edit",
    "reviews.paragraph.insert",
    "reviews.paragraph.delete",
    "reviews.paragraph.move",
    "reviews.paragraph.split",
    "reviews.paragraph.merge",
)


def source_texts_known(*, article, wanted):
    """``{(key, revision): source text}`` for the pairs in ``wanted`` that are on record.

    Looks in what the source edits recorded here, then in every version of the
    article's editions (a submitted unit is never outdated, so its ``source``
    is the text of its ``source_revision``). Two queries at most, whatever
    the article's length; pairs found nowhere are left out.
    """
    wanted = set(wanted)
    known = {}
    if not wanted:
        return known
    entries = AuditEntry.objects.filter(article=article, action__in=PARAGRAPH_ACTIONS)
    for data in entries.order_by("-created_at", "-id").values_list("data", flat=True):
        for key, revision, text in (data or {}).get("source_texts", []):
            if (key, revision) in wanted:
                known.setdefault((key, revision), text)
    if wanted <= known.keys():
        return known
    # The source edition's versions first: their text is the source itself.
    source_first = Case(When(edition__language=article.source_language, then=0), default=1)
    versions = Version.objects.filter(edition__article=article).order_by(
        source_first, "-created_at", "-id"
    )
    for units in versions.values_list("units", flat=True).iterator(chunk_size=8):
        for unit in units:
            pair = (unit.get("key"), unit.get("source_revision"))
            if pair in wanted and pair not in known and unit.get("source") is not None:
                known[pair] = unit["source"]
        if wanted <= known.keys():
            break
    return known


# --- Checks and helpers -----------------------------------------------------------


def _lock_source(edition, user, *, action=Permission.RESTRUCTURE):
    """Lock ``edition`` and refuse unless it is a source edition ``user`` may change."""
    edition = Edition.objects.select_for_update().select_related("article").get(pk=edition.pk)
    if not edition.is_source:
        raise ValidationError(
            _(
                "Paragraphs are added, removed, moved, split and merged in the source "
                "edition (%(language)s) only; the translations follow it."
            )
            % {"language": edition.article.source_language}
        )
    allowed = edition_actions(edition=edition, user=user)
    if action not in allowed:
        if Permission.VIEW in allowed and edition.state not in EDITABLE_STATES:
            raise PermissionDenied(
                _("This edition is %(state)s: reopen it to change its paragraphs.")
                % {"state": edition.get_state_display().lower()}
            )
        raise PermissionDenied(
            _("Only the article's authors and editors may change its paragraphs.")
        )
    return edition


def _paragraphs(article):
    """The article's paragraphs in order, locked against concurrent saves."""
    return list(Paragraph.objects.select_for_update().filter(article=article).order_by("position"))


def _find(paragraphs, key):
    for index, paragraph in enumerate(paragraphs):
        if paragraph.key == key:
            return index, paragraph
    raise ValidationError(
        _("There is no paragraph %(key)s in this article (any more).") % {"key": key}
    )


def _free_position(paragraphs):
    """A position no paragraph holds, for a new row until it is renumbered into place."""
    return max((p.position for p in paragraphs), default=0) + 1


def _cut(text, offset):
    """``text`` cut at ``offset``; the spaces and line breaks at the cut go."""
    return text[:offset].rstrip(" \t\n"), text[offset:].lstrip(" \t\n")


def _source_set(paragraph, language, text, user, now):
    """Give a source paragraph new text: its revision goes up, its translations go out of date."""
    return unit_text_set(paragraph, language, text, edited=(user, now))


def _audit(verb, *, edition, user, data):
    return content.audit_record(
        action=f"reviews.paragraph.{verb}", actor=user, edition=edition, data=data
    )


def _edited(edition, user, paragraph):
    UnitEdit.objects.create(
        edition=edition,
        unit_key=paragraph.key,
        user=user,
        revision=paragraph.revision_in(edition.language),
    )


# --- Source text ------------------------------------------------------------------


def source_units_save(*, edition, user, rows):
    """:func:`reviews.services.units_save` for a source edition, recording what it replaced.

    For each saved row the audit keeps the text it had at the revision the
    writer loaded, so that translators made from that text can see what changed.
    """
    with transaction.atomic():
        article = edition.article
        before = {
            p.key: (p.revision_in(article.source_language), p.text_in(article.source_language))
            for p in article.paragraphs.filter(key__in=[row.key for row in rows])
        }
        article.refresh_from_db()
        before[Version.TITLE_KEY] = (
            article.revision_in(article.source_language),
            article.text_in(article.source_language),
        )
        report = units_save(edition=edition, user=user, rows=rows)
        loaded = {row.key: row.revision for row in rows}
        # A revision names exactly one text, so the text read before the save is
        # the replaced one whenever the save went through at that same revision.
        replaced = [
            [row.key, loaded[row.key], before[row.key][1]]
            for row in report.saved
            if row.key in before and before[row.key][0] == loaded[row.key]
        ]
        if replaced:
            content.audit_record(
                action="reviews.source.edit",
                actor=user,
                edition=edition,
                data={"keys": [key for key, _r, _t in replaced], "source_texts": replaced},
            )
    return report


# --- Structure --------------------------------------------------------------------


def paragraph_insert(*, edition, user, after_key, text=""):
    """Add a paragraph after ``after_key`` (``"title"``: at the top), empty unless ``text``."""
    if text:
        content.text_validate(text, label=_("The new paragraph"))
    with transaction.atomic():
        edition = _lock_source(edition, user)
        article, language = edition.article, edition.language
        paragraphs = _paragraphs(article)
        index = 0 if after_key == Version.TITLE_KEY else _find(paragraphs, after_key)[0] + 1
        key = paragraph_key_new({p.key for p in paragraphs})
        paragraph = Paragraph(article=article, key=key, position=_free_position(paragraphs))
        if text:
            _source_set(paragraph, language, text, user, timezone.now())
        paragraph.save()
        paragraphs.insert(index, paragraph)
        paragraphs_renumber(paragraphs)
        if text:
            _edited(edition, user, paragraph)
        _audit(
            "insert",
            edition=edition,
            user=user,
            data={"key": key, "after": after_key, "position": paragraph.position},
        )
    return paragraph


def paragraph_delete(*, edition, user, key):
    """Delete a paragraph and its translations; the audit entry keeps every text it had."""
    with transaction.atomic():
        edition = _lock_source(edition, user)
        paragraphs = _paragraphs(edition.article)
        index, paragraph = _find(paragraphs, key)
        if len(paragraphs) == 1:
            raise ValidationError(_("An article keeps at least one paragraph."))
        texts = {code: paragraph.text_in(code) for code in language_codes()}
        paragraph.delete()
        del paragraphs[index]
        paragraphs_renumber(paragraphs)
        _audit(
            "delete",
            edition=edition,
            user=user,
            data={"key": key, "position": index + 1, "texts": texts},
        )


def paragraph_move(*, edition, user, key, direction):
    """Move a paragraph one place ``"up"`` or ``"down"``."""
    if direction not in ("up", "down"):
        raise ValidationError(_("A paragraph moves up or down."))
    with transaction.atomic():
        edition = _lock_source(edition, user)
        paragraphs = _paragraphs(edition.article)
        index, paragraph = _find(paragraphs, key)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(paragraphs):
            raise ValidationError(
                _("The paragraph is already the first one.")
                if direction == "up"
                else _("The paragraph is already the last one.")
            )
        paragraphs[index], paragraphs[other] = paragraphs[other], paragraphs[index]
        paragraphs_renumber(paragraphs)
        _audit(
            "move",
            edition=edition,
            user=user,
            data={"key": key, "from": index + 1, "to": other + 1},
        )
    return paragraph


def paragraph_split(*, edition, user, key, offset, revision=None, text=None):
    """Split a paragraph in two at character ``offset`` of its source text.

    ``text`` is the paragraph's new source text to split (the editor posts
    it with the split marker taken out); its current text when not given.
    ``revision`` is the source revision the writer loaded: a paragraph
    someone changed since is not split. The first part keeps the key and its
    translations; the second part is a new paragraph whose translations start
    as copies of the whole one. Both are outdated, so a translator sees, as a
    diff, which part of the old source each now holds.
    """
    with transaction.atomic():
        edition = _lock_source(edition, user)
        article, language = edition.article, edition.language
        paragraphs = _paragraphs(article)
        index, first = _find(paragraphs, key)
        old_revision, old_text = first.revision_in(language), first.text_in(language)
        if revision is not None and revision != old_revision:
            raise ValidationError(
                _("Someone changed paragraph %(n)d since you opened it; it was not split.")
                % {"n": index + 1}
            )
        text = old_text if text is None else text
        if not isinstance(offset, int) or not 0 < offset < len(text):
            raise ValidationError(_("A paragraph is split inside its text."))
        head, tail = _cut(text, offset)
        if not head.strip() or not tail.strip():
            raise ValidationError(_("Both parts of a split paragraph need text."))
        content.text_validate(head, label=_("Paragraph %(n)d") % {"n": index + 1})
        content.text_validate(tail, label=_("Paragraph %(n)d") % {"n": index + 2})
        now = timezone.now()
        new_revision = _source_set(first, language, head, user, now)
        second = Paragraph(
            article=article,
            key=paragraph_key_new({p.key for p in paragraphs}),
            position=_free_position(paragraphs),
        )
        # The second part's source history is the first's: same revision, so
        # its copied translations point at the texts they were made from.
        unit_text_set(second, language, tail, revision=new_revision, edited=(user, now))
        others = [code for code in language_codes() if code != language]
        wanted = {(key, first.source_revision_in(code)) for code in others}
        known = source_texts_known(article=article, wanted=wanted - {(key, old_revision)})
        known[(key, old_revision)] = old_text
        copied = []
        for code in others:
            if not first.text_in(code):
                continue
            made_from = first.source_revision_in(code)
            unit_text_set(second, code, first.text_in(code), revision=1, source_revision=made_from)
            unit_author_copy(first, second, code)
            if (key, made_from) in known:
                copied.append([second.key, made_from, known[(key, made_from)]])
        second.save()
        first.save(update_fields=unit_fields(Paragraph, language, source_revision=True))
        paragraphs.insert(index + 1, second)
        paragraphs_renumber(paragraphs)
        for paragraph in (first, second):
            _edited(edition, user, paragraph)
            source_changed.send(sender=Paragraph, unit=paragraph, article=article, user=user)
        _audit(
            "split",
            edition=edition,
            user=user,
            data={
                "key": key,
                "new_key": second.key,
                "position": index + 1,
                "source_texts": [[key, old_revision, old_text], *copied],
            },
        )
    return first, second


def paragraph_merge(*, edition, user, key):
    """Merge a paragraph with the next one, under the first one's key.

    Texts are joined with a space in every language. A translation stays up
    to date only where both halves were; otherwise it is outdated.
    """
    with transaction.atomic():
        edition = _lock_source(edition, user)
        article, language = edition.article, edition.language
        paragraphs = _paragraphs(article)
        index, first = _find(paragraphs, key)
        if index + 1 >= len(paragraphs):
            raise ValidationError(_("The last paragraph has no next one to merge with."))
        second = paragraphs[index + 1]
        old_revision, old_text = first.revision_in(language), first.text_in(language)
        merged = _joined(old_text, second.text_in(language))
        content.text_validate(merged, label=_("Paragraph %(n)d") % {"n": index + 1})
        now = timezone.now()
        others = [code for code in language_codes() if code != language]
        current = {
            code: all(
                p.text_in(code) and not p.is_outdated(code, language) for p in (first, second)
            )
            for code in others
        }
        new_revision = _source_set(first, language, merged, user, now)
        changed = [language]
        for code in others:
            if not (first.text_in(code) or second.text_in(code)):
                continue
            made_from = (
                new_revision
                if current[code]
                else (first.source_revision_in(code) if first.text_in(code) else old_revision)
            )
            # A new revision, so that a page opened before the merge conflicts
            # instead of overwriting the joined text.
            unit_text_set(
                first,
                code,
                _joined(first.text_in(code), second.text_in(code)),
                source_revision=made_from,
            )
            if not first.edited_by_id_in(code):
                unit_author_copy(second, first, code)
            changed.append(code)
        second.delete()
        first.save(update_fields=unit_fields(Paragraph, *changed, source_revision=True))
        del paragraphs[index + 1]
        paragraphs_renumber(paragraphs)
        _edited(edition, user, first)
        source_changed.send(sender=Paragraph, unit=first, article=article, user=user)
        _audit(
            "merge",
            edition=edition,
            user=user,
            data={
                "key": key,
                "merged_key": second.key,
                "position": index + 1,
                "texts": {code: second.text_in(code) for code in language_codes()},
                "source_texts": [[key, old_revision, old_text]],
            },
        )
    return first


def _joined(first, second):
    first, second = first.rstrip(" \t\n"), second.lstrip(" \t\n")
    return f"{first} {second}" if first and second else first or second
