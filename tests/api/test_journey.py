"""From the CMS to readers: an article delivered through the ingest API is translated and
approved on the desk, then read through the public API with an ETag."""

import pytest

from reviews import services
from tests.factories import assign, editor, translator
from tests.reviews.helpers import rows_for
from translations.models import Article, Edition

from .helpers import article_body, key_issue, put

pytestmark = pytest.mark.django_db


def test_an_ingested_article_is_translated_approved_and_read_through_the_api(client):
    _key, token = key_issue()
    body = article_body(publish=True, targets=[{"language": "kk", "priority": "breaking"}])
    assert put(client, "cms-42", body, token).status_code == 201
    article = Article.objects.get(external_id="cms-42")
    kazakh = Edition.objects.get(article=article, language="kk")
    assert kazakh.due_at is not None  # the source is live: a breaking clock runs

    person = translator("kk-translator", pairs=[("en", "kk")])
    assign(kazakh, person)
    services.units_save(edition=kazakh, user=person, rows=rows_for(kazakh))
    version = services.version_submit(edition=Edition.objects.get(pk=kazakh.pk), user=person)
    services.version_approve(version=version, user=editor("kk-editor"))

    url = f"/api/v1/editions/kk/{article.slug}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["paragraphs"][0]["text"] == "[kk] " + body["paragraphs"][0]
    assert [link["language"] for link in response.json()["languages"]] == ["kk", "en"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response.headers["ETag"]).status_code == 304
    listed = client.get("/api/v1/editions/kk").json()["items"]
    assert [item["slug"] for item in listed] == [article.slug]
