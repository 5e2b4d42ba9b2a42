"""The translator's editor as it is posted, read and checked before anything is saved.

Each row posts one text area, ``text-<key>``, and the page posts one hidden
field, ``manifest``, listing every row as ``key:revision:source_revision:hash``
(rows separated by ``|``): the revision the row was loaded at, the source
revision it was shown, and a hash of the text it was loaded with. The server
saves only rows whose text no longer matches that hash, so the page works
without JavaScript; with it, ``editor.js`` also leaves unchanged text areas out
of the post. One field per row keeps a 300-paragraph article at about 305
fields, well under Django's ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (1000), which
stays as it is; a hidden field per row would have posted about 605.

Optional per row: ``confirm-<key>=1`` ("still correct", on an outdated row)
and ``resolve-<key>=theirs`` (on a row in conflict: keep the other person's
text). On the source edition a line of three dashes (``---``) in a paragraph
splits it there when saved.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from translations.models import Article, Version
from translations.services import text_hash, text_validate

from ...services import RowInput

KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")
DIGEST = re.compile(r"[0-9a-f]{16}")
REVISION = re.compile(r"[0-9]{1,9}")
SPLIT_MARKER = re.compile(r"(?:^|\n)[ \t]*---[ \t]*(?:\n|$)")
STRUCTURE_VERBS = ("insert", "delete", "delete-confirmed", "up", "down", "merge")
TITLE_LIMIT = Article._meta.get_field("title").max_length


def row_digest(text):
    """The short hash of a row's loaded text that the manifest carries."""
    return text_hash(text)[:16]


@dataclass(frozen=True)
class LoadedRow:
    """What the page said about one row when it was loaded."""

    key: str
    revision: int
    source_revision: int | None
    digest: str

    def encode(self):
        source_revision = "" if self.source_revision is None else self.source_revision
        return f"{self.key}:{self.revision}:{source_revision}:{self.digest}"


def manifest_encode(rows):
    return "|".join(row.encode() for row in rows)


@dataclass
class PostedRow:
    loaded: LoadedRow
    text: str | None  # None: the row's text area was not posted (unchanged)
    confirm: bool = False
    take_theirs: bool = False

    @property
    def key(self):
        return self.loaded.key

    @property
    def changed(self):
        return self.text is not None and row_digest(self.text) != self.loaded.digest


