"""What an article page tells machines: schema.org ``NewsArticle`` JSON-LD and OpenGraph.

Everything here is made from what the page has read anyway (the live
version with its notes, its credits, the article's public languages), so
it costs no query of its own: the page keeps its three queries.

The editions of an article are linked as translations of each other:
a translation is a ``translationOfWork`` of the source edition, a language
derived by transliteration (``kk-latn``) of the edition it is derived from,
and the source (or that edition) lists them back as ``workTranslation``.
Only public editions are named (``selectors.article_live_get`` leaves out
embargoed ones), so no link gives away an edition that is not out yet.

The JSON is written for a ``<script>`` element: ``<``, ``>`` and ``&`` are
``\\u`` escapes, as Django's ``json_script`` writes them, so a headline
holding ``</script>`` stays inside the string.
"""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import to_locale

from .languages import language_derived_from, language_tag
from .lifecycle.notes import correction_notes
from .models import CreditRole

# The lead in ``description`` and ``og:description``: a few sentences at most.
DESCRIPTION_WORDS = 40

SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def iso(moment):
    """An aware datetime as ISO 8601 with the newsroom's offset ("…T14:05:00+05:00")."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.isoformat(timespec="seconds")


def first_public_at(first_approved_at, embargo_ends):
    """When an edition first became public: its first approval, or the end of an
    embargo if that came later (``embargo_ends``: the edition's and the article's)."""
    ends = [end for end in embargo_ends if end is not None]
    return max([first_approved_at, *ends])


def lead_of(paragraphs):
    """The page's description: the start of its first paragraph, cut at a word."""
    text = next((unit["text"] for unit in paragraphs if unit.get("text")), "")
    return Truncator(" ".join(text.split())).words(DESCRIPTION_WORDS)


def translated_from(language, source_language):
    """The language ``language``'s edition is translated (or transliterated) from."""
    if language == source_language:
        return None
    return language_derived_from(language) or source_language


def _person(credit, language):
    return {"@type": "Person", "name": credit.contributor.name_in(language)}


def _people(credits, role, language):
    return [_person(credit, language) for credit in credits if credit.role == role]


def _edition_ref(link):
    return {
        "@type": "NewsArticle",
        "url": link["url"],
        "inLanguage": language_tag(link["language"]),
    }


def news_article(
    *, edition, language, source_language, alternates, canonical_url, home_url, credits, lines
):
    """The ``NewsArticle`` of ``edition`` (as ``selectors.edition_published_get`` reads
    it) on its ``language`` page: a dict ready for :func:`script_json`.

    ``alternates`` are the page's language links (the public editions, this one
    included), ``credits`` the live version's credits, ``lines`` the credit and
    disclosure lines the page prints (``creditText``).
    """
    version = edition.live_version
    article = edition.article
    published = first_public_at(
        edition.first_approved_at or version.approved_at,
        (edition.embargo_until, article.embargo_until),
    )
    modified = max(published, version.approved_at)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": canonical_url,
        "url": canonical_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
        "headline": version.title,
        "description": lead_of(version.paragraphs),
        "inLanguage": language_tag(language),
        "dateCreated": iso(article.dateline),
        "datePublished": iso(published),
        "dateModified": iso(modified),
        "isAccessibleForFree": True,
        "publisher": {
            "@type": "Organization",
            "name": settings.TILMASH_PUBLISHER_NAME,
            "url": home_url,
        },
    }
    for key, role in (
        ("author", CreditRole.AUTHOR),
        ("translator", CreditRole.TRANSLATOR),
        ("editor", CreditRole.EDITOR),
    ):
        people = _people(credits, role, language)
        if people:
            data[key] = people
    if lines:
        data["creditText"] = "\n".join(lines)
    others = {link["language"]: link for link in alternates if link["language"] != language}
    parent = translated_from(language, source_language)
    if parent in others:
        data["translationOfWork"] = _edition_ref(others[parent])
    translations = [
        _edition_ref(link)
        for code, link in others.items()
        if translated_from(code, source_language) == language
    ]
    if translations:
        data["workTranslation"] = translations
    corrections = [
        {"@type": "CorrectionComment", "text": note.note, "datePublished": iso(note.at)}
        for note in correction_notes(version)
    ]
    if corrections:
        data["correction"] = corrections
    return data


def script_json(data):
    """``data`` as JSON safe to place between ``<script>`` tags (marked safe)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(SCRIPT_ESCAPES))  # noqa: S308  (escaped above)


def og_locale(language):
    """``kk`` → "kk", ``kk-latn`` → "kk_Latn": OpenGraph's language_TERRITORY shape."""
    return to_locale(language)


def opengraph(*, structured, language, alternates, site_name):
    """``[(property, content)]`` of the OpenGraph tags, from the page's ``NewsArticle``."""
    tags = [
        ("og:type", "article"),
        ("og:title", structured["headline"]),
        *([("og:description", structured["description"])] if structured["description"] else []),
        ("og:url", structured["url"]),
        ("og:site_name", site_name),
        ("og:locale", og_locale(language)),
    ]
    tags += [
        ("og:locale:alternate", og_locale(link["language"]))
        for link in alternates
        if link["language"] != language
    ]
    tags += [
        ("article:published_time", structured["datePublished"]),
        ("article:modified_time", structured["dateModified"]),
    ]
    return tags
