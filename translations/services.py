"""Writes to the content. Keyword-only, each multi-row write in one transaction.

These are the primitives: they keep the content consistent (revisions,
snapshots, credits, the audit) but know nothing of who may do what. The
desk's rules live in ``reviews.workflow``, which calls these.
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .languages import is_language, localized_field
from .models import (
    Article,
    AuditEntry,
    Contributor,
    Credit,
    Edition,
    EditionState,
    Paragraph,
    Version,
)
from .signals import source_changed, version_published
from .slugs import slug_from_title, slug_unique


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


def text_validate(text, *, label=None):
    """Refuse text no paragraph may hold: too long, control characters, lone surrogates."""
    label = label or _("Text")
    limit = settings.TILMASH_MAX_PARAGRAPH_CHARS
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s is %(length)d characters long; the limit is %(limit)d.")
            % {"label": label, "length": len(text), "limit": limit},
            code="too_long",
        )
    for char in text:
        code = ord(char)
        if (code < 32 and char not in "\n\t") or 0xD800 <= code <= 0xDFFF or code == 0x7F:
            raise ValidationError(
                _("%(label)s contains a character that cannot be stored (U+%(code)04X).")
                % {"label": label, "code": code},
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
    loaded_revision``), so two concurrent saves of the same unit can never
    both succeed: the loser gets ``saved=False`` and the unit as it is now,
    to show both texts. Saving a translation records the source revision it
    was made against (``source_revision``: the one the translator was shown;
    the current one when not given), which clears the *outdated* mark;
    ``confirm_only`` does only that ("still correct"), without the text.

    Saving the source language's text bumps the source revision, which makes
    every translation of the unit outdated, and sends ``source_changed``.
    """
    model = type(unit)
    article = unit if isinstance(unit, Article) else unit.article
    source_language = article.source_language
    text_field = localized_field(model.TEXT_FIELD, language)
    revision_field = localized_field("revision", language)
    if language != source_language and source_revision is None:
        source_revision = unit.revision_in(source_language)
    if not confirm_only:
        text = text_validate(text)
        if (
            unit.text_in(language) == text
            and unit.revision_in(language) == loaded_revision
            and (
                language == source_language or unit.source_revision_in(language) == source_revision
            )
        ):
            return UnitSaveResult(unit=unit, saved=False, unchanged=True)
    changes = {
        revision_field: F(revision_field) + 1,
        localized_field("edited_by", language): user,
        localized_field("edited_at", language): timezone.now(),
    }
    if not confirm_only:
        changes[text_field] = text
    if language != source_language:
        changes[localized_field("source_revision", language)] = source_revision
    with transaction.atomic():
        updated = (
            model.objects.filter(pk=unit.pk)
            .filter(**{f"{revision_field}__in": _revision_values(loaded_revision)})
            .update(**changes)
        )
        if not updated:
            return UnitSaveResult(unit=model.objects.get(pk=unit.pk), saved=False)
        # Reflect the write on the object instead of reading the row back: at
        # 300 saved paragraphs that halves the queries of a save.
        for field, value in changes.items():
            setattr(unit, field, value)
        setattr(unit, revision_field, loaded_revision + 1)
        if language == source_language:
            source_changed.send(sender=model, unit=unit, article=article, user=user)
    return UnitSaveResult(unit=unit, saved=True)


def _revision_values(revision):
    # Columns added for a new language start as NULL, which means revision 0.
    return [revision, None] if revision == 0 else [revision]


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
