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

- An admin action's selection that is not a list of row ids. Every model
  here has integer keys; Django's admin filters on the posted values as they
  are, so ``_selected_action=abc`` was a server error in every action.

Each comes only from a broken or hostile client, and gets a 400 with
nothing read or written.
"""

import re
from urllib.parse import unquote_to_bytes

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseBadRequest

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
