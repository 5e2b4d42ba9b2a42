"""API key authentication for the ingest endpoints: the key, its scope, its rate, the body's size.

Runs before the body is read: a request without a valid key, with a key
that lacks the endpoint's scope, past its key's rate or with a body past
``TILMASH_API_MAX_BODY_BYTES`` is refused without reading it. No session or
cookie is ever looked at, so these endpoints need (and have) no CSRF check.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from .errors import ApiError, forbidden
from .keys import api_key_find, rate_limit_wait


class ApiKeyAuth(HttpBearer):
    def __init__(self, scope):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        api_key = api_key_find(token)
        if api_key is None:
            return None
        if not api_key.allows(self.scope):
            raise forbidden(_("This API key lacks the “%(scope)s” scope.") % {"scope": self.scope})
        wait = rate_limit_wait(api_key)
        if wait:
            raise ApiError(
                429,
                [(["header", "Authorization"], _("Too many requests with this API key; "
                  "try again in %(seconds)d s.") % {"seconds": wait}, "rate_limited")],
                headers={"Retry-After": str(wait)},
            )  # fmt: skip
        limit = settings.TILMASH_API_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise ApiError(
                413,
                [(["body"], _("The request body is %(size)d bytes; the limit is %(limit)d "
                  "bytes.") % {"size": length, "limit": limit}, "too_large")],
            )  # fmt: skip
        return api_key


def language_allowed(api_key, language, loc):
    """Refuse (403) a language outside the key's languages."""
    if not api_key.allows_language(language):
        raise forbidden(
            _("This API key is not allowed the language “%(language)s”.") % {"language": language},
            loc=loc,
        )
