"""The API's request and response bodies (pydantic, through django-ninja's ``Schema``).

Request bodies forbid fields they do not name, so a misspelt field is an
error rather than silently ignored.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, StringConstraints

Priority = Literal["normal", "urgent", "breaking"]
Role = Literal["author", "translator", "editor"]
State = Literal["not_started", "in_progress", "in_review", "changes_requested", "approved"]
# Lengths pydantic checks before anything else runs: the desk's own limits
# (TILMASH_MAX_PARAGRAPH_CHARS, the title's column) are checked after, with
# its own messages.
LanguageCode = Annotated[str, StringConstraints(min_length=2, max_length=10)]
ExternalId = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:~/@+-]+$")
]


class Problem(Schema):
    loc: list[str | int]
    msg: str
    code: str


class Problems(Schema):
    """What was wrong with a request; nothing was written."""

    errors: list[Problem]


# --- Public reads --------------------------------------------------------------------


class LanguageLink(Schema):
    language: str
    url: str = Field(description="This API's address of the edition in that language.")
    page_url: str = Field(description="The public page.")


class EditionSummary(Schema):
    slug: str
    language: str
    title: str
    lead: str = Field(description="The start of the first paragraph.")
    dateline: datetime
    published_at: datetime = Field(description="When its live version was approved.")
    url: str
    page_url: str


class EditionPage(Schema):
    items: list[EditionSummary]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next (older) page; null on the last page."
    )


class Paragraph(Schema):
    key: str = Field(description="Stable across versions, re-imports and reordering.")
    text: str


class Person(Schema):
    role: Role
    name: str = Field(description="As spelled in the edition's language.")
    order: int


class Credits(Schema):
    lines: list[str] = Field(description="The credit lines the page prints, in its language.")
    people: list[Person]


class Note(Schema):
    note: str
    at: datetime


class Notes(Schema):
    updated: Note | None = Field(description="The latest update's advisory line.")
    corrections: list[Note] = Field(description="Every correction, newest first.")
    follows: Literal["", "update", "correction"] = Field(
        description="A change of the source this translation has still to follow."
    )


class EditionDetail(Schema):
    slug: str
    language: str
    source_language: str
    version: int
    title: str
    dateline: datetime
    published_at: datetime
    paragraphs: list[Paragraph]
    credits: Credits
    notes: Notes
    languages: list[LanguageLink] = Field(description="Every public language of the article.")
    url: str
    page_url: str


# --- Ingest -------------------------------------------------------------------------


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class CreditIn(Strict):
    role: Role
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TargetIn(Strict):
    language: LanguageCode
    priority: Priority = "normal"
    deadline: AwareDatetime | None = None


class ArticleIn(Strict):
    language: LanguageCode = Field(description="The source language.")
    title: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    dateline: AwareDatetime
    paragraphs: list[str] = Field(min_length=1)
    credits: list[CreditIn] = Field(default=[], max_length=50)
    publish: bool = Field(
        default=False,
        description="Make the text an approved, live version at once (approved in the CMS).",
    )
    targets: list[TargetIn] = Field(
        default=[], max_length=20, description="Editions to open for translation."
    )


class EditionState(Schema):
    language: str
    state: State
    priority: Priority
    deadline: datetime | None
    live_version: int | None
    outdated: int = Field(description="Units (title, paragraphs) whose source changed since.")


class ArticleState(Schema):
    external_id: str
    slug: str
    source_language: str
    editions: list[EditionState]


class IngestResult(ArticleState):
    created: bool
    added: int
    changed: int
    removed: int
    unchanged: int
