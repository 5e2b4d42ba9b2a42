"""The desk's pages in the Django admin.

- ``editions``: the edition admin ("My work", the edition page, assignment,
  the timeline), registered for ``translations.Edition``, and the content
  admin as the desk extends it.
- ``editor``: the translator's side-by-side editor (pages added to the edition admin).
- ``review``: the editor's review queue and version page.
- ``paging``: the capped paginator both lists use.
- ``lifecycle``: embargo and withdrawal: the lists' countdown, the edition
  page's forms and the views behind them.
"""

from . import editions, editor, review  # noqa: F401  (registers the admin classes)
