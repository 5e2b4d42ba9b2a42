"""The review queue: the Review admin's changelist, and the version page's URLs.

Reviews change only through the services (``reviews.services``), so this admin
adds, changes and deletes nothing: its change page sends one to the version
page, where the decision is taken.
"""

from django.contrib import admin
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Review, ReviewState
from reviews.selectors import review_queue
from reviews.workflow import editions_visible_to, roles_of

from . import views


class ReviewStateFilter(admin.SimpleListFilter):
    """The state of the review; the queue opens on those waiting for a decision."""

    title = _("state")
    parameter_name = "state"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*ReviewState.choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or ReviewState.OPEN

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(state=self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = (
        "article",
        "language_pair",
        "version_number",
        "priority",
        "submitted",
        "deadline",
        "state",
        "open_comments",
        "version_link",
    )
    list_display_links = None
    list_filter = (
        ReviewStateFilter,
        "edition__language",
        ("submitted_by", admin.RelatedOnlyFieldListFilter),
        "edition__priority",
    )
    ordering = ("-edition__priority", "submitted_at", "pk")
    list_per_page = 50
    # The unfiltered total costs a query and says little in a queue.
    show_full_result_count = False

    # --- who sees what -------------------------------------------------------------

    def _on_desk(self, request):
        roles = roles_of(request.user)
        return roles.is_editor or roles.is_translator

    def has_module_permission(self, request):
        return self._on_desk(request)

    def has_view_permission(self, request, obj=None):
        if not self._on_desk(request):
            return False
        return obj is None or editions_visible_to(request.user).filter(pk=obj.edition_id).exists()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        """Editors see every review; translators those of the editions they may see."""
        queryset = super().get_queryset(request)
        if not roles_of(request.user).is_editor:
            queryset = queryset.filter(edition__in=editions_visible_to(request.user))
        return review_queue(queryset=queryset)

    # --- columns -------------------------------------------------------------------

    @admin.display(description=_("article"), ordering="edition__article__title")
    def article(self, review):
        return format_html('<a href="{}">{}</a>', self._version_url(review), review.edition.article)

    @admin.display(description=_("languages"), ordering="edition__language")
    def language_pair(self, review):
        return f"{review.edition.article.source_language} → {review.edition.language}"

    @admin.display(description=_("version"), ordering="version__number")
    def version_number(self, review):
        return f"v{review.version.number}"

    @admin.display(description=_("priority"), ordering="-edition__priority")
    def priority(self, review):
        return review.edition.get_priority_display()

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted(self, review):
        when = timezone.localtime(review.submitted_at).strftime("%Y-%m-%d %H:%M")
        who = review.submitted_by
        name = (who.get_full_name() or who.get_username()) if who else "—"
        return format_html("{}<br><small>{}</small>", name, when)

    @admin.display(description=_("deadline"), ordering="edition__deadline")
    def deadline(self, review):
        deadline = review.edition.deadline
        if deadline is None:
            return "—"
        text = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
        if review.state == ReviewState.OPEN and deadline < timezone.now():
            return format_html('<strong class="review-overdue">{} ({})</strong>', text, _("late"))
        return text

    @admin.display(description=_("state"), ordering="state")
    def state(self, review):
        return review.get_state_display()

    @admin.display(description=_("open comments"), ordering="open_comments")
    def open_comments(self, review):
        return review.open_comments

    @admin.display(description="")
    def version_link(self, review):
        label = gettext("Review") if review.state == ReviewState.OPEN else gettext("View")
        return format_html('<a class="button" href="{}">{}</a>', self._version_url(review), label)

    def _version_url(self, review):
        return reverse("admin:reviews_version_review", args=[review.version_id])

    # --- pages -----------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": gettext("Review queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = self.get_object(request, object_id)
        if review is None or not self.has_view_permission(request, review):
            return super().change_view(request, object_id, form_url, extra_context)
        return redirect("admin:reviews_version_review", review.version_id)

    def get_urls(self):
        def wrap(view, *, post=False):
            def handler(request, version_id):
                if post and request.method != "POST":
                    return HttpResponseNotAllowed(["POST"])
                return view(self, request, version_id)

            return self.admin_site.admin_view(handler)

        def page(route, view, name, **kwargs):
            return path(f"version/<int:version_id>/{route}", wrap(view, **kwargs), name=name)

        return [
            page("", views.version_review, "reviews_version_review"),
            page("decide/", views.version_decide, "reviews_version_decide", post=True),
            page("comment/", views.comment_post, "reviews_version_comment", post=True),
            page("resolve/", views.comment_resolve_post, "reviews_version_resolve", post=True),
            page("check/", views.unit_check_post, "reviews_version_check", post=True),
            page("credits/", views.credits_post, "reviews_version_credits", post=True),
            *super().get_urls(),
        ]
