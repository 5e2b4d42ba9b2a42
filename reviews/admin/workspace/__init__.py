"""The translator's side-by-side editor, added to the edition admin through get_urls().

- ``views``: the page and what its buttons do.
- ``page``: what the page shows (rows, markers, diffs), in a fixed number of queries.
"""

from django.urls import path

from .views import editor_view


def editor_urls(model_admin):
    """URL patterns the edition admin adds for the editor (``model_admin`` is it).

    ``admin:translations_edition_editor`` with the edition's id.
    """
    return [
        path(
            "<int:edition_id>/edit/",
            model_admin.admin_site.admin_view(editor_view(model_admin)),
            name="translations_edition_editor",
        ),
    ]


__all__ = ["editor_urls"]
