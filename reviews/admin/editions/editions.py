"""The edition admin: "My work" (the changelist) and the edition page.

Editions are never added, changed or deleted here: they are opened from an
article ("Start translation into …") and moved only by the services, through
the buttons this page draws from :func:`reviews.workflow.edition_actions`.
"""

from functools import partial, update_wrapper

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from reviews import services
from reviews.workflow import (
    Permission,
    edition_actions,
    edition_assignees,
    editions_visible_to,
    roles_of,
    working_pair,
)
from translations.languages import language_codes, localized_field
from translations.models import Edition, Priority

from ...selectors.my_work import my_work
from .. import lifecycle
from ..clock import clock_html
from ..paging import CappedChangeList, CappedPaginator
from . import notes, page, views
from .filters import AssignmentFilter, OverdueFilter


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("article_title", "language_pair", "state_shown", "priority_shown",
                    "deadline_shown", "clock_shown", "progress", "outdated",
                    "assignees")  # fmt: skip
    list_display_links = ("article_title",)
    list_filter = ("language", "state", OverdueFilter, "priority", AssignmentFilter)
    search_fields = [f"article__{localized_field('title', code)}" for code in language_codes()]
    search_fields += ["article__slug"]
    ordering = ("-priority", F("deadline").asc(nulls_last=True), "created_at")
    list_per_page = 50
    # An editor's list is the whole archive: counted no further than the
    # paginator's cap, a page chosen before its counts are made, and no facet
    # counts (each filter choice counted over the archive).
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["claim_selected", "assign_selected"]
    change_list_template = "admin/reviews/desk_change_list.html"
    change_form_template = "admin/reviews/desk_edition.html"
    fields = (
        ("article_title", "language_pair"),
        ("state_shown", "priority_shown", "deadline_shown", "clock_shown"),
        ("assignees", "progress", "outdated", "live_version_link"),
    )
    readonly_fields = [name for row in fields for name in row]

    # Who sees and does what ------------------------------------------------------

    def get_queryset(self, request):
        return my_work(editions_visible_to(request.user, super().get_queryset(request)))

    def get_changelist(self, request, **kwargs):
        return CappedChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        def rows(keys):
            return my_work(Edition.objects.filter(pk__in=keys))

        return CappedPaginator(queryset, per_page, orphans, allow_empty_first_page, rows=rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_claim_permission(self, request):
        return roles_of(request.user).is_translator

    def has_assign_permission(self, request):
        return roles_of(request.user).is_editor

    # URLs ------------------------------------------------------------------------

    def get_urls(self):
        from ..editor import editor_urls

        def wrap(view):
            wrapper = self.admin_site.admin_view(partial(view, self))
            return update_wrapper(wrapper, view)

        return [
            *editor_urls(self),
            path("assign/", wrap(views.assign), name="translations_edition_assign"),
            path("<path:object_id>/claim/", wrap(views.claim), name="translations_edition_claim"),
            path(
                "<path:object_id>/reopen/", wrap(views.reopen), name="translations_edition_reopen"
            ),
            path(
                "<path:object_id>/withdraw/",
                wrap(views.withdraw),
                name="translations_edition_withdraw",
            ),
            *lifecycle_urls(wrap),
            # Corrections and running updates.
            path(
                "<path:object_id>/correction/",
                wrap(notes.correction),
                name="translations_edition_correction",
            ),
            path(
                "<path:object_id>/update/",
                wrap(notes.update),
                name="translations_edition_update",
            ),
            path("<path:object_id>/note/", wrap(notes.note), name="translations_edition_note"),
            *super().get_urls(),
        ]

    # The list ------------------------------------------------------------------------

    def get_list_display(self, request):
        @admin.display(description=_("work"))
        def work(edition):
            return self.work_links(request, edition)

        # Right after the title, so the buttons stay in view on a narrow screen.
        return (self.list_display[0], work, *self.list_display[1:])

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": gettext("My work"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("article"), ordering="article__slug")
    def article_title(self, edition):
        article = edition.article
        title = article.title_in_source()
        if not title:
            return article.slug
        # In the article's language, which need not be the desk's (screen readers switch voice).
        return format_html('<span lang="{}">{}</span>', article.source_language, title)

    @admin.display(description=_("languages"), ordering="language")
    def language_pair(self, edition):
        return "{} → {}".format(*working_pair(edition))

    # Progress and outdated are not sortable: they are counted for the shown
    # rows; a sort would count them for every edition the archive holds.
    @admin.display(description=_("progress"))
    def progress(self, edition):
        return format_html(
            '<span class="desk-progress" title="{}">{} / {}</span>',
            gettext("paragraphs translated"),
            edition.translated_count,
            edition.paragraph_count,
        )

    @admin.display(description=_("outdated"))
    def outdated(self, edition):
        if not edition.outdated_count:
            return "–"
        return format_html('<span class="desk-outdated">{}</span>', edition.outdated_count)

    @admin.display(description=_("deadline"), ordering=F("deadline").asc(nulls_last=True))
    def deadline_shown(self, edition):
        if edition.deadline is None:
            return "–"
        when = date_format(timezone.localtime(edition.deadline), "j M, H:i")
        if edition.is_overdue:
            return format_html(
                '<strong class="desk-overdue">{} · {}</strong>', when, gettext("overdue")
            )
        return when

    # Sorted along ``edition_due_order``: most urgent first, editions without a clock last.
    @admin.display(description=_("time to go live"), ordering=F("due_at").asc(nulls_last=True))
    def clock_shown(self, edition):
        return clock_html(edition)

    @admin.display(description=_("priority"), ordering="-priority")
    def priority_shown(self, edition):
        return format_html(
            '<span class="desk-priority desk-priority-{}">{}</span>',
            Priority(edition.priority).name.lower(),
            edition.get_priority_display(),
        )

    @admin.display(description=_("state"), ordering="state")
    def state_shown(self, edition):
        shown = format_html(
            '<span class="desk-state desk-state-{}">{}</span>',
            edition.state,
            edition.get_state_display(),
        )
        # The lifecycle: an embargo with its countdown, a withdrawal.
        badges = [b for b in (lifecycle.embargo_badge(edition), lifecycle.withdrawn_badge(edition))
                  if b]  # fmt: skip
        return format_html_join(" ", "{}", ((part,) for part in [shown, *badges]))

    @admin.display(description=_("assigned to"))
    def assignees(self, edition):
        names = [a.user.get_full_name() or a.user.get_username() for a in edition.assignments.all()]
        return ", ".join(names) if names else gettext("pool")

    @admin.display(description=_("live version"))
    def live_version_link(self, edition):
        if not edition.live_version_id:
            return "–"
        url = page.reverse_or_none("admin:translations_version_change", edition.live_version_id)
        label = gettext("version %(id)s") % {"id": edition.live_version_id}
        return format_html('<a href="{}">{}</a>', url, label) if url else label

    def allowed(self, request, edition):
        # The prefetched assignees spare the workflow a query per row.
        edition_assignees(edition, user_ids=[a.user_id for a in edition.assignments.all()])
        return edition_actions(edition=edition, user=request.user)

    def work_links(self, request, edition):
        allowed = self.allowed(request, edition)
        links = []
        if Permission.CLAIM in allowed:
            # The row sits inside the list's form; formaction posts that form
            # (and its CSRF token) to the claim view instead of nesting a form.
            links.append(
                format_html(
                    '<button type="submit" class="button desk-claim" formaction="{}" '
                    'name="next" value="{}">{}</button>',
                    reverse("admin:translations_edition_claim", args=[edition.pk]),
                    request.get_full_path(),
                    gettext("Claim"),
                )
            )
        elif Permission.VIEW in allowed:
            url = page.reverse_or_none("admin:translations_edition_editor", edition.pk)
            if url:
                links.append(format_html('<a href="{}">{}</a>', url, gettext("Open editor")))
        if Permission.ASSIGN in allowed:
            url = reverse("admin:translations_edition_assign") + f"?ids={edition.pk}"
            links.append(format_html('<a href="{}">{}</a>', url, gettext("Assign")))
        return format_html_join(" · ", "{}", ((link,) for link in links))

    # Bulk moves ------------------------------------------------------------------------

    @admin.action(permissions=["claim"], description=_("Claim the selected editions"))
    def claim_selected(self, request, queryset):
        claimed = 0
        editions = list(queryset)
        if request.POST.get("select_across") != "1":
            # Editions someone else claimed since the list was shown are no
            # longer on this desk, so not in ``queryset``: say so, not nothing.
            gone = len(set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))) - len(editions)
            if gone > 0:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d selected edition is not on your desk (any more): someone "
                        "else may have taken it.",
                        "%(count)d selected editions are not on your desk (any more): someone "
                        "else may have taken them.",
                        gone,
                    )
                    % {"count": gone},
                    messages.ERROR,
                )
        for edition in editions:
            try:
                services.edition_claim(edition=edition, user=request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{edition}: {views.refusal(error)}", messages.ERROR)
            else:
                claimed += 1
        if claimed:
            self.message_user(
                request,
                ngettext(
                    "You are now working on %(count)d edition.",
                    "You are now working on %(count)d editions.",
                    claimed,
                )
                % {"count": claimed},
                messages.SUCCESS,
            )

    @admin.action(permissions=["assign"], description=_("Assign the selected editions…"))
    def assign_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(reverse("admin:translations_edition_assign") + f"?ids={ids}")

    # The edition page ------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = self.get_object(request, unquote(object_id))
        if edition is not None:
            allowed = self.allowed(request, edition)
            extra_context = {
                **page.context(request, edition, allowed),
                "lifecycle": lifecycle.page_context(request, edition),
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)


def lifecycle_urls(wrap):
    """The edition page's embargo and withdrawal forms (``reviews.admin.lifecycle``)."""
    return [
        path(f"<path:object_id>/{part}/", wrap(view), name=f"translations_edition_{name}")
        for part, view, name in (
            ("embargo", lifecycle.embargo_set_view, "embargo"),
            ("embargo-lift", lifecycle.embargo_lift_view, "embargo_lift"),
            ("article-withdraw", lifecycle.withdraw_view, "article_withdraw"),
            ("article-reinstate", lifecycle.reinstate_view, "article_reinstate"),
        )
    ]
