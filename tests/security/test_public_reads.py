"""Public reads skip the desk's middleware; everything else goes through it.

A GET or HEAD of a public page gets no session, user or messages (they would
do nothing there); the desk and every POST get all of them, as before, and
CSRF checks every request as it always did. The security headers are checked on every page by
``test_headers.py``.
"""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string

from tests.factories import article_with_paragraphs, editor, publish
from tests.translations.test_caching import detail_url

DESK_ONLY = [
    "config.middleware.SessionMiddleware",
    "config.middleware.AuthenticationMiddleware",
    "config.middleware.DeskLanguageMiddleware",
    "config.middleware.MessageMiddleware",
]


def what_the_view_gets(method, path):
    """The request attributes the desk's middleware leave for the view, and what CSRF
    made of it: "skipped", "accepted" or "refused" (a POST without a token)."""
    seen = {}
    chain = []

    def view(request):
        # Where Django's handler calls the middleware's process_view hooks.
        refused = chain[0].process_view(request, view, (), {})
        seen.update({name: hasattr(request, name) for name in ("session", "user", "_messages")})
        if refused is not None:
            seen["csrf"] = "refused"
        else:
            done = getattr(request, "csrf_processing_done", False)
            seen["csrf"] = "accepted" if done else "skipped"
        return HttpResponse("ok")

    handler = view
    stack = [*DESK_ONLY, "django.middleware.csrf.CsrfViewMiddleware"]
    for dotted in reversed([p for p in settings.MIDDLEWARE if p in stack]):
        handler = import_string(dotted)(handler)
        if dotted.endswith("CsrfViewMiddleware"):
            chain.append(handler)
    handler(getattr(RequestFactory(), method.lower())(path))
    return seen


def test_the_stack_uses_the_desk_only_classes():
    assert all(path in settings.MIDDLEWARE for path in DESK_ONLY)
    for path in [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ]:
        assert path not in settings.MIDDLEWARE


@pytest.mark.parametrize(
    "path",
    ["/en/", "/kk/articles/some-story/", "/kk-latn/", "/ru/feed/", "/sitemap.xml", "/healthz"],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_public_read_skips_sessions_auth_and_messages(method, path):
    assert what_the_view_gets(method, path) == {
        "session": False,
        "user": False,
        "_messages": False,
        "csrf": "accepted",  # Django's, unchanged: a GET is accepted
    }


@pytest.mark.parametrize(
    ("method", "path", "csrf"),
    [
        ("GET", "/admin/", "accepted"),
        ("GET", "/admin/login/", "accepted"),
        ("GET", "/", "accepted"),
        ("GET", "/en", "accepted"),
        ("POST", "/en/", "refused"),
        ("POST", "/admin/login/", "refused"),
    ],
)
def test_the_desk_and_every_post_get_them_all(method, path, csrf):
    assert what_the_view_gets(method, path) == {
        "session": True,
        "user": True,
        "_messages": True,
        "csrf": csrf,
    }


@pytest.mark.django_db
def test_a_signed_in_reader_gets_the_same_public_page_and_no_cookie(
    django_assert_num_queries,
):
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(editor("reader-on-desk", is_staff=True))
    anonymous.get(detail_url(article, "en"))

    with django_assert_num_queries(1):  # the live versions, no session or user
        page = signed_in.get(detail_url(article, "en"))

    assert page.status_code == 200
    assert page.content == anonymous.get(detail_url(article, "en")).content
    assert page.cookies == {}
    assert "Cookie" not in page.headers.get("Vary", "")
    assert signed_in.get("/admin/").status_code == 200  # the desk still knows them
