"""Every endpoint of the API × every kind of key: the answer each must get.

The permission matrix (``tests/security``) asks with sessions, which the API
never takes; this one asks with API keys. An endpoint of ``/api/v1/`` without
a row here fails ``test_every_api_pattern_has_a_row``.
"""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import article_with_paragraphs, publish
from tests.security.urlconf import project_patterns
from translations.models import Article

from .helpers import article_body, bearer, key_issue

pytestmark = pytest.mark.django_db

KEYS = ("none", "revoked", "read", "ingest", "ru_only")
API_NAMESPACE = "api-v1:"


@pytest.fixture
def keys():
    tokens = {"none": None}
    revoked, tokens["revoked"] = key_issue("revoked")
    revoked.revoked_at = timezone.now()
    revoked.save()
    tokens["read"] = key_issue("reader", scopes=["read"])[1]
    tokens["ingest"] = key_issue("writer", scopes=["ingest"])[1]
    tokens["ru_only"] = key_issue("ru-desk", languages=["ru"])[1]
    article = article_with_paragraphs(slug="budget")
    publish(article, "en")
    Article.objects.filter(pk=article.pk).update(external_id="cms-1")
    return tokens


def expect(line):
    return dict(zip(KEYS, line.split(), strict=True))


# (key, method, url, body, answers for: none revoked read ingest ru_only)
ROWS = [
    ("api-v1:api-root", "GET", lambda: reverse("api-v1:api-root"), None,
     expect("404 404 404 404 404")),
    ("api-v1:openapi-json", "GET", lambda: reverse("api-v1:openapi-json"), None,
     expect("200 200 200 200 200")),
    ("api-v1:edition_list", "GET", lambda: reverse("api-v1:edition_list", args=["en"]), None,
     expect("200 200 200 200 200")),
    ("api-v1:edition_detail", "GET",
     lambda: reverse("api-v1:edition_detail", args=["en", "budget"]), None,
     expect("200 200 200 200 200")),
    ("api-v1:article_ingest", "PUT", lambda: reverse("api-v1:article_ingest", args=["cms-2"]),
     article_body(), expect("401 401 403 201 403")),
    ("api-v1:article_state", "GET", lambda: reverse("api-v1:article_state", args=["cms-1"]),
     None, expect("401 401 200 403 200")),
    ("api-v1:edition_state", "GET",
     lambda: reverse("api-v1:edition_state", args=["cms-1", "en"]), None,
     expect("401 401 200 403 403")),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row[1]} {row[0]}")
def test_every_kind_of_key_gets_the_answer_of_the_matrix(client, keys, row):
    _key, method, url, body, answers = row
    wrong = []
    for kind, expected in answers.items():
        headers = bearer(keys[kind]) if keys[kind] else {}
        if method == "GET":
            response = client.get(url(), **headers)
        else:
            response = client.generic(method, url(), data=json.dumps(body),
                                      content_type="application/json", **headers)  # fmt: skip
        if str(response.status_code) != expected:
            wrong.append(f"{kind}: expected {expected}, got {response.status_code}")
    assert not wrong, wrong


def test_every_api_pattern_has_a_row():
    patterns = {p.key for p in project_patterns() if p.key.startswith(API_NAMESPACE)}
    assert patterns == {row[0] for row in ROWS}
