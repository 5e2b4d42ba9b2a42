"""One Atom feed per language (``/<lang>/feed/``) of the latest approved editions.

Each entry's summary is the lead. With ``TILMASH_FEED_FULL_TEXT`` on, an
entry also carries the live version's whole text as its ``content`` (each
paragraph a ``<p>``), read in the same query as the page of editions.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from . import selectors
from .languages import language_tag


class FullTextAtomFeed(Atom1Feed):
    """Atom with an entry's ``content`` (type html) beside its summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content") is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestEditionsFeed(Feed):
    feed_type = FullTextAtomFeed

    @property
    def language(self):
        # xml:lang of the feed, as BCP 47 writes it ("kk-Latn").
        return language_tag(translation.get_language())

    def title(self):
        return gettext("Tilmash: latest news")

    def subtitle(self):
        return gettext("The latest articles approved by the Tilmash desk.")

    def link(self):
        return reverse("public:article_list")

    def feed_url(self):
        return reverse("public:feed")

    def items(self):
        language = translation.get_language()
        page = selectors.editions_published_page(
            language=language,
            size=settings.TILMASH_PUBLIC_PAGE_SIZE,
            full_text=settings.TILMASH_FEED_FULL_TEXT,
        )
        return page.editions

    def item_extra_kwargs(self, edition):
        if not settings.TILMASH_FEED_FULL_TEXT:
            return {}
        # Atom content with type="html" is HTML, escaped again by the feed writer.
        content = "\n".join(
            "<p>" + "<br>".join(escape(line) for line in unit["text"].split("\n")) + "</p>"
            for unit in edition.live_version.paragraphs
        )
        return {"content": content}

    def item_title(self, edition):
        # An Atom title is plain text; the feed writer escapes it for XML.
        return edition.live_version.title

    def item_description(self, edition):
        # Atom summaries are written with type="html": the text must be escaped.
        return escape(edition.lead or "")

    def item_link(self, edition):
        return reverse("public:article_detail", kwargs={"slug": edition.article.slug})

    def item_pubdate(self, edition):
        return edition.article.dateline

    def item_updateddate(self, edition):
        # When readers could first see this version: its approval, or the end of an
        # embargo that held it back (the edition's or the article's), whichever is later.
        ends = (edition.embargo_until, edition.article.embargo_until)
        return max([edition.live_version.approved_at, *(end for end in ends if end)])
