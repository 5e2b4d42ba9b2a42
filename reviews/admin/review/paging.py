"""Paging for the desk's long lists: counted up to a cap, and filled a page at a time.

Django's admin counts every row a list matches to draw its page links. On the
review queue and on "My work" that is a scan of the archive: millions of
editions, every open review. :class:`CappedPaginator` counts no further than
``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``), so the count costs
at most ``cap`` rows whatever the archive holds; past the cap the list says
"more than …" and offers the pages up to it. Filters narrow a list below the
cap, and then its count is exact.

A page's rows can be chosen by a ``window`` (the page's keys, in order) and
then read by ``rows`` (the list's annotations and joins, for those keys
only): the review queue picks its page along indexes its order by itself
would not use.
"""

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db.models.query import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` + 1 rows (``capped`` then says so)."""

    cap = 1000

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *,
                 rows=None, window=None):  # fmt: skip
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        # ``window(queryset, bottom, top)``: the keys of that slice in the list's
        # order, or None to slice the queryset; ``rows(keys)``: those rows as
        # the list shows them.
        self.window = window
        self.rows = rows

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        """More rows match than were counted: the count reads "more than ``cap``"."""
        return self.count > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        keys = self.window(self.object_list, bottom, top) if self.window else None
        if keys is None:
            return self._get_page(self.object_list[bottom:top], number, self)
        found = {row.pk: row for row in self.rows(keys)}
        return self._get_page([found[key] for key in keys if key in found], number, self)


class CappedChangeList(ChangeList):
    """The admin's changelist on a :class:`CappedPaginator`: it tells the
    templates whether the count stopped at the cap."""

    def get_results(self, request):
        super().get_results(request)
        self.capped = getattr(self.paginator, "capped", False)
        self.cap = getattr(self.paginator, "cap", None)
