"""Two guards (request bytes no page sends, a database that does not answer), and the
desk's middleware left out of public reads (at the end of the module).

Request bytes no form or link of this site sends are refused before any view.

- A form post whose bytes are not UTF-8. Browsers post a form in the
  encoding of its page (UTF-8 throughout this site); a lone surrogate in a
  page's text reaches the server as U+FFFD, in valid UTF-8. Django decodes
  any other bytes to U+FFFD too and carries on, so a view would save text
  that is not what was sent: a lone surrogate encoded as UTF-8, an overlong
  NUL, a stray byte. A view that finds U+FFFD itself and says where, keeping
  what was typed (the translator's editor), sets ``form_bytes_checked = True``
  and is let through.
- A NUL in the query string. PostgreSQL refuses NUL in text, so the admin's
  list filters (``?language=%00``) failed with a server error there.

- An admin action's selection that is not a list of row ids. Every model
  here has integer keys; Django's admin filters on the posted values as they
  are, so ``_selected_action=abc`` was a server error in every action.

Each comes only from a broken or hostile client, and gets a 400 with
nothing read or written.
"""

import logging
import re
import sys
import threading
import time
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import defaults

from reviews.preferences import middleware as preferences_middleware

logger = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
ROW_ID = re.compile(r"[0-9]{1,18}")


def _refused(reason):
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


class RequestBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            return _refused("A parameter of this address holds a NUL character.")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "form_bytes_checked", False):
            return None
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if request.content_type == FORM and (refused := self.form_bytes_refusal(request)):
            return refused
        # Only the admin's lists take actions; other views (the XLIFF upload with
        # its own upload handlers) must be the first to read their POST.
        if getattr(view_func, "__name__", "") == "changelist_view":
            selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
            if not all(ROW_ID.fullmatch(value) for value in selected):
                return _refused("The selected items are not rows of this list: nothing was done.")
        return None

    @staticmethod
    def form_bytes_refusal(request):
        charset = request.content_params.get("charset", "utf-8").lower().replace("-", "")
        if charset != "utf8":
            return None
        try:
            # Reading the body checks DATA_UPLOAD_MAX_MEMORY_SIZE first.
            unquote_to_bytes(request.body).decode("utf-8")
        except UnicodeDecodeError:
            return _refused("The form's data is not UTF-8: nothing was saved.")
        return None


# --- The database unavailable ---------------------------------------------------------

# What a lost or refused connection raises; ``DatabaseError`` in general is
# also a bad query, which stays a 500 with its traceback in the log.
UNAVAILABLE = (OperationalError, InterfaceError)
# What a client is told to wait before asking again.
RETRY_AFTER_SECONDS = 5
# Seconds between two log records of the database's unavailability.
LOG_SECONDS = 60.0
_logged = {"at": None, "answered": 0}
_logged_lock = threading.Lock()


def _log_unavailable(request, error):
    """One warning per ``LOG_SECONDS`` with how many requests got the 503 page since,
    not a record per request: an outage under load would flood the log."""
    now = time.monotonic()
    with _logged_lock:
        _logged["answered"] += 1
        if _logged["at"] is not None and now - _logged["at"] < LOG_SECONDS:
            return
        _logged["at"], answered, _logged["answered"] = now, _logged["answered"], 0
    logger.warning(
        "The database is unavailable (%s %s): %s; %d request(s) answered 503 since the "
        "last record.",
        request.method,
        request.path,
        error,
        answered,
    )


def database_unavailable(request, error):
    """A 503 page for a request that met a database that does not answer.

    Logged without a traceback, once a minute (``_log_unavailable``): the
    database's own log and ``/healthz`` say why. A write is told that nothing
    was saved (its transaction, if it began, was rolled back); a script's
    request gets the same words as JSON.
    """
    _log_unavailable(request, error)
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    if "application/json" in request.headers.get("Accept", ""):
        message = (
            _("The database is unavailable: nothing was saved.")
            if write
            else _("The database is unavailable.")
        )
        response = JsonResponse({"error": str(message), "saved": False}, status=503)
    else:
        html = render_to_string("503.html", {"write": write})
        response = HttpResponse(html, status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    # Logged above; Django's request log would add a record per request.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection in a view into a clean 503.

    What another middleware raises (a session saved after the view) reaches
    ``server_error``, the site's ``handler500``, which answers the same.
    Django closes a connection that failed at the end of the request, and a
    kept one the server closed meanwhile is seen before reuse
    (``config.db.postgresql``), so the first request after the database
    returns gets a fresh connection: the workers recover with no restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


def server_error(request):
    """``handler500``: a database outage met outside a view is a 503 too."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        return database_unavailable(request, error)
    return defaults.server_error(request)


# --- Public reads skip the desk's middleware ---------------------------------------------


def public_read(request):
    """Whether ``request`` is a GET or HEAD of a public page.

    Public pages (``settings.TILMASH_PUBLIC_READ_PATHS``: each language's
    pages, the sitemaps, the probe) show the same bytes to everyone and read
    no session, user or message, so the middleware that provide those do
    nothing for them but cost every request. The classes below leave such
    requests alone; anything else (the desk, every POST) goes through them as
    before. Django's CSRF middleware stays as it is for every request (a GET
    costs it a cookie lookup; Django's deploy check looks for it by name), and
    so do the security headers' middleware.
    """
    try:
        return request._tilmash_public_read
    except AttributeError:
        request._tilmash_public_read = request.method in (
            "GET",
            "HEAD",
        ) and request.path_info.startswith(settings.TILMASH_PUBLIC_READ_PATHS)
        return request._tilmash_public_read


class _DeskOnly:
    """Runs the middleware it is mixed into for everything but public reads."""

    sync_capable = True
    async_capable = False

    def __call__(self, request):
        if public_read(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_DeskOnly, sessions_middleware.SessionMiddleware):
    pass


class AuthenticationMiddleware(_DeskOnly, auth_middleware.AuthenticationMiddleware):
    pass


class DeskLanguageMiddleware(_DeskOnly, preferences_middleware.DeskLanguageMiddleware):
    pass


class MessageMiddleware(_DeskOnly, messages_middleware.MessageMiddleware):
    pass
