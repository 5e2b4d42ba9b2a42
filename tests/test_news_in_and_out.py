"""A story through the desk from system to system: the newsroom's CMS delivers it through
the ingest API with a key, the desk translates and approves it, a subscriber hears
``edition.published`` with a valid signature, and readers' apps read it through the
public API with an ETag."""

import json

import pytest
from django.test import Client

from reviews import services
from tests.api.helpers import article_body, key_issue, put
from tests.factories import assign, editor, translator
from tests.reviews.helpers import rows_for
from tests.webhooks.receiver import documented_signature
from tests.worker import tasks_run_due
from translations.models import Article, Edition, EditionState, Priority
from webhooks.models import EventType, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    from tests.webhooks.receiver import receiver_start

    receiver = receiver_start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_ingested_translated_approved_announced_and_read(
    client, receiver, django_capture_on_commit_callbacks
):
    subscription = Subscription.objects.create(
        url=receiver.url, events=[EventType.EDITION_PUBLISHED, EventType.VERSION_SUBMITTED]
    )
    _key, token = key_issue(name="cms")
    body = article_body(publish=True, targets=[{"language": "kk", "priority": "urgent"}])

    # The CMS delivers the story: the source goes live, the Kazakh edition is opened.
    with django_capture_on_commit_callbacks(execute=True):
        response = put(Client(), "cms-2026-12-07-budget", body, token)
    assert response.status_code == 201, response.content
    article = Article.objects.get(external_id="cms-2026-12-07-budget")
    kazakh = Edition.objects.get(article=article, language="kk")
    assert kazakh.priority == Priority.URGENT
    assert kazakh.state == EditionState.NOT_STARTED

    # The desk sees it in its queue and translates it; an editor approves.
    person = translator("kk-translator", pairs=[("en", "kk")], is_staff=True)
    erin = editor("kk-editor", is_staff=True)
    assign(kazakh, person)
    client.force_login(person)
    assert body["title"] in client.get("/admin/translations/edition/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.units_save(edition=kazakh, user=person, rows=rows_for(kazakh))
        version = services.version_submit(edition=Edition.objects.get(pk=kazakh.pk), user=person)
        services.version_approve(version=version, user=erin)
    tasks_run_due()

    # The subscriber heard each event once, signed with its secret.
    received = [(r.headers["X-Tilmash-Event"], json.loads(r.body), r) for r in receiver.requests]
    published = [(body, r) for event, body, r in received if event == "edition.published"]
    assert sorted(body["edition"]["language"] for body, _ in published) == ["en", "kk"]
    assert [event for event, _, _ in received].count("version.submitted") == 1
    for _event, _body, request in received:
        assert request.headers["X-Tilmash-Signature"] == documented_signature(
            subscription.secret, request.headers, request.body
        )
    [(kazakh_event, _)] = [(b, r) for b, r in published if b["edition"]["language"] == "kk"]
    assert kazakh_event["article"]["external_id"] == "cms-2026-12-07-budget"
    assert kazakh_event["edition"]["url"].endswith(f"/kk/articles/{article.slug}/")

    # Readers' apps read the approved Kazakh text, and revalidate with the ETag.
    reader = Client()
    url = f"/api/v1/editions/kk/{article.slug}"
    response = reader.get(url)
    assert response.status_code == 200
    assert response.json()["paragraphs"][0]["text"] == "[kk] " + body["paragraphs"][0]
    assert reader.get(url, HTTP_IF_NONE_MATCH=response.headers["ETag"]).status_code == 304
