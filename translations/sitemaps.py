"""``/sitemap.xml``: every approved edition, with hreflang alternates.

Django's own i18n sitemap would list each article in every configured
language and build ``x-default`` by dropping the language prefix, which on
this site (every URL carries one) is a redirect that may end in a 404. So
each entry here is one approved edition, and its alternates are the
article's other approved editions plus ``x-default``: the source-language
edition when approved, else the first approved one.
"""

from dataclasses import dataclass

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from . import selectors


@dataclass(frozen=True)
class SitemapEntry:
    article: selectors.ArticleLive
    language: str
    approved_at: object


def _path(slug, language):
    with translation.override(language):
        return reverse("public:article_detail", kwargs={"slug": slug})


class EditionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # Read once per request: Django asks for the items again for lastmod.
        if not hasattr(self, "_entries"):
            self._entries = [
                SitemapEntry(article, edition.language, edition.approved_at)
                for article in selectors.article_languages_published_list()
                for edition in article.editions
            ]
        return self._entries

    def location(self, entry):
        return _path(entry.article.slug, entry.language)

    def lastmod(self, entry):
        return entry.approved_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        prefix = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            article = url["item"].article
            url["alternates"] = [
                {"lang_code": code, "location": prefix + _path(article.slug, code)}
                for code in article.languages
            ] + [
                {
                    "lang_code": "x-default",
                    "location": prefix + _path(article.slug, article.default_language),
                }
            ]
        return urls


sitemaps = {"editions": EditionSitemap}
