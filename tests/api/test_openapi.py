"""The OpenAPI schema validates, and the docs page serves it from our own static files."""

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.1")
    paths = schema["paths"]
    assert set(paths) >= {
        "/api/v1/editions/{language}",
        "/api/v1/editions/{language}/{slug}",
        "/api/v1/articles/{external_id}",
        "/api/v1/articles/{external_id}/editions/{language}",
    }
    put = paths["/api/v1/articles/{external_id}"]["put"]
    assert put["security"] == [{"ApiKeyAuth": []}]
    assert "security" not in paths["/api/v1/editions/{language}"]["get"]


def test_the_docs_page_loads_nothing_from_another_site(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert "/api/v1/openapi.json" in page
