"""Articles and their editions: a new article from its source text, a new translation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..clocks import clock_open
from ..languages import is_language
from ..models import Article, Edition, Paragraph
from ..slugs import slug_from_title, slug_unique
from ..states import Move, edition_state_move
from ..texts import text_validate
from ..units import paragraph_key_new, unit_text_set


def edition_get_or_create(*, article, language):
    if not is_language(language):
        raise ValidationError(_("Unknown language: %(code)s.") % {"code": language})
    edition, created = Edition.objects.get_or_create(article=article, language=language)
    if created:
        clock_open(edition=edition)
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
    edited = (user, timezone.now())

    def written(unit, text):
        unit_text_set(unit, source_language, text, revision=1, edited=edited)
        return unit

    with transaction.atomic():
        base = slug_from_title(title)
        slug = slug_unique(base, taken=lambda s: Article.objects.filter(slug=s).exists())
        article = written(
            Article(slug=slug, source_language=source_language, dateline=dateline), title
        )
        article.save()
        Paragraph.objects.bulk_create(
            written(Paragraph(article=article, key=paragraph_key_new(), position=position), text)
            for position, text in enumerate(paragraphs, start=1)
        )
        edition_state_move(
            edition=Edition(article=article, language=source_language),
            move=Move.CREATE,
            user=user,
            action="translations.article.create",
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
