"""Request bytes no form or link of this site sends are refused before any view.

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

Either comes only from a broken or hostile client, and gets a 400 with
nothing read or written.
"""

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest

FORM = "application/x-www-form-urlencoded"


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
        if request.method in ("GET", "HEAD", "OPTIONS") or request.content_type != FORM:
            return None
        charset = request.content_params.get("charset", "utf-8").lower().replace("-", "")
        if charset != "utf8":
            return None
        try:
            # Reading the body checks DATA_UPLOAD_MAX_MEMORY_SIZE first.
            unquote_to_bytes(request.body).decode("utf-8")
        except UnicodeDecodeError:
            return _refused("The form's data is not UTF-8: nothing was saved.")
        return None
