"""Keys and deliveries for the API's tests."""

from api.keys import api_key_issue
from api.models import ApiKey


def key_issue(name="cms", scopes=("ingest", "read"), languages=()):
    """A saved key and its token: ``(api_key, token)``."""
    issued = api_key_issue(
        api_key=ApiKey(name=name, scopes=list(scopes), languages=list(languages))
    )
    return issued.api_key, issued.token


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def article_body(**overrides):
    body = {
        "language": "en",
        "title": "Parliament passes the budget",
        "dateline": "2026-12-07T10:00:00+05:00",
        "paragraphs": [
            "The lower house passed the budget on Monday.",
            "The vote was 80 to 12.",
            "The senate votes next week.",
        ],
        "credits": [{"role": "author", "name": "Aigerim Nurlanova"}],
    }
    body.update(overrides)
    return body


def put(client, external_id, body, token, **extra):
    return client.put(
        f"/api/v1/articles/{external_id}",
        data=body,
        content_type="application/json",
        **bearer(token),
        **extra,
    )
