"""The REST API under ``/api/v1/``: public reads of live editions, and ingest for
the newsroom's systems with per-system API keys (``ApiKey``).

Built on django-ninja (``api.urls``): typed pydantic schemas, an OpenAPI 3.1
schema at ``/api/v1/openapi.json`` and its docs page at ``/api/docs``.
"""
