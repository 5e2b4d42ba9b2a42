"""Public reads, no key: what a reader may see now, as JSON.

The same rule as the public pages (``translations.selectors.published_filter``:
drafts, embargoed and withdrawn editions never appear), read by the same
selectors in the same constant number of queries: a page of the list is two
queries, an edition three (one when its ETag still holds). A withdrawn
article answers 410 where it had been public and 404 elsewhere, as its pages do.
"""

import base64
import binascii
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from ninja import Query, Router

from translations import selectors
from translations.credits import credit_lines
from translations.disclosure import disclosure_lines
from translations.languages import language_codes
from translations.lifecycle.notes import public_notes
from translations.models import Edition

from . import schemas
from .errors import ApiError

router = Router(tags=["public"])

# Part of every edition's ETag: bump it when the body's shape changes.
FORMAT_VERSION = 1


def _json(data, status=200):
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )


def _public(response):
    # As the pages: shared caches may keep a copy but must ask again first.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def _language(language):
    if language not in language_codes():
        raise Http404
    return language


def _urls(request, language, slug):
    api_url = reverse("api-v1:edition_detail", kwargs={"language": language, "slug": slug})
    with translation.override(language):
        page_url = reverse("public:article_detail", kwargs={"slug": slug})
    return request.build_absolute_uri(api_url), request.build_absolute_uri(page_url)


def cursor_encode(after):
    dateline, article_id = after
    raw = f"{dateline.isoformat()}|{article_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor):
    """``(dateline, article id)`` from a cursor this API gave out; 422 for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, article_id = raw.split("|")
        dateline = parse_datetime(stamp)
        if dateline is None or dateline.tzinfo is None:
            raise ValueError(stamp)
        return dateline, int(article_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(
            422, [(["query", "cursor"], _("This cursor was not given by this API."), "cursor")]
        ) from None


@router.get(
    "/editions/{language}",
    response={200: schemas.EditionPage, 304: None, 404: schemas.Problems, 422: schemas.Problems},
    url_name="edition_list",
    summary="Live editions in a language, newest first",
)
def edition_list(
    request,
    language: str,
    cursor: str | None = None,
    limit: int = Query(20, ge=1, le=settings.TILMASH_API_PAGE_MAX),  # noqa: B008
):
    """Published editions in ``language``, newest dateline first, with cursor paging:
    follow ``next_cursor`` until it is null. A cursor stays valid as articles are
    published; the list never repeats or skips an edition for it."""
    language = _language(language)
    after = cursor_decode(cursor) if cursor else None
    editions, next_after = selectors.editions_published_after(
        language=language, size=limit, after=after
    )
    items = []
    for edition in editions:
        url, page_url = _urls(request, language, edition.article.slug)
        items.append(
            {
                "slug": edition.article.slug,
                "language": language,
                "title": edition.live_version.title,
                "lead": edition.lead or "",
                "dateline": edition.article.dateline,
                "published_at": edition.live_version.approved_at,
                "url": url,
                "page_url": page_url,
            }
        )
    body = schemas.EditionPage(
        items=items, next_cursor=cursor_encode(next_after) if next_after else None
    ).model_dump(mode="json")
    content = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:40])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = _json(body)
    response.headers["ETag"] = etag
    return _public(response)


@router.get(
    "/editions/{language}/{slug}",
    response={200: schemas.EditionDetail, 304: None, 404: schemas.Problems,
              410: schemas.Problems},
    url_name="edition_detail",
    summary="One live edition",
)  # fmt: skip
def edition_detail(request, language: str, slug: str):
    """The live version of ``slug`` in ``language``: paragraphs, credits, dates, the
    notes of updates and corrections, and the article's other public languages.
    ``ETag`` and ``If-None-Match`` as the page: a 304 costs one query."""
    language = _language(language)
    live = selectors.article_live_get(slug=slug)
    if live is not None and live.withdrawn_at and language in live.withdrawn_languages:
        raise ApiError(410, [(["path", "slug"], _("This article was withdrawn."), "withdrawn")])
    current = live.edition(language) if live else None
    if current is None:
        raise Http404
    etag = quote_etag(_fingerprint(request, live, language))
    last_modified = int(live.last_public_change_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        try:
            edition = selectors.edition_published_get(slug=slug, language=language)
        except Edition.DoesNotExist:
            raise Http404 from None
        response = _json(_detail(request, edition, live, language))
        if edition.live_version_id != current.version_id:
            # Approved between the two reads: newer than the validators.
            return _public(response)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    return _public(response)


def _fingerprint(request, live, language):
    material = [
        FORMAT_VERSION,
        request.scheme,
        request.get_host(),
        language,
        live.slug,
        live.dateline.isoformat(),
        [[edition.language, edition.version_id] for edition in live.editions],
        settings.TILMASH_MACHINE_CREDIT,
    ]
    encoded = json.dumps(material, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:40]


def _note(note):
    return {"note": note.note, "at": note.at} if note else None


def _detail(request, edition, live, language):
    version = edition.live_version
    article = edition.article
    credits = selectors.credits_list(version=version)
    notes = public_notes(edition)
    url, page_url = _urls(request, language, article.slug)
    languages = []
    for code in live.languages:
        other_url, other_page = _urls(request, code, article.slug)
        languages.append({"language": code, "url": other_url, "page_url": other_page})
    body = schemas.EditionDetail(
        slug=article.slug,
        language=language,
        source_language=article.source_language,
        version=version.number,
        title=version.title,
        dateline=article.dateline,
        published_at=version.approved_at,
        paragraphs=[
            {"key": unit["key"], "text": unit["text"]}
            for unit in version.paragraphs
            if unit.get("text")
        ],
        credits={
            "lines": credit_lines(credits, language)
            + disclosure_lines(version=version, language=language, credits=credits),
            "people": [
                {"role": c.role, "name": c.contributor.name_in(language), "order": c.order}
                for c in credits
            ],
        },
        notes={
            "updated": _note(notes.updated),
            "corrections": [_note(note) for note in notes.corrections],
            "follows": notes.follows or "",
        },
        languages=languages,
        url=url,
        page_url=page_url,
    )
    return body.model_dump(mode="json")
