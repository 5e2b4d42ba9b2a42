"""Ingest for the newsroom's systems, with an API key (``Authorization: Bearer …``).

``PUT /articles/{external_id}`` creates or updates an article by the id it has
in the sending system; ``GET`` reads its editions' state. Keys carry scopes
(``ingest``, ``read``) and may be limited to languages (``api.models.ApiKey``).
"""

from django.http import Http404
from ninja import Path, Router, Status

from translations.languages import language_codes

from . import schemas
from .auth import ApiKeyAuth, language_allowed
from .selectors import article_state_get
from .services import article_ingest

router = Router(tags=["ingest"])

REFUSALS = {
    401: schemas.Problems,
    403: schemas.Problems,
    404: schemas.Problems,
    429: schemas.Problems,
}
ExternalId = Path(..., min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:~@+-]+$")


@router.put(
    "/articles/{external_id}",
    auth=ApiKeyAuth("ingest"),
    response={200: schemas.IngestResult, 201: schemas.IngestResult, 413: schemas.Problems,
              422: schemas.Problems, **REFUSALS},
    url_name="article_ingest",
    summary="Create or update an article by its id in the sending system",
)  # fmt: skip
def article_put(request, payload: schemas.ArticleIn, external_id: str = ExternalId):
    """The article's source text: created (201) the first time, updated (200) after,
    by the rules of a re-import (paragraph keys kept, the translations of changed
    paragraphs outdated). ``targets`` opens editions for translation with their
    priority and deadline. The same body again changes nothing. Any problem:
    nothing is written, and every problem found is listed."""
    delivery = article_ingest(api_key=request.auth, external_id=external_id, payload=payload)
    report = delivery.report
    state = article_state_get(external_id=external_id, languages=request.auth.languages)
    body = {
        **state,
        "created": delivery.created,
        "added": report.added,
        "changed": report.changed,
        "removed": report.removed,
        "unchanged": report.unchanged,
    }
    return Status(201 if delivery.created else 200, body)


@router.get(
    "/articles/{external_id}",
    auth=ApiKeyAuth("read"),
    response={200: schemas.ArticleState, **REFUSALS},
    url_name="article_state",
    summary="An article's editions and their state",
)
def article_state(request, external_id: str = ExternalId):
    """Every edition of the article in the key's languages: state, priority, deadline,
    live version and how many of its units are outdated."""
    state = article_state_get(external_id=external_id, languages=request.auth.languages)
    if state is None:
        raise Http404
    return state


@router.get(
    "/articles/{external_id}/editions/{language}",
    auth=ApiKeyAuth("read"),
    response={200: schemas.EditionState, **REFUSALS},
    url_name="edition_state",
    summary="One edition's state",
)
def edition_state(request, language: str, external_id: str = ExternalId):
    if language not in language_codes():
        raise Http404
    language_allowed(request.auth, language, loc=("path", "language"))
    state = article_state_get(external_id=external_id, languages=[language])
    if state is None or not state["editions"]:
        raise Http404
    return state["editions"][0]
