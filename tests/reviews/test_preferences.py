"""Each person's desk language: chosen in "My preferences" or the header's
switcher, followed by every desk page, and never by the public pages."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models import DeskProfile
from reviews.preferences import desk_language_get, desk_language_set
from tests.factories import article_with_paragraphs, publish, translator

pytestmark = pytest.mark.django_db

PREFERENCES = "/admin/preferences/"


@pytest.fixture
def aigul(client):
    user = translator("aigul", is_staff=True)
    client.force_login(user)
    return user


def chosen(client, user, language):
    """``user`` chose ``language`` and logs in again (the choice is read at login)."""
    desk_language_set(user=user, language=language)
    client.force_login(user)


def page_language(response):
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_desk_follows_the_persons_choice_not_the_browsers(client, aigul):
    chosen(client, aigul, "ru")
    response = client.get("/admin/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert page_language(response) == "ru"
    assert response["Content-Language"] == "ru"


def test_without_a_choice_the_desk_follows_the_browser(client, aigul):
    response = client.get("/admin/", headers={"accept-language": "kk"})
    assert page_language(response) == "kk"
    assert not DeskProfile.objects.exists()  # made only when a choice is made


def test_the_login_page_follows_the_browser(client):
    response = client.get("/admin/login/", headers={"accept-language": "ru"})
    assert page_language(response) == "ru"


def test_public_pages_keep_the_language_of_their_url(client, aigul):
    article = article_with_paragraphs(count=1, title="Tram line opens")
    publish(article, "en")
    chosen(client, aigul, "ru")
    response = client.get(f"/en/articles/{article.slug}/", headers={"accept-language": "ru"})
    assert response.status_code == 200
    assert page_language(response) == "en"
    assert response["Content-Language"] == "en"


def test_the_switcher_sets_the_language_and_goes_back_to_the_page(client, aigul):
    my_work = reverse("admin:translations_edition_changelist")
    response = client.post(PREFERENCES, {"language": "kk", "next": my_work})
    assert response.status_code == 302
    assert response["Location"] == my_work
    assert desk_language_get(user=aigul) == "kk"
    (message,) = get_messages(response.wsgi_request)
    assert "Қазақша" in message.message  # said in the new language already
    assert page_language(client.get(my_work)) == "kk"


def test_the_preferences_page_shows_the_choice_and_every_desk_language(client, aigul):
    chosen(client, aigul, "kk")
    html = client.get(PREFERENCES).content.decode()
    assert 'value="kk" checked' in html
    for code in ("kk", "ru", "en"):
        assert f'name="language" value="{code}"' in html
        assert f'<option value="{code}" lang="{code}"' in html  # the header's switcher


@pytest.mark.parametrize("forged", ["de", "kk-latn", "", "ru\x00", "x" * 500])
def test_a_language_the_desk_does_not_have_is_refused_and_nothing_changes(client, aigul, forged):
    desk_language_set(user=aigul, language="ru")
    response = client.post(PREFERENCES, {"language": forged, "next": "/admin/"})
    assert response.status_code in (302, 400)  # a NUL is refused before the view
    assert desk_language_get(user=aigul) == "ru"
    if response.status_code == 302:
        (message,) = get_messages(response.wsgi_request)
        assert message.level_tag == "error"
        assert "not a language of the desk" in message.message


def test_the_switcher_never_sends_anyone_off_the_desk(client, aigul):
    for elsewhere in ("https://evil.example/admin/", "//evil.example/admin/", "/en/"):
        response = client.post(PREFERENCES, {"language": "en", "next": elsewhere})
        assert response["Location"] == PREFERENCES


def test_a_choice_is_one_row_per_person(aigul):
    desk_language_set(user=aigul, language="ru")
    desk_language_set(user=aigul, language="en")
    assert list(DeskProfile.objects.values_list("user", "language")) == [(aigul.pk, "en")]


def test_a_session_from_before_the_choice_was_kept_reads_it_once(client, aigul):
    desk_language_set(user=aigul, language="ru")
    session = client.session
    session.pop("tilmash_desk_language", None)
    session.save()
    assert page_language(client.get("/admin/", headers={"accept-language": "en"})) == "ru"
    assert client.session["tilmash_desk_language"] == [aigul.pk, "ru"]


def test_the_choice_costs_a_desk_page_no_query(client, aigul, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/admin/")
    with CaptureQueriesContext(connection) as without_choice:
        client.get("/admin/")
    count = len(without_choice)  # before the next request clears the log
    chosen(client, aigul, "kk")
    client.get("/admin/")
    with django_assert_num_queries(count):
        assert page_language(client.get("/admin/")) == "kk"
