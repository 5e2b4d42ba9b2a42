"""The desk speaks the signed-in person's language.

Placed after ``AuthenticationMiddleware`` (it needs the user) and after
``LocaleMiddleware``, whose choice (the browser's Accept-Language header or
language cookie) it overrides for the desk's URLs only, and only for a person
who chose a language in "My preferences". The login page and everyone who
chose nothing keep the browser's language; public pages keep their URL's.

The choice is read from the database at login (or once in a session older
than this) and kept in the session, so a desk page costs no extra query.
Changing it updates the session it was changed in; another browser of the
same person follows at its next login.
"""

from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import translation

from .services import desk_language_get

SESSION_KEY = "tilmash_desk_language"


def desk_language_remember(request, language):
    """Keep ``language`` (or "" for none) as the signed-in person's, for this session."""
    request.session[SESSION_KEY] = [request.user.pk, language or ""]


def desk_language_at_login(sender, request, user, **kwargs):
    """On login, read the person's choice into the new session (``user_logged_in``)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = [user.pk, desk_language_get(user=user) or ""]


def _language_of(request):
    remembered = request.session.get(SESSION_KEY)
    if isinstance(remembered, list) and len(remembered) == 2 and remembered[0] == request.user.pk:
        return remembered[1]
    language = desk_language_get(user=request.user)
    desk_language_remember(request, language)
    return language


class DeskLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Once, at start-up (where no script prefix is set yet): compared with
        # path_info, which never carries one; not a reverse() on every request.
        self.desk_prefix = reverse("admin:index")

    def __call__(self, request):
        try:
            language = (
                _language_of(request)
                if request.path_info.startswith(self.desk_prefix)
                and request.user.is_authenticated
                else ""
            )
        except (OperationalError, InterfaceError):
            # The database is down: the view meets it too, and answers the
            # 503 of config.middleware (in the browser's language).
            language = ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
