"""Feed sources (editors) with "Run now", and the items they brought in (read-only)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import FeedItem, FeedSource
from .services import feed_source_run_now


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    list_display = (
        "name", "format", "language", "active", "interval", "last_run_at", "last_status",
        "next_run_at",
    )  # fmt: skip
    list_filter = ("active", "format", "language", "last_status")
    search_fields = ("name", "url", "folder")
    readonly_fields = (
        "next_run_at", "last_run_at", "last_status", "last_message", "etag", "last_modified",
    )  # fmt: skip
    fields = (
        "name", "url", "folder", "format", "language", "active", "interval",
        *readonly_fields,
    )  # fmt: skip
    actions = ["run_selected"]
    change_form_template = "admin/agency/feedsource/change_form.html"

    def get_urls(self):
        run = path(
            "<int:pk>/run/",
            self.admin_site.admin_view(self.run_view),
            name="agency_feedsource_run",
        )
        return [run, *super().get_urls()]

    def run_view(self, request, pk):
        """POST: queue a run of the source now; the worker runs it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = get_object_or_404(FeedSource, pk=pk)
        try:
            feed_source_run_now(source=source, user=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("A run of “%(source)s” is queued: its report shows here when it ends.")
                % {"source": source},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:agency_feedsource_change", args=[pk]))

    @admin.action(description=_("Run the selected sources now"), permissions=["change"])
    def run_selected(self, request, queryset):
        for source in queryset:
            feed_source_run_now(source=source, user=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d run queued.", "%(count)d runs queued.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = ("guid", "source", "article_link", "version", "status", "last_seen_at")
    list_filter = ("status", "source")
    search_fields = ("guid",)
    list_select_related = ("source", "article")
    readonly_fields = (
        "source", "guid", "article_link", "version", "updated", "status", "error",
        "first_seen_at", "last_seen_at",
    )  # fmt: skip
    fields = readonly_fields

    @admin.display(description=_("article"))
    def article_link(self, item):
        if item.article_id is None:
            return "—"
        url = reverse("admin:translations_article_change", args=[item.article_id])
        return format_html('<a href="{}">{}</a>', url, item.article)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
