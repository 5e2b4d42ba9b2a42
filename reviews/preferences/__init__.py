"""Each person's own settings for the desk: the language it speaks to them.

- ``services``: reading and setting a person's desk language.
- ``middleware``: the desk's pages (``/admin/…``) in the signed-in person's language.
- ``views``: the "My preferences" page, which the header's switcher posts to too.

Public pages are not the desk's: they keep the language of their URL.
"""

from .services import desk_language_get, desk_language_set, desk_languages_of

__all__ = ["desk_language_get", "desk_language_set", "desk_languages_of"]
