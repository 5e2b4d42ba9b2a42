"""Small steps the workflow tests share: translating through the real save service."""

from reviews import services
from reviews.services import RowInput
from translations.models import Article, Edition


def rows_for(edition, texts=None, *, title=None):
    """Editor rows that translate every unit of ``edition`` at its current revisions."""
    article = Article.objects.get(pk=edition.article_id)
    language = edition.language
    paragraphs = list(article.paragraphs.order_by("position"))
    texts = texts or [f"[{language}] {p.text_in(article.source_language)}" for p in paragraphs]
    rows = [
        RowInput(
            key="title",
            text=title or f"[{language}] {article.title_in_source()}",
            revision=article.revision_in(language),
        )
    ]
    rows += [
        RowInput(key=p.key, text=text, revision=p.revision_in(language))
        for p, text in zip(paragraphs, texts, strict=True)
    ]
    return rows


def translate_as(user, edition, texts=None, **kwargs):
    return services.units_save(edition=edition, user=user, rows=rows_for(edition, texts, **kwargs))


def submitted(user, edition, texts=None):
    translate_as(user, edition, texts)
    return services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=user)
