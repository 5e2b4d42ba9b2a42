"""The review queue: the Review admin's changelist, and the version page's URLs.

Reviews change only through the services (``reviews.services``), so this admin
adds, changes and deletes nothing: its change page sends one to the version
page, where the decision is taken.
"""

from functools import partial

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import LanguagePair, Review, ReviewState
from reviews.roles import TRANSLATORS_GROUP
from reviews.selectors import review_queue
from reviews.workflow import editions_visible_to, roles_of
from translations.models import EditionState, Priority

from ..clock import clock_html
from ..paging import CappedChangeList, CappedPaginator
from . import views

# Most urgent first, then the oldest submission: the queue's own order.
QUEUE_ORDER = ("-edition__priority", "submitted_at", "pk")


class ReviewStateFilter(admin.SimpleListFilter):
    """The state of the review; the queue opens on those waiting for a decision."""

    title = _("state")
    parameter_name = "state"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*ReviewState.choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or ReviewState.OPEN

    @classmethod
    def open_only(cls, request):
        """The list shows open reviews only (the queue as it opens)."""
        return (request.GET.get(cls.parameter_name) or ReviewState.OPEN) == ReviewState.OPEN

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


class SubmitterFilter(admin.SimpleListFilter):
    """Who submitted the version: the desk's translators, named with their language pairs.

    Offered from the Translators group and the working language pairs (a few
    dozen people), never by reading the reviews: the list of names must not
    cost a scan of every review the archive holds. A translator is offered the
    colleagues of their own pairs.
    """

    title = _("submitted by")
    parameter_name = "submitted_by__id__exact"

    def lookups(self, request, model_admin):
        return [(user.pk, _label(user)) for user in desk_translators(request.user)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            user_id = int(self.value())
        except ValueError:
            raise IncorrectLookupParameters(self.value()) from None
        return queryset.filter(submitted_by_id=user_id)


def desk_translators(viewer):
    """Active translators (the group, or anyone with a working language pair), by name;
    for a translator, those sharing one of their pairs, and themselves."""
    User = get_user_model()
    membership = User.groups.through.objects
    in_group = membership.filter(user=OuterRef("pk"), group__name=TRANSLATORS_GROUP)
    pairs = LanguagePair.objects.filter(user=OuterRef("pk"))
    people = User.objects.filter(Q(Exists(in_group)) | Q(Exists(pairs)), is_active=True)
    roles = roles_of(viewer)
    if not roles.is_editor:
        shared = Q()
        for source_language, target_language in roles.pairs:
            shared |= Q(source_language=source_language, target_language=target_language)
        colleagues = Q(Exists(pairs.filter(shared))) if roles.pairs else Q(pk__in=[])
        people = people.filter(colleagues | Q(pk=viewer.pk))
    ordered = LanguagePair.objects.order_by("source_language", "target_language")
    return people.prefetch_related(Prefetch("language_pairs", queryset=ordered)).order_by(
        "first_name", "last_name", "username"
    )


def _label(user):
    name = user.get_full_name() or user.get_username()
    pairs = ", ".join(str(pair) for pair in user.language_pairs.all())
    return f"{name} ({pairs})" if pairs else name


def queue_window(queryset, bottom, top, *, open_only=False):
    """The keys of the queue's rows ``bottom`` to ``top``, one priority at a time.

    "Most urgent first" sorts by the edition's priority, which no index on the
    reviews holds, so PostgreSQL would join and sort every matching review for
    one page. A priority has few values: each is its own walk along
    ``submitted_at`` (the open reviews' partial index), stopping at the page's
    end. Skipping a priority that ends before the page starts counts it, which
    costs no more rows than the page's offset. The priority column clicked
    either way walks the same; any other order is the database's sort, of
    the keys only.

    ``open_only``: an open review's edition is in review (the services move
    both in one transaction). Saying so for the urgent priorities lets their
    few reviews be found through the editions in review that have them
    (``edition_working_order``), not by walking every open review, nor every
    urgent edition the archive holds. Not for the normal one: that walk finds
    its page at once, and the added condition would only mislead the
    planner's row estimate (it cannot know the two states go together).
    """
    order = _without_repeats(queryset.query.order_by)[: len(QUEUE_ORDER)]
    if order not in (QUEUE_ORDER, ("edition__priority", *QUEUE_ORDER[1:])):
        return list(queryset.values_list("pk", flat=True)[bottom:top])
    keys, skip, wanted = [], bottom, top - bottom
    for priority in sorted(Priority.values, reverse=order == QUEUE_ORDER):
        if wanted <= 0:
            break
        level = queryset.filter(edition__priority=priority)
        if open_only and priority != Priority.NORMAL:
            level = level.filter(edition__state=EditionState.IN_REVIEW)
        level = level.order_by("submitted_at", "pk")
        found = list(level.values_list("pk", flat=True)[skip : skip + wanted])
        keys += found
        wanted -= len(found)
        if found:
            skip = 0
        elif skip:
            skip -= level.count()
    return keys


def _without_repeats(order_by):
    """``order_by`` with each field's first mention only (the later ones sort nothing):
    a clicked column comes before the queue's own order, which may name it again."""
    seen, kept = set(), []
    for term in order_by:
        name = term.lstrip("-") if isinstance(term, str) else term
        if name not in seen:
            seen.add(name)
            kept.append(term)
    return tuple(kept)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = (
        "article",
        "language_pair",
        "version_number",
        "priority",
        "submitted",
        "deadline",
        "clock",
        "state",
        "open_comments",
        "version_link",
    )
    list_display_links = None
    list_filter = (
        ReviewStateFilter,
        "edition__language",
        SubmitterFilter,
        "edition__priority",
    )
    ordering = QUEUE_ORDER
    list_per_page = 50
    # The unfiltered total costs a query and says little in a queue; the
    # filters' facet counts would count every review of the archive per choice.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

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
        """Editors see every review; translators those of the editions they may see.

        Only the filter: what a row shows (edition, article, version, open
        comments: ``reviews.selectors.review_queue``) is read for the shown
        rows alone, so that counting the list and choosing its page join
        nothing they do not need.
        """
        queryset = super().get_queryset(request)
        if not roles_of(request.user).is_editor:
            queryset = queryset.filter(edition__in=editions_visible_to(request.user))
        return queryset

    def get_changelist(self, request, **kwargs):
        return CappedChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CappedPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            rows=lambda keys: review_queue(queryset=Review.objects.filter(pk__in=keys)),
            window=partial(queue_window, open_only=ReviewStateFilter.open_only(request)),
        )

    # --- columns -------------------------------------------------------------------

    @admin.display(description=_("article"), ordering="edition__article__title")
    def article(self, review):
        from ..lifecycle import embargo_badge  # an embargo runs: its countdown

        article = review.edition.article
        link = format_html(
            '<a href="{}" lang="{}">{}</a>',
            self._version_url(review),
            article.source_language,
            article,
        )
        badge = embargo_badge(review.edition)
        return format_html("{}<br>{}", link, badge) if badge else link

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

    # Not sortable: the queue keeps its indexed order; the clock is on the edition's row.
    @admin.display(description=_("time to go live"))
    def clock(self, review):
        return clock_html(review.edition)

    @admin.display(description=_("state"), ordering="state")
    def state(self, review):
        return review.get_state_display()

    # Not sortable: it is counted for the shown rows only, never for the whole queue.
    @admin.display(description=_("open comments"))
    def open_comments(self, review):
        return review.open_comments

    @admin.display(description=_("review page"))
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
