"""A correction's and an update's versions going live are their own events."""

import json

import pytest

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
