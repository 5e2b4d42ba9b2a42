"""The translator's side-by-side editor, added to the edition admin through get_urls()."""


def editor_urls(model_admin):
    """URL patterns the edition admin adds for the editor (``model_admin`` is it)."""
    return []
