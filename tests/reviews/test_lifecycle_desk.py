"""Embargo and withdrawal on the desk: countdowns in the lists, the edition
page's forms as the workflow allows them, and forged posts refused."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reviews import services
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from tests.lifecycle_helpers import clock_at, senior_editor
from translations.models import AuditEntry, Edition
from translations.services import edition_get_or_create

from .helpers import submitted

pytestmark = pytest.mark.django_db
MY_WORK = "/admin/translations/edition/"
QUEUE = "/admin/reviews/review/"
NOW = datetime.datetime(2026, 12, 7, 4, 0, tzinfo=datetime.UTC)  # 09:00 in Almaty


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def people():
    return {
        "tina": translator("tina", pairs=[("en", "kk")], is_staff=True),
        "erin": editor("erin", is_staff=True),
        "sam": senior_editor("sam", is_staff=True),
    }


@pytest.fixture
def story(people):
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    kk = edition_get_or_create(article=article, language="kk")
    assign(kk, people["tina"])
    return article


def kk_of(article):
    return Edition.objects.select_related("article").get(article=article, language="kk")


def url(name, edition):
    return reverse(f"admin:translations_edition_{name}", args=[edition.pk])


def test_my_work_and_the_queue_show_the_embargo_with_a_countdown(client, people, story):
    until = NOW + datetime.timedelta(hours=2, minutes=10)
    with clock_at(NOW):
        services.embargo_set(edition=kk_of(story), user=people["erin"], until=until,
                             whole_article=True)  # fmt: skip
        submitted(people["tina"], kk_of(story))
        client.force_login(people["tina"])
        my_work = client.get(MY_WORK).content.decode()
        client.force_login(people["erin"])
        queue = client.get(QUEUE).content.decode()
    for page in (my_work, queue):
        assert "Embargoed until" in page
        assert "7 Dec, 11:10" in page  # Asia/Almaty
        assert "in 2 h 10 min" in page


def test_an_embargo_past_its_time_is_no_longer_shown(client, people, story):
    until = NOW + datetime.timedelta(minutes=5)
    with clock_at(NOW):
        services.embargo_set(edition=kk_of(story), user=people["erin"], until=until)
    client.force_login(people["tina"])
    with clock_at(until):
        assert "Embargoed until" not in client.get(MY_WORK).content.decode()


def test_editing_an_embargoed_story_is_normal_work(people, story):
    services.embargo_set(edition=kk_of(story), user=people["erin"],
                         until=timezone.now() + datetime.timedelta(hours=1))  # fmt: skip
    version = submitted(people["tina"], kk_of(story))
    services.version_approve(version=version, user=people["erin"])
    assert kk_of(story).state == "approved"


def test_the_edition_page_offers_each_role_only_its_moves(client, people, story):
    page = reverse("admin:translations_edition_change", args=[kk_of(story).pk])
    client.force_login(people["tina"])
    text = client.get(page).content.decode()
    assert url("embargo", kk_of(story)) not in text
    assert url("article_withdraw", kk_of(story)) not in text
    client.force_login(people["erin"])
    text = client.get(page).content.decode()
    assert url("embargo", kk_of(story)) in text
    assert url("article_withdraw", kk_of(story)) not in text
    client.force_login(people["sam"])
    text = client.get(page).content.decode()
    assert url("article_withdraw", kk_of(story)) in text
    assert url("article_reinstate", kk_of(story)) not in text


def test_an_embargo_is_entered_in_almaty_time_and_stored_in_utc(client, people, story):
    client.force_login(people["erin"])
    response = client.post(url("embargo", kk_of(story)),
                           {"until": "2099-01-01T10:00", "scope": "edition"})  # fmt: skip
    assert response.status_code == 302
    assert kk_of(story).embargo_until == datetime.datetime(2099, 1, 1, 5, 0, tzinfo=datetime.UTC)
    assert kk_of(story).article.embargo_until is None
    client.post(url("embargo", kk_of(story)), {"until": "2099-01-02T10:00", "scope": "article"})
    assert kk_of(story).article.embargo_until.isoformat() == "2099-01-02T05:00:00+00:00"


@pytest.mark.parametrize("until", ["", "tomorrow", "2099-13-01T10:00", "2000-01-01T10:00"])
def test_a_bad_or_past_time_is_a_message_and_changes_nothing(client, people, story, until):
    client.force_login(people["erin"])
    before = AuditEntry.objects.count()
    response = client.post(url("embargo", kk_of(story)), {"until": until}, follow=True)
    assert any("embargo" in message.lower() for message in messages_of(response))
    assert kk_of(story).embargo_until is None
    assert AuditEntry.objects.count() == before


def test_forged_posts_from_a_translator_and_an_editor_are_refused(client, people, story):
    client.force_login(people["tina"])
    client.post(url("embargo", kk_of(story)), {"until": "2099-01-01T10:00"})
    client.force_login(people["erin"])
    response = client.post(url("article_withdraw", kk_of(story)), {"reason": "Because."},
                           follow=True)  # fmt: skip
    assert "Only a senior editor may withdraw" in " ".join(messages_of(response))
    assert kk_of(story).embargo_until is None
    assert kk_of(story).article.withdrawn_at is None


def test_a_senior_editor_withdraws_and_reinstates_from_the_page(client, people, story):
    client.force_login(people["sam"])
    response = client.post(url("article_withdraw", kk_of(story)), {"reason": ""}, follow=True)
    assert "Say why" in " ".join(messages_of(response))
    client.post(url("article_withdraw", kk_of(story)), {"reason": "Legal advice."})
    assert kk_of(story).article.withdrawn_reason == "Legal advice."
    page = client.get(reverse("admin:translations_edition_change", args=[kk_of(story).pk]))
    text = page.content.decode()
    assert "Article withdrawn" in text  # on the timeline
    assert url("article_reinstate", kk_of(story)) in text
    client.post(url("article_reinstate", kk_of(story)), {"comment": "Cleared."})
    assert kk_of(story).article.withdrawn_at is None
