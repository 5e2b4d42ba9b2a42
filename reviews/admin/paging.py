"""Paging for the desk's long lists: counted up to a cap, and read a page at a time.

Django's admin counts every row a list matches to draw its page links, and
reads a page with everything each row shows (joins, counting subqueries)
computed for every row the page's offset skips. On the review queue and on
"My work" that is the archive: millions of editions, every open review.

:class:`CappedPaginator` counts no further than ``cap`` rows (``SELECT
COUNT(*) FROM (… LIMIT cap + 1)``), so the count costs at most ``cap`` rows
whatever the archive holds; past the cap the list says "more than …" and
offers the pages up to it. Filters narrow a list below the cap, and then its
count is exact. Given ``rows``, a page is picked as keys first (the list's
order over the bare filtered queryset, or a ``window`` that knows a better
way) and only those rows are read as the list shows them.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import InvalidPage, Paginator
from django.db.models.query import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` + 1 rows (``capped`` then says so).

    ``rows(keys)``: those rows as the list shows them (joins, annotations), in
    any order. ``window(queryset, bottom, top)``: the keys of that slice in the
    list's order; by default the queryset's own order, keys only.
    """

    cap = 1000

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *,
                 rows=None, window=None):  # fmt: skip
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.rows = rows
        self.window = window or _keys_window

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
        if self.rows is None:
            return self._get_page(self.object_list[bottom:top], number, self)
        return self._get_page(self.shown(self.window(self.object_list, bottom, top)), number, self)

    def shown(self, keys):
        """The rows of ``keys``, as the list shows them, in the order of ``keys``."""
        found = {row.pk: row for row in self.rows(keys)}
        return [found[key] for key in keys if key in found]


def _keys_window(queryset, bottom, top):
    return list(queryset.values_list("pk", flat=True)[bottom:top])


class CappedChangeList(ChangeList):
    """The admin's changelist on a :class:`CappedPaginator`.

    It tells the templates whether the count stopped at the cap, and reads a
    list that fits on one page (or "show all", which Django shows as the
    filtered queryset itself) through ``rows`` as it reads a page.
    """

    def get_results(self, request):
        super().get_results(request)
        self.capped = getattr(self.paginator, "capped", False)
        self.cap = getattr(self.paginator, "cap", None)
        if self.capped and self.can_show_all:
            # "Show all" is for a list known to be short; a capped one is not.
            self.can_show_all = False
            if self.show_all:
                try:
                    self.result_list = self.paginator.page(self.page_num).object_list
                except InvalidPage:
                    raise IncorrectLookupParameters from None
        rows = getattr(self.paginator, "rows", None)
        if rows is not None and isinstance(self.result_list, QuerySet):
            self.result_list = self.paginator.shown(
                list(self.result_list.values_list("pk", flat=True))
            )
