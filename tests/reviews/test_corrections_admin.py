"""The desk's pages for corrections and updates: buttons drawn from the permissions,
each handler one service, refusals as messages with nothing changed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from tests.lifecycle import newsroom
from translations.models import AuditEntry, EditionState, VersionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(django_user_model):
    room = newsroom()
    django_user_model.objects.filter(
        pk__in=[room.author.pk, room.translator.pk, *[e.pk for e in room.editors]]
    ).update(is_staff=True)
    return room


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_page(client, edition):
    with translation.override("en"):
        return client.get(reverse("admin:translations_edition_change", args=[edition.pk]))


def url(name, edition):
    return reverse(f"admin:translations_edition_{name}", args=[edition.pk])


def test_only_an_editor_gets_the_correction_button(client, room):
    client.force_login(room.editors[0])
    html = change_page(client, room.edition("kk")).content.decode()
    assert url("correction", room.edition("kk")) in html
    assert url("update", room.edition("kk")) not in html  # a translation has no update
    client.force_login(room.translator)
    html = change_page(client, room.edition("kk")).content.decode()
    assert url("correction", room.edition("kk")) not in html


def test_the_author_gets_the_update_button_on_the_source(client, room):
    client.force_login(room.author)
    html = change_page(client, room.edition("en")).content.decode()
    assert url("update", room.edition("en")) in html
    assert url("correction", room.edition("en")) not in html


def test_an_editor_opens_a_correction_through_the_page(client, room):
    client.force_login(room.editors[0])
    edition = room.edition("en")
    response = client.post(url("correction", edition), {"note": "It said April."})
    assert response.status_code == 302
    edition = room.edition("en")
    assert (edition.state, edition.working_kind, edition.working_note) == (
        EditionState.IN_PROGRESS,
        VersionKind.CORRECTION,
        "It said April.",
    )
    assert url("note", edition) in change_page(client, edition).content.decode()


def test_a_correction_without_a_note_is_refused_with_a_message(client, room):
    client.force_login(room.editors[0])
    with translation.override("en"):
        response = client.post(url("correction", room.edition("en")), {"note": "  "})
    assert response.status_code == 200
    assert messages_of(response) == ["Write the public note: it is required."]
    assert room.edition("en").state == EditionState.APPROVED
    assert not AuditEntry.objects.filter(action="reviews.correction.open").exists()


def test_a_forged_correction_post_by_a_translator_changes_nothing(client, room):
    client.force_login(room.translator)
    response = client.post(url("correction", room.edition("kk")), {"note": "Forged."})
    assert response.status_code == 200 and messages_of(response)
    edition = room.edition("kk")
    assert (edition.state, edition.working_kind) == (EditionState.APPROVED, "")


def test_the_translator_sees_the_originals_note_and_writes_theirs(client, room):
    client.force_login(room.editors[0])
    client.post(url("correction", room.edition("en")), {"note": "It said April."})
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    room.approve(room.submit("en", room.editors[0]))
    client.force_login(room.translator)
    page = client.get(url("note", room.edition("kk"))).content.decode()
    assert "It said April." in page
    response = client.post(url("note", room.edition("kk")), {"note": "Сәуір деп жазылған."})
    assert response.status_code == 302
    assert room.edition("kk").working_note == "Сәуір деп жазылған."


def test_the_reviewer_sees_the_public_note_of_the_version(client, room):
    client.force_login(room.editors[0])
    client.post(url("correction", room.edition("en")), {"note": "It said April."})
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    version = room.submit("en", room.editors[0])
    client.force_login(room.editors[1])
    with translation.override("en"):
        page = client.get(reverse("admin:reviews_version_review", args=[version.pk]))
    html = page.content.decode()
    assert "review-public-note" in html and "It said April." in html


def test_the_editor_page_names_the_correction_and_links_its_note(client, room):
    client.force_login(room.editors[0])
    client.post(url("correction", room.edition("en")), {"note": "It said April."})
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    room.approve(room.submit("en", room.editors[0]))
    client.force_login(room.translator)
    with translation.override("en"):
        html = client.get(url("editor", room.edition("kk"))).content.decode()
    assert "editor-public-note" in html and "public note not written yet" in html
    assert url("note", room.edition("kk")) in html
