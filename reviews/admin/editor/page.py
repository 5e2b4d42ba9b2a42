"""What the editor page shows: the edition's header and one row per unit.

Reads a fixed number of queries whatever the article's length: the
paragraphs, the latest version, the people who last edited, the open review,
the machine's rows and the latest pre-translation, and (only when rows are
outdated) the source texts they were made from.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.template.defaultfilters import date as date_filter
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from translations.languages import language_name, localized_field
from translations.models import EditionState, Paragraph, Version

from ...diffing import word_diffs_html
from ...models import Comment, Review, ReviewState
from ...services.structure import source_texts_known
from ...workflow import Permission, edition_actions, edition_assignees
from .aids import aids_apply
from .forms import LoadedRow, row_digest


@dataclass
class Conflict:
    """Someone else saved this row after it was loaded: their text, and who."""

    theirs: str
    mine: str
    author: object = None  # a user id, then the user
    revision: int = 0


@dataclass
class EditorRow:
    key: str
    number: int  # 0 for the title
    label: str
    source: str
    text: str  # what the text area holds
    stored: str  # what the working copy holds
    loaded: LoadedRow
    outdated: bool = False
    made_from: int = 0  # the source revision the translation was made from
    source_diff: str = ""  # HTML: what changed in the source since the translation
    source_before_known: bool = True
    changed_since_submission: bool = False
    edited_by: object = None
    edited_at: object = None
    conflict: Conflict | None = None
    pending: bool = False  # the text area holds posted text that was not saved
    issues: list = field(default_factory=list)  # QA findings (aids._shown)
    source_html: str = ""  # the source with glossary terms marked, when any
    edited_by_name: str = ""
    edited_at_text: str = ""
    suggest_url: str = ""  # memory and machine suggestions
    threads: list = field(default_factory=list)  # open comment threads from the last review
    machine: bool = False  # the machine's text, not yet edited or confirmed by a human

    def __getitem__(self, name):
        # The template engine tries ``row[name]`` before ``row.name``: answering it spares
        # a raised and caught TypeError for each of the ~40 lookups of each of 300 rows.
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    @property
    def is_title(self):
        return self.number == 0

    @property
    def translated(self):
        return bool(self.stored.strip())

    @property
    def status(self):
        if self.conflict:
            return "conflict"
        if not self.translated:
            return "untranslated"
        return "outdated" if self.outdated else "translated"

    @property
    def rows_hint(self):
        """Lines for the text area before the script grows it: long paragraphs show whole."""
        longest = max(len(self.text), len(self.source))
        return min(40, max(2, longest // 70 + self.text.count("\n") + 1))


@dataclass
class EditorPage:
    edition: object
    article: object
    actions: set
    rows: list = field(default_factory=list)
    latest_version: object = None
    open_review: object = None
    live_number: int | None = None
    orphans: dict = field(default_factory=dict)
    feedback: object = None  # the review that sent the latest version back, if it did
    pretranslation: object = None  # the latest pre-translation request, if any

    @property
    def is_source(self):
        return self.edition.language == self.article.source_language

    @property
    def editable(self):
        return Permission.EDIT in self.actions

    @property
    def restructurable(self):
        return Permission.RESTRUCTURE in self.actions

    @property
    def structure_buttons(self):
        """Each row offers to add, move, merge, delete and split paragraphs."""
        return self.restructurable and self.editable

    @property
    def first_open(self):
        """The first row that needs work: in conflict, untranslated or outdated."""
        return next((row for row in self.rows if row.status != "translated"), None)

    @property
    def blocking_issues(self):
        """Every row's errors that nobody dismissed: each gets a dismissal form."""
        return [issue for row in self.rows for issue in row.issues if issue["blocking"]]

    @property
    def total(self):
        return len(self.rows)

    @property
    def translated_count(self):
        return sum(row.translated for row in self.rows)

    @property
    def outdated_count(self):
        return sum(row.outdated for row in self.rows)

    @property
    def machine_count(self):
        return sum(row.machine for row in self.rows)

    @property
    def pretranslatable(self):
        return Permission.PRETRANSLATE in self.actions

    @property
    def open_thread_count(self):
        return sum(len(row.threads) for row in self.rows)

    @property
    def conflict_count(self):
        return sum(row.conflict is not None for row in self.rows)

    @property
    def source_language_name(self):
        return language_name(self.article.source_language)

    @property
    def language_name(self):
        return language_name(self.edition.language)


def editor_page(*, edition, user, pending=None, conflicts=None, orphans=None):
    """The page for ``user`` on ``edition`` (loaded with its article).

    ``pending``: ``{key: PostedRow}`` of posted text that was not saved, shown
    again in its text areas with the revision it was loaded at. ``conflicts``:
    ``{key: Conflict}``: the text area keeps the writer's text; the manifest
    names the other person's revision, so that saving again resolves it.
    """
    pending, conflicts = pending or {}, conflicts or {}
    article = edition.article
    edition_assignees(edition)
    page = EditorPage(
        edition=edition,
        article=article,
        actions=edition_actions(edition=edition, user=user),
        orphans=orphans or {},
    )
    language, source_language = edition.language, article.source_language
    paragraphs = (
        Paragraph.objects.filter(article=article)
        .order_by("position")
        .only("key", *_unit_fields(language, source_language))
    )
    units = [(Version.TITLE_KEY, article)] + [(p.key, p) for p in paragraphs]
    page.latest_version = (
        Version.objects.filter(edition=edition).only("pk", "number", "units").first()
    )
    submitted = page.latest_version.unit_map() if page.latest_version else None
    page.live_number = _live_number(edition, page.latest_version)
    for number, (key, unit) in enumerate(units):
        page.rows.append(_row(key, number, unit, language, source_language, submitted))
    _conflicts_apply(page, conflicts)
    _pending_apply(page, pending)
    _source_diffs(page, article)
    _editors(page)
    _edited_at_texts(page)
    aids_apply(page)
    from .machine import machine_apply  # it imports the views, which import this

    machine_apply(page)
    page.open_review = (
        Review.objects.filter(edition=edition, state=ReviewState.OPEN)
        .select_related("version")
        .only("pk", "submitted_at", "version", "version__number")
        .first()
    )
    if edition.state == EditionState.CHANGES_REQUESTED and page.latest_version is not None:
        _feedback_apply(page)
    return page


