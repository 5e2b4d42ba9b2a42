"""A correction's and an update's versions going live are their own events."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from reviews import services
from tests.lifecycle import newsroom
from webhooks.models import EventType

pytestmark = pytest.mark.django_db


def test_an_approved_correction_sends_edition_corrected_and_an_update_edition_updated(
    receiver, subscribe, django_capture_on_commit_callbacks
):
    room = newsroom()
    subscribe(EventType.EDITION_CORRECTED, EventType.EDITION_UPDATED)
    services.correction_open(
        edition=room.edition("en"), user=room.editors[0], note="It opens in June, not April."
    )
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    with django_capture_on_commit_callbacks(execute=True):
        room.approve(room.submit("en", room.editors[0]), who=1)
    services.update_open(edition=room.edition("en"), user=room.author, note="Adds p3.")
    room.save("en", room.author, {"p3": "Traffic will change in June."})
    with django_capture_on_commit_callbacks(execute=True):
        room.approve(room.submit("en", room.author))

    payloads = [json.loads(request.body) for request in receiver.requests]
    assert [(p["type"], p["edition"]["language"], p["version"]["kind"]) for p in payloads] == [
        ("edition.corrected", "en", "correction"),
        ("edition.updated", "en", "update"),
    ]


def test_an_embargo_on_a_live_edition_is_announced_with_its_end(
    receiver, subscribe, django_capture_on_commit_callbacks
):
    room = newsroom()
    subscribe(EventType.EDITION_PUBLISHED)
    until = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.embargo_set(edition=room.edition("kk"), user=room.editors[0], until=until)
    with django_capture_on_commit_callbacks(execute=True):
        services.embargo_lift(edition=room.edition("kk"), user=room.editors[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.embargo_set(
            edition=room.edition("kk"), user=room.editors[0], until=until, whole_article=True
        )
    payloads = [json.loads(request.body) for request in receiver.requests]
    assert [(p["edition"]["language"], p["edition"]["embargo_until"]) for p in payloads] == [
        ("kk", until.isoformat()),
        ("kk", None),
        *[(language, until.isoformat()) for language in ("en", "kk", "ru")],
    ]
    assert {p["type"] for p in payloads} == {"edition.published"}
