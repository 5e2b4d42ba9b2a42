"""The glossary in the admin: editors keep the agreed spellings here.

Per-language columns come from modeltranslation (``TranslationAdmin`` shows
"agreed spelling [kk]", "[ru]", "[en]" side by side). Dismissed checks are
listed read-only: they are written by ``aids.services.check_dismiss`` alone.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from translations.admin import StorableTextForm
from translations.languages import language_codes, localized_field

from .models import CheckDismissal, GlossaryTerm


class ScopeFilter(admin.SimpleListFilter):
    title = _("scope")
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [("newsroom", _("Whole newsroom")), ("article", _("One article"))]

    def queryset(self, request, queryset):
        if self.value() == "newsroom":
            return queryset.filter(article__isnull=True)
        if self.value() == "article":
            return queryset.filter(article__isnull=False)
        return queryset


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslationAdmin):
    form = StorableTextForm
    list_display = ["__str__", "kind", "article", "updated_at"]
    list_filter = ["kind", ScopeFilter]
    list_select_related = ["article"]
    raw_id_fields = ["article"]
    fieldsets = [
        (None, {"fields": ["term", "kind", "article", "note"]}),
        (_("Wrong spellings"), {"fields": ["forbidden"], "classes": ["collapse"]}),
    ]

    def get_search_fields(self, request):
        fields = [localized_field("term", code) for code in language_codes()]
        return [*fields, *(localized_field("forbidden", c) for c in language_codes()), "note"]


@admin.register(CheckDismissal)
class CheckDismissalAdmin(admin.ModelAdmin):
    list_display = ["edition", "unit_key", "check_id", "reason", "user", "created_at"]
    list_filter = ["check_id"]
    list_select_related = ["edition__article", "user"]
    search_fields = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
