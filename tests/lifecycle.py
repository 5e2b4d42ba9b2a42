"""A published article in three languages, for the tests of updates and corrections."""

from dataclasses import dataclass

from reviews import services
from reviews.services import RowInput
from tests.factories import article_with_paragraphs, assign, editor, publish, translate, translator
from translations.models import Article, Edition


@dataclass
class Newsroom:
    article: Article
    author: object
    translator: object
    editors: list

    def edition(self, language):
        return Edition.objects.select_related("article", "live_version").get(
            article=self.article, language=language
        )

    def save(self, language, user, texts):
        """Save ``{paragraph key or "title": text}`` into ``language``'s working copy."""
        article = Article.objects.get(pk=self.article.pk)
        units = {"title": article, **{p.key: p for p in article.paragraphs.all()}}
        rows = [
            RowInput(key=key, text=text, revision=units[key].revision_in(language))
            for key, text in texts.items()
        ]
        report = services.units_save(edition=self.edition(language), user=user, rows=rows)
        assert not report.conflicts, report
        return report

    def submit(self, language, user):
        return services.version_submit(edition=self.edition(language), user=user)

    def approve(self, version, who=1):
        return services.version_approve(version=version, user=self.editors[who])


def newsroom(*, slug="bridge"):
    """English source (p1 "The bridge opens in May.", p2, p3) live in en, kk and ru."""
    article = article_with_paragraphs(
        texts=["The bridge opens in May.", "It cost a lot.", "Traffic will change."],
        title="A new bridge",
        slug=slug,
    )
    author = translator("author", pairs=[])
    desk_translator = translator("tr", pairs=[("en", "kk"), ("en", "ru")])
    editors = [editor("ed1"), editor("ed2")]
    publish(article, "en")
    for language in ("kk", "ru"):
        translate(article, language, user=desk_translator)
        publish(article, language)
    room = Newsroom(article, author, desk_translator, editors)
    assign(room.edition("en"), author)
    assign(room.edition("kk"), desk_translator)
    assign(room.edition("ru"), desk_translator)
    return room
