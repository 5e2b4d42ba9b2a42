"""The translator's side-by-side editor, added to the edition admin through get_urls().

- ``views``: the page and what its buttons do.
- ``page``: what the page shows (rows, markers, diffs), in a fixed number of queries.
- ``aids`` / ``aid_views``: checks, glossary, memory and machine suggestions on it.
- ``machine``: pre-translation: the request, its progress, confirming machine rows.
- ``forms``: what the page posts (rows with their revisions, structure requests).
"""

from django.urls import path

from .aid_views import dismiss_view, suggest_view
from .machine import confirm_view, pretranslate_view, progress_view
from .views import editor_view


def editor_urls(model_admin):
    """URL patterns the edition admin adds for the editor (``model_admin`` is it).

    ``admin:translations_edition_editor`` with the edition's id; beside it the
    check dismissal (``…_editor_dismiss``) and one unit's suggestions
    (``…_editor_suggest``, with the unit's key); the machine's side
    (``…_editor_confirm``, ``…_pretranslate``, ``…_pretranslate_progress``).
    """
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "<int:edition_id>/edit/",
            wrap(editor_view(model_admin)),
            name="translations_edition_editor",
        ),
        path(
            "<int:edition_id>/edit/dismiss/",
            wrap(dismiss_view(model_admin)),
            name="translations_edition_editor_dismiss",
        ),
        path(
            "<int:edition_id>/edit/suggest/<str:key>/",
            wrap(suggest_view(model_admin)),
            name="translations_edition_editor_suggest",
        ),
        path(
            "<int:edition_id>/edit/confirm/",
            wrap(confirm_view(model_admin)),
            name="translations_edition_editor_confirm",
        ),
        path(
            "<int:edition_id>/pretranslate/",
            wrap(pretranslate_view(model_admin)),
            name="translations_edition_pretranslate",
        ),
        path(
            "<int:edition_id>/pretranslate/progress/",
            wrap(progress_view(model_admin)),
            name="translations_edition_pretranslate_progress",
        ),
    ]


__all__ = ["editor_urls"]
