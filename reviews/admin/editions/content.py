"""The content admin, as the desk extends it.

``translations`` never imports the desk, so the desk reaches into its admin
from this side: the author of a new article is assigned to its source edition,
translators see only versions of editions on their desk, and a person's
working language pairs are edited on their user page (and, by editors, in a
list of their own).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import path

from reviews.models import LanguagePair
from reviews.services import edition_assign
from reviews.workflow import editions_visible_to, roles_of
from translations.models import Article, Version

from ..importing import import_view


def _replace(model, admin_class):
    admin.site.unregister(model)
    admin.site.register(model, admin_class)


class DeskArticleAdmin(type(admin.site.get_model_admin(Article))):
    change_list_template = "admin/translations/article/change_list.html"

    def get_urls(self):
        page = path(
            "import/",
            self.admin_site.admin_view(import_view(self)),
            name="translations_article_import",
        )
        return [page, *super().get_urls()]

    def article_created(self, request, article):
        """The author works on the source edition until it is approved."""
        edition = article.editions.get(language=article.source_language)
        edition_assign(edition=edition, users=[request.user], by=request.user)


class DeskVersionAdmin(type(admin.site.get_model_admin(Version))):
    def get_queryset(self, request):
        versions = super().get_queryset(request)
        if roles_of(request.user).is_editor:
            return versions
        return versions.filter(edition__in=editions_visible_to(request.user).values("pk"))


class LanguagePairInline(admin.TabularInline):
    model = LanguagePair
    extra = 0


@admin.register(LanguagePair)
class LanguagePairAdmin(admin.ModelAdmin):
    """Editors keep the pairs up to date here; the user page needs rights over accounts."""

    list_display = ("user", "source_language", "target_language")
    list_filter = ("source_language", "target_language")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    ordering = ("user__username", "source_language", "target_language")


User = get_user_model()


class DeskUserAdmin(type(admin.site.get_model_admin(User))):
    inlines = [*type(admin.site.get_model_admin(User)).inlines, LanguagePairInline]


_replace(Article, DeskArticleAdmin)
_replace(Version, DeskVersionAdmin)
_replace(User, DeskUserAdmin)
