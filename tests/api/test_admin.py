"""API keys in the admin: made with their scopes and languages, shown once, revoked."""

import re

import pytest
from django.urls import reverse

from api.models import ApiKey
from tests.factories import UserFactory
from translations.models import AuditEntry

from .helpers import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_new_key_is_shown_once_and_works(admin_client):
    response = admin_client.post(
        reverse("admin:api_apikey_add"),
        {"name": "Newsroom CMS", "scopes": ["ingest", "read"], "languages": ["kk", "en"]},
    )
    assert response.status_code == 200
    token = re.search(r"tlm_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", response.content.decode()).group()
    key = ApiKey.objects.get()
    assert key.scopes == ["ingest", "read"] and key.languages == ["kk", "en"]
    assert key.created_by.username == "root"
    assert "no-store" in response.headers["Cache-Control"]
    change = admin_client.get(reverse("admin:api_apikey_change", args=[key.pk]))
    listing = admin_client.get(reverse("admin:api_apikey_changelist"))
    for page in (change, listing):
        assert key.prefix in page.content.decode()
        assert token not in page.content.decode()
    assert admin_client.get("/api/v1/articles/none", **bearer(token)).status_code == 404
    assert AuditEntry.objects.filter(action="api.key.create").count() == 1


def test_a_key_needs_a_scope(admin_client):
    response = admin_client.post(reverse("admin:api_apikey_add"), {"name": "CMS"})
    assert response.status_code == 200
    assert not ApiKey.objects.exists()


def test_revoking_a_key_refuses_it_from_then_on(admin_client):
    admin_client.post(reverse("admin:api_apikey_add"), {"name": "CMS", "scopes": ["read"]})
    key = ApiKey.objects.get()
    response = admin_client.post(
        reverse("admin:api_apikey_changelist"),
        {"action": "revoke_selected", "_selected_action": [key.pk], "index": "0"},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEntry.objects.filter(action="api.key.revoke").count() == 1
