"""modeltranslation registrations: which fields exist once per language."""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Contributor, Paragraph

UNIT_FIELDS = ("revision", "source_revision", "edited_by", "edited_at")


@register(Contributor)
class ContributorTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", *UNIT_FIELDS)


@register(Paragraph)
class ParagraphTranslationOptions(TranslationOptions):
    fields = ("text", *UNIT_FIELDS)
