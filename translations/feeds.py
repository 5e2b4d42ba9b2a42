"""One Atom feed per language (``/<lang>/feed/``) of the latest approved editions."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from . import selectors
from .languages import language_tag


class LatestEditionsFeed(Feed):
    feed_type = Atom1Feed

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
            language=language, size=settings.TILMASH_PUBLIC_PAGE_SIZE
        )
        return page.editions

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