def _feedback_apply(page):
    """What the editor said when sending the latest version back: the decision's
    comment, and each unresolved comment thread on the row it is pinned to.
    Two queries, however many rows and comments."""
    page.feedback = (
        Review.objects.filter(version=page.latest_version, state=ReviewState.CHANGES_REQUESTED)
        .select_related("decided_by", "version")
        .first()
    )
    threads = {}
    for comment in Comment.objects.filter(version=page.latest_version).select_related("author"):
        thread = threads.setdefault(comment.parent_id or comment.pk, [])
        if comment.parent_id is None:
            thread.insert(0, comment)
        else:
            thread.append(comment)
    by_key = {row.key: row for row in page.rows}
    for thread in threads.values():
        root = thread[0]
        row = by_key.get(root.unit_key)
        if root.parent_id is None and root.resolved_at is None and row is not None:
            row.threads.append(thread)


def _unit_fields(*languages):
    # Only the two languages' columns: a 300-paragraph article's other languages are
    # most of what the query would read.
    names = ("text", "revision", "source_revision", "edited_by", "edited_at")
    return sorted({localized_field(name, code) for code in languages for name in names})


def _live_number(edition, latest):
    if edition.live_version_id is None:
        return None
    if latest is not None and latest.pk == edition.live_version_id:
        return latest.number
    return Version.objects.filter(pk=edition.live_version_id).values_list("number", flat=True)[0]


def _row(key, number, unit, language, source_language, submitted):
    is_source = language == source_language
    stored = unit.text_in(language)
    source_revision = None if is_source else unit.revision_in(source_language)
    row = EditorRow(
        key=key,
        number=number,
        label=_("Title") if number == 0 else _("Paragraph %(n)d") % {"n": number},
        source="" if is_source else unit.text_in(source_language),
        text=stored,
        stored=stored,
        loaded=LoadedRow(key, unit.revision_in(language), source_revision, row_digest(stored)),
        outdated=unit.is_outdated(language, source_language),
        made_from=0 if is_source else unit.source_revision_in(language),
        edited_by=unit.edited_by_id_in(language),
        edited_at=getattr(unit, f"edited_at_{language.replace('-', '_')}"),
    )
    if submitted is not None:
        row.changed_since_submission = submitted.get(key, {}).get("text") != stored
    return row


def _conflicts_apply(page, conflicts):
    for row in page.rows:
        conflict = conflicts.get(row.key)
        if conflict is None:
            continue
        row.conflict = conflict
        row.text = conflict.mine
        row.loaded = LoadedRow(
            row.key, conflict.revision, row.loaded.source_revision, row_digest(row.stored)
        )


def _pending_apply(page, pending):
    for row in page.rows:
        posted = pending.get(row.key)
        if posted is None or row.conflict:
            continue
        row.text = posted.text
        row.loaded = posted.loaded
        row.pending = True


def _source_diffs(page, article):
    """For each outdated row, the source as it was when translated against the source now."""
    if page.is_source:
        return
    wanted = {row.key: (row.key, row.made_from) for row in page.rows if row.outdated}
    known = source_texts_known(article=article, wanted=set(wanted.values()))
    diffs = word_diffs_html(
        (known[wanted[row.key]], row.source)
        for row in page.rows
        if row.key in wanted and wanted[row.key] in known
    )
    for row in page.rows:
        if row.key not in wanted:
            continue
        before = known.get(wanted[row.key])
        if before is None:
            row.source_before_known = False
        else:
            row.source_diff = diffs[(before, row.source)]


def _editors(page):
    ids = {row.edited_by for row in page.rows} | {
        row.conflict.author for row in page.rows if row.conflict
    }
    ids.discard(None)
    users = get_user_model().objects.in_bulk(ids) if ids else {}
    names = {pk: user.get_full_name() or user.get_username() for pk, user in users.items()}
    for row in page.rows:
        row.edited_by_name = names.get(row.edited_by, "")
        row.edited_by = users.get(row.edited_by)
        if row.conflict:
            row.conflict.author = users.get(row.conflict.author)


def _edited_at_texts(page):
    """Each row's last edit time as ``|date:"SHORT_DATETIME_FORMAT"`` writes it, formatted
    once per distinct time: the rows of one save share it, and formatting a date costs
    more than the rest of a row's line."""
    texts = {}
    for row in page.rows:
        if row.edited_at is None:
            continue
        if row.edited_at not in texts:
            texts[row.edited_at] = date_filter(
                template_localtime(row.edited_at), "SHORT_DATETIME_FORMAT"
            )
        row.edited_at_text = texts[row.edited_at]
