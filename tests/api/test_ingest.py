"""Ingest with API keys: create or update by external_id, open editions, read state;
refusals write nothing."""

import json

import pytest
from django.test import override_settings
from django.utils import timezone

from api.models import ApiKey
from tests.factories import editor, publish, translate
from translations.models import Article, AuditEntry, Edition, Paragraph

from .helpers import article_body, bearer, key_issue, put

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    return key_issue()[1]


def _counts():
    return (Article.objects.count(), Paragraph.objects.count(), Edition.objects.count(),
            AuditEntry.objects.count())  # fmt: skip


def test_a_new_article_is_created_and_the_desk_sees_it(client, token):
    body = article_body(targets=[{"language": "kk", "priority": "urgent",
                                  "deadline": "2026-12-08T12:00:00+05:00"}])  # fmt: skip
    response = put(client, "cms-1", body, token)
    assert response.status_code == 201, response.content
    result = response.json()
    assert result["created"] is True and result["added"] == 3
    article = Article.objects.get(external_id="cms-1")
    assert article.title_in_source() == "Parliament passes the budget"
    kazakh = Edition.objects.get(article=article, language="kk")
    assert kazakh.priority == 1 and kazakh.deadline.isoformat() == "2026-12-08T07:00:00+00:00"
    desk = editor("desk-editor", is_staff=True)
    client.force_login(desk)
    listed = client.get("/admin/translations/edition/")
    assert listed.status_code == 200
    assert "Parliament passes the budget" in listed.content.decode()
    assert AuditEntry.objects.filter(action="api.article.ingest", article=article).exists()
    assert AuditEntry.objects.filter(action="api.edition.open", edition=kazakh).exists()


def test_the_same_delivery_again_changes_nothing(client, token):
    assert put(client, "cms-1", article_body(), token).status_code == 201
    article = Article.objects.get(external_id="cms-1")
    before = list(Paragraph.objects.filter(article=article).values_list("key", "text_en"))
    again = put(client, "cms-1", article_body(), token)
    assert again.status_code == 200
    assert again.json()["unchanged"] == 3 and again.json()["changed"] == 0
    assert Article.objects.count() == 1
    assert list(Paragraph.objects.filter(article=article).values_list("key", "text_en")) == before


def test_an_update_keeps_keys_and_outdates_the_changed_paragraphs_translations(client, token):
    put(client, "cms-1", article_body(publish=True), token)
    article = Article.objects.get(external_id="cms-1")
    translate(article, "kk")
    publish(article, "kk")
    keys = list(article.paragraphs.order_by("position").values_list("key", flat=True))
    paragraphs = article_body()["paragraphs"]
    paragraphs[1] = "The vote was 81 to 11."
    response = put(client, "cms-1", article_body(paragraphs=paragraphs), token)
    assert response.status_code == 200
    assert response.json()["changed"] == 1
    article.refresh_from_db()
    rows = list(article.paragraphs.order_by("position"))
    assert [p.key for p in rows] == keys
    assert [p.is_outdated("kk", "en") for p in rows] == [False, True, False]
    kazakh = next(e for e in response.json()["editions"] if e["language"] == "kk")
    assert kazakh["outdated"] == 1


def test_the_state_of_an_article_and_an_edition_is_read_with_a_read_key(client, token):
    put(client, "cms-1", article_body(targets=[{"language": "ru"}]), token)
    _key, reader = key_issue("reader", scopes=["read"])
    state = client.get("/api/v1/articles/cms-1", **bearer(reader)).json()
    assert {e["language"]: e["state"] for e in state["editions"]} == {
        "en": "in_progress", "ru": "not_started"}  # fmt: skip
    one = client.get("/api/v1/articles/cms-1/editions/ru", **bearer(reader))
    assert one.json()["state"] == "not_started" and one.json()["priority"] == "normal"
    assert client.get("/api/v1/articles/nope", **bearer(reader)).status_code == 404


