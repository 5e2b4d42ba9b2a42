"""Admin login throttling (django-axes): a username guessed at from one address is
locked after AXES_FAILURE_LIMIT failures, even against the right password; other
people, and the same person from elsewhere, log in as usual.

Logins go through the admin's own login form, which passes the request to
``authenticate`` (axes needs it to know the address).
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import editor, translator

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


@pytest.fixture
def people():
    return {
        "erin": editor("throttle-erin", is_staff=True),
        "tom": translator("throttle-tom", is_staff=True),
    }


def login(username, password, *, address=ADDRESS):
    """One attempt at the admin's login form: ``(client, response)``."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )
    return client, response


def logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def fail(username, times, *, address=ADDRESS):
    """``times`` wrong passwords; the status codes of the answers."""
    statuses = []
    for _attempt in range(times):
        client, response = login(username, "wrong password", address=address)
        assert not logged_in(client)
        statuses.append(response.status_code)
    return statuses


def test_throttling_is_on_with_the_documented_limit():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    assert "axes.backends.AxesStandaloneBackend" in settings.AUTHENTICATION_BACKENDS


def test_the_right_password_logs_in(people):
    client, response = login("throttle-erin", "pw")
    assert response.status_code == 302
    assert logged_in(client)


def test_wrong_passwords_get_the_form_again_until_the_limit_locks(people):
    limit = settings.AXES_FAILURE_LIMIT
    assert fail("throttle-erin", limit + 1) == [200] * (limit - 1) + [429, 429]


def test_after_the_limit_even_the_right_password_is_refused(people):
    fail("throttle-erin", settings.AXES_FAILURE_LIMIT)
    client, response = login("throttle-erin", "pw")
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE == 429
    assert "locked" in response.text.lower()
    assert not logged_in(client)


def test_one_failure_short_of_the_limit_still_lets_the_right_password_in(people):
    fail("throttle-erin", settings.AXES_FAILURE_LIMIT - 1)
    client, response = login("throttle-erin", "pw")
    assert response.status_code == 302
    assert logged_in(client)


def test_another_person_from_the_same_address_is_not_affected(people):
    fail("throttle-erin", settings.AXES_FAILURE_LIMIT)
    client, response = login("throttle-tom", "pw")
    assert response.status_code == 302
    assert logged_in(client)


def test_the_same_person_from_another_address_is_not_affected(people):
    fail("throttle-erin", settings.AXES_FAILURE_LIMIT)
    client, response = login("throttle-erin", "pw", address=ELSEWHERE)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_resets_the_count(people):
    fail("throttle-erin", settings.AXES_FAILURE_LIMIT - 1)
    login("throttle-erin", "pw")
    fail("throttle-erin", settings.AXES_FAILURE_LIMIT - 1)
    client, response = login("throttle-erin", "pw")
    assert response.status_code == 302
    assert logged_in(client)


def test_an_unknown_username_is_locked_too(people):
    """Guessing at names that do not exist is throttled like guessing passwords."""
    fail("nobody-here", settings.AXES_FAILURE_LIMIT)
    _client, response = login("nobody-here", "pw")
    assert response.status_code == 429
