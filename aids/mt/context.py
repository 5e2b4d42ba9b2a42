"""The article around a paragraph, for providers that translate better with it.

Bounded: the title and the paragraphs just before and after, each cut to
``MAX_CHARS`` at a word, so the cost of a request does not grow with the article.
"""

from dataclasses import dataclass

MAX_CHARS = 600


def shortened(text, limit=MAX_CHARS):
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut + " …"


@dataclass(frozen=True)
class ArticleContext:
    title: str = ""
    before: str = ""
    after: str = ""

    def as_text(self):
        return "\n\n".join(part for part in (self.title, self.before, self.after) if part)


def article_context(*, article, text, unit_key=None):
    """The title and the neighbours of the paragraph ``unit_key`` (or, without it, of the
    paragraph whose source text is ``text``, or of the title); three queries at most."""
    from translations.languages import localized_field
    from translations.models import Paragraph

    field = localized_field("text", article.source_language)
    title = article.title_in_source()
    paragraphs = Paragraph.objects.filter(article=article)
    if unit_key is None and text.strip() == title.strip():
        first = paragraphs.order_by("position").values_list(field, flat=True).first()
        return ArticleContext(after=shortened(first or ""))
    unit = paragraphs.filter(key=unit_key) if unit_key is not None else paragraphs.filter(
        **{field: text})
    position = unit.values_list("position", flat=True).first()
    if position is None:
        return ArticleContext(title=shortened(title))
    before = paragraphs.filter(position__lt=position).order_by("-position")
    after = paragraphs.filter(position__gt=position).order_by("position")
    return ArticleContext(
        title=shortened(title),
        before=shortened(before.values_list(field, flat=True).first() or ""),
        after=shortened(after.values_list(field, flat=True).first() or ""),
    )