class EditorForm:
    """Reads an editor post; :meth:`is_valid` collects every problem as a message.

    ``labels`` maps the keys the article has now to what the reader calls
    them ("Title", "Paragraph 3"); a key not in it is refused, and nothing of
    the post is saved. ``is_source``: the post edits the source text, where
    the split marker applies and "still correct" does not.
    """

    def __init__(self, data, *, labels, is_source):
        self.data = data
        self.labels = labels
        self.is_source = is_source
        self.errors = []
        self.rows = []
        self.orphans = {}  # posted text of keys the article no longer has

    def is_valid(self):
        self.errors = []
        self.rows = self._manifest()
        # Every sound row is read even when others are damaged: what was typed
        # in them is shown again with the messages.
        for row in self.rows:
            self._read(row)
        loaded = {row.key for row in self.rows}
        for name in self.data:
            prefix, _dash, key = name.partition("-")
            if prefix in ("text", "confirm", "resolve") and key not in loaded:
                self.errors.append(
                    _("The form names a paragraph it did not load; reload the page.")
                )
                break
        return not self.errors

    def _manifest(self):
        manifest = self.data.get("manifest")
        if manifest is None:
            self.errors.append(_("The form arrived incomplete; reload the page and try again."))
            return []
        rows, seen = [], set()
        for number, entry in enumerate(filter(None, manifest.split("|")), 1):
            parts = entry.rsplit(":", 3)
            if len(parts) != 4:
                self.errors.append(_("Row %(n)d of the form is damaged.") % {"n": number})
                continue
            key, revision, source_revision, digest = parts
            if (
                not (
                    KEY.fullmatch(key)
                    and REVISION.fullmatch(revision)
                    and (source_revision == "" or REVISION.fullmatch(source_revision))
                    and DIGEST.fullmatch(digest)
                )
                or key in seen
            ):
                self.errors.append(_("Row %(n)d of the form is damaged.") % {"n": number})
                continue
            seen.add(key)
            rows.append(
                PostedRow(
                    LoadedRow(
                        key,
                        int(revision),
                        int(source_revision) if source_revision else None,
                        digest,
                    ),
                    text=None,
                )
            )
        return rows

    def _read(self, row):
        text = self.data.get(f"text-{row.key}")
        # Browsers post line breaks in text areas as CRLF; the text holds LF.
        row.text = None if text is None else text.replace("\r\n", "\n")
        row.confirm = not self.is_source and self.data.get(f"confirm-{row.key}") == "1"
        row.take_theirs = self.data.get(f"resolve-{row.key}") == "theirs"
        if not row.changed or row.take_theirs:
            return
        if row.key not in self.labels:
            self.orphans[row.key] = row.text
            self.errors.append(
                _(
                    "A paragraph you edited was deleted from the article since you opened "
                    "the page; nothing was saved. Your text for it is shown at the top: "
                    "copy what you need and save again."
                )
            )
            return
        label = self.labels[row.key]
        try:
            self._check(row, label)
        except ValidationError as error:
            self.errors.extend(error.messages)

    def _check(self, row, label):
        text = row.text
        text_validate(text, label=label)
        if "\ufffd" in text:
            raise ValidationError(
                _(
                    "%(label)s contains U+FFFD, the mark of text garbled on its way "
                    "(not valid UTF-8). Type or paste that part again."
                )
                % {"label": label}
            )
        if row.key == Version.TITLE_KEY:
            if "\n" in text:
                raise ValidationError(_("The title is one line."))
            if len(text) > TITLE_LIMIT:
                raise ValidationError(
                    _("The title is %(length)d characters long; the limit is %(limit)d.")
                    % {"length": len(text), "limit": TITLE_LIMIT}
                )
        elif self.is_source and len(SPLIT_MARKER.findall(text)) > 1:
            raise ValidationError(
                _("%(label)s has more than one “---” line: split at one place per save.")
                % {"label": label}
            )

    def split_of(self, row):
        """``(text without the marker, offset)`` when ``row`` asks to be split, else None."""
        if not (self.is_source and row.changed and row.key != Version.TITLE_KEY):
            return None
        marker = SPLIT_MARKER.search(row.text)
        if marker is None:
            return None
        before, after = row.text[: marker.start()], row.text[marker.end() :]
        return before + after, len(before)

    def row_inputs(self):
        """The rows to save: changed text, or "still correct" on an unchanged row."""
        inputs = []
        for row in self.rows:
            if row.take_theirs or self.split_of(row):
                continue
            if row.changed:
                inputs.append(
                    RowInput(
                        key=row.key,
                        text=row.text,
                        revision=row.loaded.revision,
                        source_revision=row.loaded.source_revision,
                    )
                )
            elif row.confirm:
                inputs.append(
                    RowInput(
                        key=row.key,
                        text="",
                        revision=row.loaded.revision,
                        source_revision=row.loaded.source_revision,
                        confirm=True,
                    )
                )
        return inputs

    def pending(self):
        """``{key: PostedRow}`` of the changed rows, to show again when they were not saved."""
        return {row.key: row for row in self.rows if row.changed and not row.take_theirs}


def structure_request(data):
    """``(verb, key)`` from the structure button pressed, None when none was, or ValueError."""
    value = data.get("structure")
    if value is None:
        return None
    verb, _colon, key = value.partition(":")
    if verb not in STRUCTURE_VERBS or not KEY.fullmatch(key):
        raise ValueError(value)
    return verb, key
