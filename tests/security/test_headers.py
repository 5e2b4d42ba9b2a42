"""Web hardening headers on every page, and HTTPS behaviour under production settings.

The pages checked are every HTML page the permission matrix finds open: each
GET row's page as the superuser sees it (one state per row), the public pages
as an anonymous reader sees them, and the login and error pages. On each:
a Content-Security-Policy whose script-src has no 'unsafe-inline', an inline
<script> only with the header's nonce, no inline event handler or
``javascript:`` URL (a nonce does not cover those), and the framing,
referrer, MIME-sniffing and opener headers.
"""

import re
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from .test_permission_matrix import ALL_ROWS
from .world import LANGUAGE, isolated

pytestmark = pytest.mark.django_db

HARDENING = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class Scripts(HTMLParser):
    """The <script> tags of a page, and any attribute a CSP would block inline."""

    def __init__(self):
        super().__init__()
        self.scripts = []  # dicts of attributes
        self.inline_handlers = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.inline_handlers.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.inline_handlers.append(f"<{tag} {name}={value}>")


def csp_directives(response):
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        directives[name] = values
    return directives


def problems(response):
    """What is wrong with one page's hardening, as a list of sentences."""
    found = []
    for header, value in HARDENING.items():
        if response.headers.get(header) != value:
            found.append(f"{header} is {response.headers.get(header)!r}, not {value!r}")
    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    if not script_src:
        return [*found, "no Content-Security-Policy script-src"]
    if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
        found.append(f"script-src allows inline code: {script_src}")
    if directives.get("frame-ancestors") != ["'none'"] or directives.get("object-src") != [
        "'none'"
    ]:
        found.append("frame-ancestors and object-src are not 'none'")
    nonces = {v[len("'nonce-") : -1] for v in script_src if v.startswith("'nonce-")}
    if "text/html" not in response.headers.get("Content-Type", ""):
        return found
    parser = Scripts()
    parser.feed(response.content.decode())
    for attrs in parser.scripts:
        if attrs.get("src"):
            if re.match(r"^(?:[a-z]+:)?//", attrs["src"]):
                found.append(f"script from another origin: {attrs['src']}")
            continue
        if attrs.get("type") in ("application/json", "application/ld+json"):
            continue  # data, never run
        if attrs.get("nonce") not in nonces:
            found.append(f"inline script without the header's nonce: {attrs}")
    found += [f"inline code the CSP blocks: {h}" for h in parser.inline_handlers]
    return found


def _html_pages():
    """``(label, role, row, state)`` of every page the matrix opens: as the superuser,
    or an anonymous reader, in the first state where it opens."""
    for row in ALL_ROWS:
        if row.method != "GET":
            continue
        opened = [
            (role, state)
            for state in row.states or (None,)
            for role in ("superuser", "anonymous")
            if row.expected(state)[role] == "200"
        ]
        if opened:
            role, state = opened[0]
            yield f"{row.id} as {role}", role, row, state


PAGES = list(_html_pages())


def test_every_page_the_matrix_opens_is_hardened(world):
    wrong = {}
    for label, role, row, state in PAGES:
        with isolated():
            response = world.clients[role].get(row.url(world, world.desk(state) if state else None))
        assert response.status_code == 200, label
        if found := problems(response):
            wrong[label] = found
    assert wrong == {}
    assert len(PAGES) > 40  # the matrix's pages, not a handful


@pytest.mark.parametrize(
    "path",
    ["/admin/login/", "/en/articles/no-such-article/", "/xx/", "/admin/no-such-page/", "/healthz"],
)
def test_login_and_error_pages_are_hardened(world, path):
    response = Client().get(path)
    assert problems(response) == []


def test_a_cached_public_page_carries_no_stale_nonce(world):
    """The article page is served from the cache the second time: a nonce baked into
    the cached HTML would no longer match the header."""
    desk = world.desk("approved")
    client = world.clients["anonymous"]
    with translation.override(LANGUAGE):
        path = reverse("public:article_detail", kwargs={"slug": desk.article.slug})
    first, second = client.get(path), client.get(path)
    assert first.content == second.content
    assert problems(first) == [] and problems(second) == []


def test_pages_with_scripts_use_the_nonce_of_their_own_response(world):
    """The editor and the version page load their scripts with a nonce: each response
    has a fresh one, and the page carries exactly that one."""
    desk = world.desk("in_review")
    client = world.clients["editor"]
    url = reverse("admin:reviews_version_review", args=[desk.version.pk])
    seen = []
    for _attempt in range(2):
        response = client.get(url)
        nonces = {v for v in csp_directives(response)["script-src"] if v.startswith("'nonce-")}
        assert len(nonces) == 1
        (nonce,) = nonces
        assert f'nonce="{nonce[7:-1]}"' in response.text
        seen.append(nonce)
    assert seen[0] != seen[1]


# --- Production settings: HTTPS only ----------------------------------------------------

PRODUCTION = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_REDIRECT_EXEMPT": [r"^healthz$"],
}


@override_settings(**PRODUCTION)
@pytest.mark.parametrize("path", ["/en/", "/admin/", "/admin/login/", "/sitemap.xml"])
def test_http_is_redirected_to_https(world, path):
    # A new client loads the middleware, and so reads the settings, afresh.
    response = Client().get(path)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{path}"


@override_settings(**PRODUCTION)
def test_the_health_probe_answers_over_http(world):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


@override_settings(**PRODUCTION)
def test_https_gets_hsts(world):
    response = Client().get("/en/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@override_settings(**PRODUCTION)
def test_cookies_over_https_are_secure(world):
    """The admin's login sets the CSRF cookie and, once logged in, the session cookie:
    both only for HTTPS, the session one out of scripts' reach."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"]
    response = client.post(
        "/admin/login/",
        {
            "username": world.users["editor"].username,
            "password": "pw",
            "next": "/admin/",
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
        headers={"referer": "https://testserver/admin/login/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert client.get("/admin/", secure=True).status_code == 200


def test_the_check_finds_what_it_looks_for():
    """The page check is not vacuous: it catches each thing it is meant to catch."""
    response = HttpResponse(
        '<script nonce="abc">ok()</script><script>bad()</script>'
        '<button onclick="bad()">x</button><a href="javascript:bad()">y</a>'
        '<script src="//cdn.example/x.js"></script>'
    )
    for header, value in HARDENING.items():
        response[header] = value
    response["Content-Security-Policy"] = (
        "script-src 'self' 'nonce-abc'; frame-ancestors 'none'; object-src 'none'"
    )
    found = problems(response)
    assert len(found) == 4, found
    response["Content-Security-Policy"] = "script-src 'self' 'unsafe-inline'"
    del response["X-Frame-Options"]
    found = problems(response)
    assert any("X-Frame-Options" in f for f in found)
    assert any("inline code" in f for f in found)
