"""Getting a source's documents: one URL, or the files of a folder, always bounded.

A URL is read with a connect and a read timeout, a deadline for the whole body
and a size cap (``TILMASH_AGENCY_TIMEOUT``, ``TILMASH_AGENCY_MAX_BYTES``); a
folder must lie under ``TILMASH_AGENCY_FOLDER_ROOT`` (no folder source works
without it), and only its first ``MAX_FILES`` regular files, by name, are read.
"""

import time
from pathlib import Path

import requests
from django.conf import settings
from django.utils.translation import gettext as _

MAX_FILES = 500
CHUNK = 64 * 1024
SUFFIXES = {"rss": {".xml", ".rss", ".atom"}, "ninjs": {".json"}, "newsml": {".xml"}}


class FetchError(Exception):
    """The source could not be read (the message says why)."""


class NotModified(Exception):
    """The URL answered 304: nothing changed since the validators sent."""


def documents_fetch(source):
    """``([(name, bytes)], validators)`` of ``source``: its URL's body and the
    ETag and Last-Modified to send next time, or its folder's files (and no
    validators). Raises :class:`NotModified` when the URL answers 304."""
    if source.url:
        body, validators = url_read(
            source.url, etag=source.etag, last_modified=source.last_modified
        )
        return [(source.url, body)], validators
    return folder_read(source.folder, SUFFIXES[source.format]), None


def url_read(url, *, etag="", last_modified=""):
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(_("Only http and https URLs are fetched."))
    limit = settings.TILMASH_AGENCY_MAX_BYTES
    timeout = settings.TILMASH_AGENCY_TIMEOUT
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": "Tilmash agency feeds", "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with requests.get(
            url, stream=True, timeout=(min(5, timeout), timeout), headers=headers
        ) as response:
            if response.status_code == 304:
                raise NotModified
            if response.status_code != 200:
                raise FetchError(
                    _("The server answered HTTP %(status)d.") % {"status": response.status_code}
                )
            body = bytearray()
            for chunk in response.iter_content(CHUNK):
                body += chunk
                if len(body) > limit:
                    raise FetchError(
                        _("The document is larger than %(limit)d bytes: not read.")
                        % {"limit": limit}
                    )
                if time.monotonic() > deadline:
                    raise FetchError(
                        _("The server took longer than %(seconds)d s to send the document.")
                        % {"seconds": timeout}
                    )
            validators = {
                "etag": response.headers.get("ETag", "")[:200],
                "last_modified": response.headers.get("Last-Modified", "")[:100],
            }
            return bytes(body), validators
    except requests.Timeout:
        raise FetchError(
            _("The server did not answer within %(seconds)d s.") % {"seconds": timeout}
        ) from None
    except requests.RequestException as error:
        raise FetchError(
            _("The server could not be reached: %(error)s") % {"error": type(error).__name__}
        ) from None


def folder_path(folder):
    """``folder`` resolved, when it lies under the configured root; else FetchError."""
    root = settings.TILMASH_AGENCY_FOLDER_ROOT
    if not root:
        raise FetchError(_("Folder sources need TILMASH_AGENCY_FOLDER_ROOT to be set."))
    root = Path(root).resolve()
    path = (root / folder).resolve()
    if path != root and root not in path.parents:
        raise FetchError(_("The folder is outside TILMASH_AGENCY_FOLDER_ROOT."))
    if not path.is_dir():
        raise FetchError(_("The folder does not exist."))
    return path


def folder_read(folder, suffixes):
    path = folder_path(folder)
    limit = settings.TILMASH_AGENCY_MAX_BYTES
    names = sorted(
        entry.name
        for entry in path.iterdir()
        if entry.suffix.lower() in suffixes and not entry.name.startswith(".")
    )[:MAX_FILES]
    documents = []
    for name in names:
        entry = (path / name).resolve()
        # A link may point anywhere: read only what lies under the folder.
        if entry.parent != path or not entry.is_file():
            continue
        with open(entry, "rb") as handle:
            data = handle.read(limit + 1)
        documents.append((name, data if len(data) <= limit else None))
    return documents
