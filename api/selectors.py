"""The API's reads that the public pages do not already make."""

from translations.models import Article, Edition, Paragraph, Priority

PRIORITY_NAMES = {value: name.lower() for name, value in Priority.__members__.items()}


def article_state_get(*, external_id, languages=()):
    """The article ``external_id`` and its editions' state, for the system that sent it.

    ``languages`` (the key's; empty: all) narrows the editions. Three queries
    (article, editions, paragraphs' bookkeeping), or one when the article is
    unknown; ``None`` then.
    """
    article = Article.objects.filter(external_id=external_id).first()
    if article is None:
        return None
    editions = Edition.objects.filter(article=article).select_related("live_version")
    if languages:
        editions = editions.filter(language__in=languages)
    editions = list(editions.order_by("language"))
    paragraphs = list(Paragraph.objects.filter(article=article))
    source = article.source_language
    return {
        "external_id": article.external_id,
        "slug": article.slug,
        "source_language": source,
        "editions": [
            {
                "language": edition.language,
                "state": edition.state,
                "priority": PRIORITY_NAMES[edition.priority],
                "deadline": edition.deadline,
                "live_version": edition.live_version.number if edition.live_version else None,
                "outdated": sum(
                    unit.is_outdated(edition.language, source) for unit in [article, *paragraphs]
                ),
            }
            for edition in editions
        ],
    }
