"""CSRF: no POST does anything without the form's token.

The clients here enforce CSRF checks as a browser's requests meet them. Every
view that acts on a POST is taken from the permission matrix (its POST rows
with an ``ok`` cell), with the role and body that succeed there; the list in
``POST_VIEWS`` must match it, so a new POST view is listed here or fails.
Sent without the token, each is refused with Django's CSRF 403 and the
database is unchanged; sent again with the token, it works. Every other
pattern of the project refuses a token-less POST as well.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reviews.xliff import xliff_export

from .test_permission_matrix import ALL_ROWS, cells, outcome
from .urlconf import project_patterns
from .world import db_fingerprint, isolated

pytestmark = pytest.mark.django_db

CSRF_FAILURE = "CSRF verification failed. Request aborted."


def csrf_refused(response):
    """Django's CSRF 403, in the language of the page (a /kk/ page refuses in Kazakh)."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return response.status_code == 403 and gettext(CSRF_FAILURE) in response.text

# Every view that changes something on a POST. Kept by hand on purpose: the
# test below fails when the matrix gains a POST view that is not listed here.
# Logging out writes only the session table (see test_a_refused_logout_keeps_the_session).
POST_VIEWS = {
    "admin:password_change",
    "admin:auth_user_password_change",
    "admin:translations_edition_editor",
    "admin:translations_edition_editor_dismiss",
    "admin:translations_edition_claim",
    "admin:translations_edition_reopen",
    "admin:translations_edition_withdraw",
    "admin:translations_edition_embargo",
    "admin:translations_edition_embargo_lift",
    "admin:translations_edition_article_withdraw",
    "admin:translations_edition_article_reinstate",
    "admin:translations_edition_correction",
    "admin:translations_edition_pretranslate",
    "admin:translations_edition_editor_confirm",
    "admin:translations_edition_assign",
    "admin:translations_edition_changelist",  # the claim action
    "admin:translations_article_changelist",  # the start-translation actions
    "admin:reviews_version_decide",
    "admin:reviews_version_comment",
    "admin:reviews_version_resolve",
    "admin:reviews_version_check",
    "admin:reviews_version_credits",
    "xliff:export_batch",  # writes the export to the audit
    "admin:translations_article_import",  # a previewed import, confirmed
    "admin:agency_feedsource_run",  # queues a run of the feed source
    "preferences:edit",  # the desk language (and the header's switcher)
    "admin:webhooks_subscription_add",
    "admin:webhooks_subscription_changelist",  # a new secret
    "admin:webhooks_delivery_changelist",  # send again
}


def acting_cells():
    """``{key: (row, state, role)}``: for each POST view, one cell where the POST acts."""
    found = {}
    for row in ALL_ROWS:
        if row.method != "POST" or row.key in found:
            continue
        for state, role, expected in cells(row):
            if expected == "ok":
                found[row.key] = (row, state, role)
                break
    return found


ACTING = acting_cells()


def _client(world, role, *, cookie=True):
    client = Client(enforce_csrf_checks=True)
    if cookie:
        client.cookies["csrftoken"] = world.csrf
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _post(world, key, *, token):
    """The acting cell of ``key``, sent with or without the token: (response, changed)."""
    row, state, role = ACTING[key]
    desk = world.desk(state) if state else None
    with isolated():
        client = _client(world, role)
        if row.prepare:
            row.prepare(world, desk)
        before = db_fingerprint()
        data = row.data(world, desk)
        if token:
            data["csrfmiddlewaretoken"] = world.csrf
        response = client.post(row.url(world, desk), data)
        return response, db_fingerprint() != before


def test_the_list_of_post_views_is_the_matrixs():
    assert set(ACTING) == POST_VIEWS


@pytest.mark.parametrize("key", sorted(POST_VIEWS))
def test_a_post_without_the_token_is_refused_and_changes_nothing(world, key):
    response, changed = _post(world, key, token=False)
    assert response.status_code == 403
    assert csrf_refused(response)
    assert not changed


@pytest.mark.parametrize("key", sorted(POST_VIEWS))
def test_the_same_post_with_the_token_acts(world, key):
    response, changed = _post(world, key, token=True)
    assert outcome(response, "POST", changed) == "ok"


def _any_url(world, key):
    """One URL of the pattern ``key``, from its first row in the matrix."""
    for row in ALL_ROWS:
        if row.key == key:
            state = row.states[0] if row.states else None
            return row.url(world, world.desk(state) if state else None)
    raise AssertionError(f"no row for {key}")


# The upload pages read their body through a size limit, so they are exempt from the
# middleware's check and make the check themselves, after the admin's login check.
CHECKED_IN_VIEW = {"xliff:import", "admin:translations_article_import"}
# The REST API's endpoints take an API key in a header, never a cookie: exempt from CSRF.
API_PREFIX = "api-v1:"


def test_every_pattern_refuses_a_post_without_the_token(world):
    """GET-only pages too: the check runs before any view, for every role."""
    keys = sorted({pattern.key for pattern in project_patterns()})
    wrong = []
    for role in ("anonymous", "superuser"):
        for key in keys:
            with isolated():
                client = _client(world, role)
                before = db_fingerprint()
                response = client.post(_any_url(world, key), {"anything": "1"})
                changed = db_fingerprint() != before
            refused = csrf_refused(response)
            if key.startswith(API_PREFIX):
                # Key auth, never a session: no CSRF check, and a POST is refused all the same.
                refused = refused or response.status_code in (401, 404, 405)
            if role == "anonymous" and key in CHECKED_IN_VIEW:
                refused = outcome(response, "POST", changed) == "login"
            if not refused or changed:
                wrong.append((role, key, response.status_code))
    assert wrong == []


def test_a_wrong_token_or_no_cookie_is_refused_too(world):
    row, state, role = ACTING["admin:translations_edition_editor"]
    desk = world.desk(state)
    data = row.data(world, desk)
    for cookie, token in [(False, world.csrf), (True, "x" * 32), (True, world.csrf[::-1])]:
        with isolated():
            client = _client(world, role, cookie=cookie)
            before = db_fingerprint()
            response = client.post(row.url(world, desk), {**data, "csrfmiddlewaretoken": token})
            assert response.status_code == 403
            assert db_fingerprint() == before


def test_a_refused_logout_keeps_the_session(world):
    client = _client(world, "editor")
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_login_without_the_token_is_refused(world):
    client = _client(world, "anonymous")
    response = client.post(
        reverse("admin:login"), {"username": "sec-editor", "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_xliff_upload_without_the_token_is_refused_before_it_is_read(world):
    """The upload view reads files through its own size limit, so it is exempt from the
    middleware's check; the page behind it makes the check itself."""
    desk = world.desk("in_progress")
    user = world.users["assigned"]
    export = xliff_export(edition=desk.edition, user=user)
    content = export.content.replace(
        "Комитет жиналды.".encode(), "Комитет сейсенбіде жиналды.".encode()
    )
    assert content != export.content
    url = reverse("xliff:import")

    def upload(token):
        with isolated():
            client = _client(world, "assigned")
            before = db_fingerprint()
            data = {"file": _named(content, export.filename)}
            if token:
                data["csrfmiddlewaretoken"] = world.csrf
            response = client.post(url, data)
            return response, db_fingerprint() != before

    response, changed = upload(token=False)
    assert response.status_code == 403 and not changed
    response, changed = upload(token=True)
    assert response.status_code == 200 and changed


def _named(content, name):
    return SimpleUploadedFile(name, content, content_type="application/xliff+xml")
