"""The desk speaks the signed-in person's language.

Placed after ``AuthenticationMiddleware`` (it needs the user) and after
``LocaleMiddleware``, whose choice (the browser's Accept-Language header or
language cookie) it overrides for the desk's URLs only, and only for a person
who chose a language in "My preferences". The login page and everyone who
chose nothing keep the browser's language; public pages keep their URL's.
"""

from django.urls import reverse
from django.utils import translation

from .services import desk_language_get


class DeskLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(reverse("admin:index")):
            language = desk_language_get(user=request.user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
