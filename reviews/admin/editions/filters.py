"""The filters of "My work"."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from reviews.models import Assignment

from ...selectors.my_work import overdue_q


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
        return queryset


class AssignmentFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("pool", _("Unassigned pool"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            mine = Assignment.objects.filter(edition=OuterRef("pk"), user=request.user)
            return queryset.filter(Exists(mine))
        if self.value() == "pool":
            return queryset.exclude(Exists(Assignment.objects.filter(edition=OuterRef("pk"))))
        return queryset
