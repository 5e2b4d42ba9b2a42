"""Every refusal the API makes, as one JSON shape: ``{"errors": [{"loc", "msg", "code"}]}``.

``loc`` says where the problem is (``["body", "paragraphs", 3]``,
``["header", "Authorization"]``, ``["path", "language"]``), ``code`` is
stable for programs, ``msg`` is for people (in the request's
Accept-Language). A refused request has written nothing.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class ApiError(Exception):
    """A refusal with its status and problems (each ``(loc, msg, code)``)."""

    def __init__(self, status, problems, headers=None):
        super().__init__(problems)
        self.status = status
        self.problems = [
            {"loc": list(loc), "msg": str(msg), "code": code} for loc, msg, code in problems
        ]
        self.headers = headers or {}


def problems_response(status, problems, headers=None):
    response = JsonResponse({"errors": problems}, status=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    patch_cache_control(response, no_store=True)
    return response


def forbidden(message, loc=("header", "Authorization")):
    return ApiError(403, [(loc, message, "forbidden")])


def _validation(request, exc):
    problems = [
        {
            "loc": [part for part in error.get("loc", ()) if part != "payload"],
            "msg": error.get("msg", ""),
            "code": error.get("type", "invalid"),
        }
        for error in exc.errors
    ]
    return problems_response(422, problems)


def _unauthenticated(request, exc):
    return problems_response(
        401,
        [
            {
                "loc": ["header", "Authorization"],
                "msg": _("A valid, unrevoked API key is required: Authorization: Bearer <key>."),
                "code": "unauthorized",
            }
        ],
        headers={"WWW-Authenticate": "Bearer"},
    )


def _http_error(request, exc):
    if exc.status_code == 400:
        message, code = _("The request body is not valid JSON."), "parse_error"
    else:
        message, code = str(exc), "http_error"
    return problems_response(exc.status_code, [{"loc": ["body"], "msg": message, "code": code}])


def _not_found(request, exc):
    return problems_response(404, [{"loc": ["path"], "msg": _("Not found."), "code": "not_found"}])


def _api_error(request, exc):
    return problems_response(exc.status, exc.problems, exc.headers)


def _permission_denied(request, exc):
    return problems_response(
        403, [{"loc": ["header", "Authorization"], "msg": str(exc), "code": "forbidden"}]
    )


def _django_validation(request, exc):
    return problems_response(
        422, [{"loc": ["body"], "msg": message, "code": "invalid"} for message in exc.messages]
    )


def handlers_install(api):
    """Put the API's own shape on every refusal ``api`` makes."""
    api.add_exception_handler(NinjaValidationError, _validation)
    api.add_exception_handler(AuthenticationError, _unauthenticated)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(PermissionDenied, _permission_denied)
    api.add_exception_handler(DjangoValidationError, _django_validation)
