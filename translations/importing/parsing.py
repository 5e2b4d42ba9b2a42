"""Reading the plain-text format: bytes in, a :class:`ParsedArticle` or a refusal out."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..credits import parse_credit_line
from ..models import Article
from ..services import (
    text_validate,
)

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
DATELINE = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4}),[ \t]*([0-9]{2}):([0-9]{2})")
# Wider than any newsroom archive; keeps the UTC conversion inside datetime's range.
DATELINE_YEARS = (1900, 2100)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"


class ArticleImportError(ValidationError):
    """A refused file: ``problem`` says what is wrong, ``line`` where (1-based) or None."""

    def __init__(self, problem, *, line=None):
        self.problem = str(problem)
        self.line = line
        message = self.problem
        if line is not None:
            message = _("Line %(line)d: %(problem)s") % {"line": line, "problem": self.problem}
        super().__init__(message, code="import")

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    dateline: datetime.datetime
    paragraphs: tuple[str, ...]
    # (role, name) in the order the file names them.
    credits: tuple[tuple[str, str], ...]
    # The line each paragraph starts on, for messages.
    paragraph_lines: tuple[int, ...]


def article_parse(data, *, language):
    """Read one article from the bytes of a file; :class:`ArticleImportError` if unreadable."""
    lines = _decode(bytes(data)).split("\n")
    blocks = _blocks(lines)
    title = _title(blocks)
    dateline = _dateline(blocks, len(lines))
    body = blocks[2:]
    credit_blocks = []
    while body and all(parse_credit_line(line, language) for line in body[-1][1]):
        credit_blocks.insert(0, body.pop())
    if not body:
        line = credit_blocks[0][0] if credit_blocks else blocks[1][0]
        raise ArticleImportError(_("The article has no paragraphs after the dateline."), line=line)
    paragraphs = []
    for index, (first, block) in enumerate(body, start=1):
        label = _("Paragraph %(number)d") % {"number": index}
        for offset, line in enumerate(block):
            _validate(line, line=first + offset, label=label)
        paragraphs.append(_validate("\n".join(block), line=first, label=label))
    credits = tuple(
        (role, name)
        for _first, block in credit_blocks
        for role, names in map(lambda line: parse_credit_line(line, language), block)
        for name in names
    )
    return ParsedArticle(
        title=title,
        dateline=dateline,
        paragraphs=tuple(paragraphs),
        credits=credits,
        paragraph_lines=tuple(first for first, _block in body),
    )


def _decode(data):
    limit = settings.TILMASH_MAX_IMPORT_BYTES
    if len(data) > limit:
        raise ArticleImportError(
            _("The file is %(size)d bytes; the limit is %(limit)d bytes.")
            % {"size": len(data), "limit": limit}
        )
    if data.startswith(UTF16_BOMS):
        raise ArticleImportError(_("The file is UTF-16 text; save it as UTF-8."), line=1)
    data = data.removeprefix(UTF8_BOM)
    nul = data.find(b"\0")
    if nul >= 0:
        raise ArticleImportError(
            _("The file contains a NUL byte: it is binary or UTF-16, not UTF-8 text."),
            line=data.count(b"\n", 0, nul) + 1,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArticleImportError(
            _("The file is not UTF-8 text (byte 0x%(byte)02X); save it as UTF-8.")
            % {"byte": data[error.start]},
            line=data.count(b"\n", 0, error.start) + 1,
        ) from None
    if not text.strip():
        raise ArticleImportError(_("The file is empty."))
    return text.replace("\r\n", "\n")


def _blocks(lines):
    """Runs of non-blank lines as ``(first line number, [lines])``."""
    blocks, current = [], None
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if current is None:
                current = (number, [])
                blocks.append(current)
            current[1].append(line)
        else:
            # Form feeds and the like are whitespace to str.strip(), not to the desk.
            _validate(line, line=number, label=_("A blank line"))
            current = None
    return blocks


def _title(blocks):
    first, block = blocks[0]
    if first != 1:
        raise ArticleImportError(_("The title is missing: the first line is blank."), line=1)
    if DATELINE.fullmatch(block[0].strip()):
        raise ArticleImportError(
            _("The title is missing: the file starts with the dateline."), line=1
        )
    if len(block) > 1:
        raise ArticleImportError(_("The title must be one line, followed by a blank line."), line=2)
    title = _validate(block[0], line=1, label=_("The title"))
    limit = Article._meta.get_field("title").max_length
    if len(title) > limit:
        raise ArticleImportError(
            _("%(label)s is %(length)d characters long; the limit is %(limit)d.")
            % {"label": _("The title"), "length": len(title), "limit": limit},
            line=1,
        )
    return title


def _dateline(blocks, line_count):
    if len(blocks) < 2:
        raise ArticleImportError(
            _("The dateline (DD.MM.YYYY, HH:MM) is missing after the title."),
            line=min(3, line_count),
        )
    number, block = blocks[1]
    found = block[0].strip()
    match = DATELINE.fullmatch(found)
    if not match:
        raise ArticleImportError(
            _("Unreadable dateline “%(found)s”: expected DD.MM.YYYY, HH:MM.")
            % {"found": excerpt(found)},
            line=number,
        )
    day, month, year, hour, minute = map(int, match.groups())
    if not DATELINE_YEARS[0] <= year <= DATELINE_YEARS[1]:
        raise ArticleImportError(
            _("The dateline year %(year)d is outside %(first)d–%(last)d.")
            % {"year": year, "first": DATELINE_YEARS[0], "last": DATELINE_YEARS[1]},
            line=number,
        )
    try:
        local = datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)
    except ValueError:
        raise ArticleImportError(
            _("The dateline “%(found)s” is not a real date and time.") % {"found": found},
            line=number,
        ) from None
    if len(block) > 1:
        raise ArticleImportError(
            _("The dateline must be followed by a blank line."), line=number + 1
        )
    return local


def _validate(text, *, line, label):
    try:
        return text_validate(text, label=label)
    except ValidationError as error:
        raise ArticleImportError(error.messages[0], line=line) from None


def excerpt(text, limit=40):
    """``text`` short and printable enough to quote in a one-line message."""
    text = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
