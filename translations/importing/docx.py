"""A Word document (.docx) as the plain-text format, read with python-docx.

Each non-empty paragraph of the document's body becomes one block of the
plain-text format, so the first is the title, the second the dateline, then
the paragraphs and the credit lines, exactly as in a text file; the importer's
own rules (and line numbers, counted in the text shown beside an error) apply.

A .docx is a zip of XML parts. Before python-docx sees one, the zip is
checked: the upload's size, the number of parts, their declared unzipped size
in all (``zipfile`` never inflates a part past what it declares, so this
bounds the work), and that no XML part carries a DOCTYPE (Word never writes
one; entity expansion lives there).
"""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .parsing import ArticleImportError

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_PARTS = 1000
# Unzipped, a document may be this many times the upload's limit.
UNZIPPED_FACTOR = 5
MAIN_PART = "word/document.xml"


def docx_byte_limit():
    return settings.TILMASH_MAX_DOCX_BYTES


def docx_text(data):
    """The plain-text format (UTF-8 bytes) of a .docx; :class:`ArticleImportError` if unreadable."""
    data = bytes(data)
    limit = docx_byte_limit()
    if len(data) > limit:
        raise ArticleImportError(
            _("The document is %(size)d bytes; the limit is %(limit)d bytes.")
            % {"size": len(data), "limit": limit}
        )
    not_docx = ArticleImportError(
        _("This is not a Word document (.docx): save it as .docx, or paste its text.")
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_docx from None
    names = {part.filename for part in parts}
    if MAIN_PART not in names or "[Content_Types].xml" not in names:
        raise not_docx
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > limit * UNZIPPED_FACTOR:
        raise ArticleImportError(
            _("The document unpacks to more than %(limit)d bytes: it is refused.")
            % {"limit": limit * UNZIPPED_FACTOR}
        )
    try:
        for part in parts:
            if part.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in archive.read(part):
                raise ArticleImportError(
                    _("The document holds a DOCTYPE declaration, which Word never writes: "
                      "it is refused.")
                )  # fmt: skip
        blocks = _paragraphs(data)
    except ArticleImportError:
        raise
    except Exception:  # python-docx and lxml raise many kinds on a damaged file
        raise ArticleImportError(
            _("The Word document is damaged and cannot be read: save it again, or paste its text.")
        ) from None
    if not blocks:
        raise ArticleImportError(_("The document has no text."))
    return "\n\n".join(blocks).encode("utf-8")


def _paragraphs(data):
    import docx  # imported here: only this upload needs it

    document = docx.Document(io.BytesIO(data))
    blocks = []
    for paragraph in document.paragraphs:
        # python-docx gives a line break as "\n" and a tab as "\t".
        text = paragraph.text.replace("\t", " ").replace("\r", "")
        lines = [line for line in text.split("\n") if line.strip()]
        if lines:
            blocks.append("\n".join(lines))
    return blocks