HOSTILE = [
    ("wrong type", {"paragraphs": "one string"}, ["body", "paragraphs"]),
    ("number for text", {"title": 12}, ["body", "title"]),
    ("unknown field", {"colour": "red"}, ["body", "colour"]),
    ("naive dateline", {"dateline": "2026-12-07T10:00:00"}, ["body", "dateline"]),
    ("unknown language", {"language": "de"}, ["body", "language"]),
    ("unknown target", {"targets": [{"language": "xx"}]}, ["body", "targets", 0, "language"]),
    ("source as target", {"targets": [{"language": "en"}]}, ["body", "targets", 0, "language"]),
    ("bad priority", {"targets": [{"language": "kk", "priority": "now"}]},
     ["body", "targets", 0, "priority"]),
    ("control character", {"paragraphs": ["Fine.", "Bad \x07 bell."]},
     ["body", "paragraphs", 1]),
    ("empty paragraph", {"paragraphs": ["Fine.", "   "]}, ["body", "paragraphs", 1]),
    ("no paragraphs", {"paragraphs": []}, ["body", "paragraphs"]),
    ("huge paragraph", {"paragraphs": ["x" * 10_001]}, ["body", "paragraphs", 0]),
    ("two-line title", {"title": "One\nTwo"}, ["body", "title"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "loc"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_a_hostile_body_is_refused_with_its_problems_and_nothing_written(
    client, token, case, change, loc
):
    before = _counts()
    response = put(client, "cms-1", article_body(**change), token)
    assert response.status_code == 422, response.content
    problems = response.json()["errors"]
    assert loc in [problem["loc"] for problem in problems], problems
    assert all(problem["msg"] and problem["code"] for problem in problems)
    assert _counts() == before


def test_every_problem_is_listed_at_once(client, token):
    body = article_body(language="de", paragraphs=["ok", "\x00"], targets=[{"language": "xx"}])
    problems = put(client, "cms-1", body, token).json()["errors"]
    assert len(problems) >= 2


def test_malformed_json_is_a_400_with_the_same_shape(client, token):
    response = client.put("/api/v1/articles/cms-1", data=b"{not json",
                          content_type="application/json", **bearer(token))  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


@override_settings(TILMASH_API_MAX_BODY_BYTES=2000)
def test_a_body_past_the_limit_is_refused_unread(client, token):
    before = _counts()
    body = article_body(paragraphs=["word " * 100] * 10)
    assert len(json.dumps(body)) > 2000
    response = put(client, "cms-1", body, token)
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"
    assert _counts() == before


@override_settings(TILMASH_API_MAX_PARAGRAPHS=3)
def test_too_many_paragraphs_are_refused(client, token):
    response = put(client, "cms-1", article_body(paragraphs=["A."] * 4), token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_many"


def test_an_edited_unpublished_source_is_not_overwritten(client, token):
    put(client, "cms-1", article_body(), token)
    article = Article.objects.get(external_id="cms-1")
    translate(article, "en", texts=["Desk 1.", "Desk 2.", "Desk 3."], user=editor("desk"))
    before = _counts()
    response = put(client, "cms-1", article_body(paragraphs=["A.", "B.", "C."]), token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "import"
    assert _counts() == before


def test_the_source_language_of_an_article_cannot_change(client, token):
    put(client, "cms-1", article_body(), token)
    response = put(client, "cms-1", article_body(language="ru"), token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "language_mismatch"


def test_no_key_or_a_revoked_key_is_401_and_writes_nothing(client, token):
    before = _counts()
    response = client.put("/api/v1/articles/cms-1", data=article_body(),
                          content_type="application/json")  # fmt: skip
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    ApiKey.objects.update(revoked_at=timezone.now())
    assert put(client, "cms-1", article_body(), token).status_code == 401
    assert put(client, "cms-1", article_body(), token[:-1] + "A").status_code == 401
    assert _counts() == before


def test_a_session_is_no_key(client):
    """Ingest never takes a logged-in session: no cookie auth, so no CSRF to forge."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.put("/api/v1/articles/cms-1", data=article_body(),
                          content_type="application/json")  # fmt: skip
    assert response.status_code == 401


def test_a_key_without_the_scope_is_403(client):
    _key, reader = key_issue("reader", scopes=["read"])
    _key, writer = key_issue("writer", scopes=["ingest"])
    before = _counts()
    assert put(client, "cms-1", article_body(), reader).status_code == 403
    assert _counts() == before
    put(client, "cms-1", article_body(), writer)
    assert client.get("/api/v1/articles/cms-1", **bearer(writer)).status_code == 403


def test_a_key_limited_to_languages_is_refused_others(client):
    _key, russian = key_issue("ru-desk", languages=["ru"])
    before = _counts()
    response = put(client, "cms-1", article_body(), russian)
    assert response.status_code == 403
    assert _counts() == before
    targets = [{"language": "en"}]
    assert (
        put(client, "cms-1", article_body(language="ru", targets=targets), russian).status_code
        == 403
    )
    assert _counts() == before
    ok = put(client, "cms-1", article_body(language="ru"), russian)
    assert ok.status_code == 201
    assert [e["language"] for e in ok.json()["editions"]] == ["ru"]
    assert client.get("/api/v1/articles/cms-1/editions/en", **bearer(russian)).status_code == 403


@override_settings(TILMASH_API_RATE=3, TILMASH_API_RATE_SECONDS=60)
def test_a_key_past_its_rate_gets_429_with_retry_after(client, token):
    for _n in range(3):
        assert client.get("/api/v1/articles/nope", **bearer(token)).status_code == 404
    refused = client.get("/api/v1/articles/nope", **bearer(token))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["errors"][0]["code"] == "rate_limited"
    # Another key has its own count.
    _key, other = key_issue("other")
    assert client.get("/api/v1/articles/nope", **bearer(other)).status_code == 404


def test_last_use_is_recorded(client, token):
    assert ApiKey.objects.get().last_used_at is None
    client.get("/api/v1/articles/nope", **bearer(token))
    assert ApiKey.objects.get().last_used_at is not None


def test_only_the_digest_of_the_secret_is_stored(token):
    key = ApiKey.objects.get()
    secret = token.rsplit("_", 1)[1]
    assert secret not in key.secret_hash and token.startswith(f"tlm_{key.prefix}_")


def test_a_later_delivery_changes_an_open_editions_priority_and_keeps_its_work(client, token):
    put(client, "cms-1", article_body(publish=True, targets=[{"language": "kk"}]), token)
    article = Article.objects.get(external_id="cms-1")
    kazakh = Edition.objects.get(article=article, language="kk")
    started, normal_due = kazakh.clock_started_at, kazakh.due_at
    translate(article, "kk")
    targets = [{"language": "kk", "priority": "breaking", "deadline": "2026-12-08T09:00:00Z"}]
    response = put(client, "cms-1", article_body(publish=True, targets=targets), token)
    assert response.status_code == 200
    kazakh.refresh_from_db()
    assert kazakh.priority == 2 and kazakh.deadline.isoformat() == "2026-12-08T09:00:00+00:00"
    assert kazakh.clock_started_at == started and kazakh.due_at < normal_due
    assert Paragraph.objects.filter(article=article).exclude(text_kk="").count() == 3
    state = {e["language"]: e for e in response.json()["editions"]}
    assert state["kk"]["priority"] == "breaking" and state["en"]["live_version"] == 1
