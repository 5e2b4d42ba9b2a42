"""Importing articles from the desk's plain-text format.

The format (the seed article in ``../shared/seeds/`` is one)::

    Title, on one line

    07.01.2022, 15:23

    A paragraph. It may run over several
    lines; its line breaks are kept.

    Another paragraph.

    Translation by Saniya Sakenova and Assem Zhanmukhanova
    Editing by Galiya Khassenkhanova

Sections are separated by one or more blank lines (a line of nothing but
whitespace is blank). The dateline is local time in Asia/Almaty. The trailing
blocks whose every line is a credit line (in the import language or English,
read by :func:`translations.credits.parse_credit_line`) are the credits; every
other block is a paragraph.

Text is kept exactly as written: a paragraph is its lines joined with "\\n",
leading and trailing spaces included (the seed has a paragraph ending in a
no-break space), and so is the title line. Only the encoding's wrapping goes:
a UTF-8 byte-order mark, and CR of CRLF line ends. A lone CR is a control
character like any other and is refused.

Identity on import without ``article_slug``: a file is the same article as an
existing one when its title gives the same slug (or a numbered variant of it),
its dateline is the same and so is its source language. Two stories that share
a headline ("Exchange rates") on different days are two articles, never one
overwriting the other; a corrected dateline is imported with ``article_slug``.
"""

from .aligning import ADDED, CHANGED, MOVED, REMOVED, UNCHANGED, paragraphs_align
from .docx import docx_byte_limit, docx_text
from .parsing import ALMATY, ArticleImportError, ParsedArticle, article_parse
from .preview import ImportPlan, ParagraphChange, article_import_plan
from .service import ImportReport, article_import, article_import_parsed

__all__ = [
    "ADDED",
    "ALMATY",
    "CHANGED",
    "MOVED",
    "REMOVED",
    "UNCHANGED",
    "ArticleImportError",
    "ImportPlan",
    "ImportReport",
    "ParagraphChange",
    "ParsedArticle",
    "article_import",
    "article_import_parsed",
    "article_import_plan",
    "article_parse",
    "docx_byte_limit",
    "docx_text",
    "paragraphs_align",
]
