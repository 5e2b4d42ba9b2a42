"""Form posts whose bytes are not UTF-8 are refused before any view reads them.

Browsers post a form in the encoding of its page (UTF-8 throughout this
site). Django decodes any other bytes to U+FFFD and carries on, so a view
would save text that is not what was sent: a lone surrogate encoded as
UTF-8, an overlong NUL, a stray byte. Such a body comes only from a broken
or hostile client, and gets a 400 with nothing read or written.
"""

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest

FORM = "application/x-www-form-urlencoded"


class Utf8FormsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.content_type == FORM:
            charset = request.content_params.get("charset", "utf-8").lower().replace("-", "")
            if charset == "utf8":
                try:
                    # Reading the body checks DATA_UPLOAD_MAX_MEMORY_SIZE first.
                    unquote_to_bytes(request.body).decode("utf-8")
                except UnicodeDecodeError:
                    return HttpResponseBadRequest(
                        "The form's data is not UTF-8: nothing was saved.",
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)
