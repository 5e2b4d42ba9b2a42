"""Reads for the public site: approved versions only, in a constant number of queries.

An edition is published when it points at a live version that was approved and
belongs to it. Everything here reads that version (its ``title`` and
``units``), never the working-copy columns of Article and Paragraph
(``title_xx``, ``text_xx``), which the translators are still changing.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Left
from django.utils import timezone

from .languages import language_codes
from .models import Article, Credit, Edition, Version

# The lead shown in lists and feeds is cut in the database, so a list never
# carries the versions' full text.
LEAD_CHARS = 400

# Article columns the public pages need; the per-language working copy is not one.
ARTICLE_FIELDS = ("article__id", "article__slug", "article__dateline", "article__source_language")


def _live_guard(prefix=""):
    # ``live_version__edition`` guards against a version of another edition
    # (another language) ever being shown in this one's place.
    return Q(
        **{
            f"{prefix}live_version__isnull": False,
            f"{prefix}live_version__approved_at__isnull": False,
            f"{prefix}live_version__edition": F(f"{prefix}pk"),
            f"{prefix}language__in": language_codes(),
        }
    )


def embargo_passed(now, prefix=""):
    """Editions (``prefix`` leading to one) whose embargo, the article's and
    their own, is over at ``now``."""
    return (
        Q(**{f"{prefix}embargo_until__isnull": True})
        | Q(**{f"{prefix}embargo_until__lte": now})
    ) & (
        Q(**{f"{prefix}article__embargo_until__isnull": True})
        | Q(**{f"{prefix}article__embargo_until__lte": now})
    )


def published_filter(now=None, prefix=""):
    """The one rule of what a reader may see now, for editions (``prefix`` leading to
    one): a live approved version, no embargo still running (the article's or the
    edition's own), and the article not withdrawn. Every public output filters with it."""
    now = timezone.now() if now is None else now
    return (
        _live_guard(prefix)
        & embargo_passed(now, prefix)
        & Q(**{f"{prefix}article__withdrawn_at__isnull": True})
    )



def _article_listable(now):
    # The same rule on the article's side, for walks along the article index.
    embargo_over = Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    return Q(withdrawn_at__isnull=True) & embargo_over


def _edition_listable(now):
    return Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)


@dataclass(frozen=True)
class LiveEdition:
    """One approved language of an article: which version is live, since when."""

    language: str
    version_id: int
    approved_at: object
    # When it became public: its approval, or the end of its embargo if later.
    public_since: object = None


@dataclass(frozen=True)
class ArticleLive:
    """An article's approved languages, read in one cheap query (no text)."""

    article_id: int
    slug: str
    dateline: object
    source_language: str
    editions: tuple
    # The article's withdrawal time (its pages answer 410), and the next time
    # one of its approved editions comes out of embargo (None: no such time).
    withdrawn_at: object = None
    next_change_at: object = None
    # The languages that were public when it was withdrawn.
    withdrawn_languages: tuple = ()
    # The time these pages are rendered for (None: now); a page built ahead of
    # an embargo's end is rendered for that time (``translations.pages``).
    as_of: object = None

    @property
    def languages(self):
        return [edition.language for edition in self.editions]

    def edition(self, language):
        return next((e for e in self.editions if e.language == language), None)

    @property
    def default_language(self):
        """The ``x-default`` language: the source when approved, else the first approved."""
        languages = self.languages
        return self.source_language if self.source_language in languages else languages[0]

    @property
    def last_approved_at(self):
        return max(edition.approved_at for edition in self.editions)

    @property
    def last_public_change_at(self):
        """When what these pages show last changed: an approval or an embargo's end."""
        return max(edition.public_since or edition.approved_at for edition in self.editions)


def article_live_get(*, slug, now=None):
    """The public languages of the article ``slug`` and their live versions, or None.

    One query over editions joined to their article and live version, reading
    no text: cheap enough to run on every request, which is what keeps the
    page cache and the conditional GET fresh without any invalidation. The
    embargoed editions are read too (and left out here, by the clock), so
    that the result knows when it next changes (``next_change_at``); a
    withdrawn article comes back with no editions and ``withdrawn_at`` set,
    so that its pages can answer 410 where they were public.
    """
    now = timezone.now() if now is None else now
    rows = list(
        Edition.objects.filter(_live_guard(), article__slug=slug)
        .order_by()
        .values_list(
            "language",
            "live_version_id",
            "live_version__approved_at",
            "article_id",
            "article__dateline",
            "article__source_language",
            "embargo_until",
            "article__embargo_until",
            "article__withdrawn_at",
        )
    )
    if not rows:
        return None
    order = {code: index for index, code in enumerate(language_codes())}
    rows.sort(key=lambda row: order[row[0]])
    _l, _v, _a, article_id, dateline, source_language, _e, _ae, withdrawn_at = rows[0]
    public, upcoming = [], []
    for language, version_id, approved_at, *_same, embargo, article_embargo, _w in rows:
        until = max((t for t in (embargo, article_embargo) if t is not None), default=None)
        if until is not None and until > now:
            upcoming.append(until)
            continue
        since = max(approved_at, until) if until is not None else approved_at
        public.append(LiveEdition(language, version_id, approved_at, since))
    if withdrawn_at is not None:
        return ArticleLive(
            article_id=article_id,
            slug=slug,
            dateline=dateline,
            source_language=source_language,
            editions=(),
            withdrawn_at=withdrawn_at,
            withdrawn_languages=tuple(edition.language for edition in public),
        )
    if not public and not upcoming:
        return None
    return ArticleLive(
        article_id=article_id,
        slug=slug,
        dateline=dateline,
        source_language=source_language,
        editions=tuple(public),
        next_change_at=min(upcoming, default=None),
    )


def edition_published_get(*, slug, language, now=None):
    """The published edition of ``slug`` in ``language``, with its article and live version.

    One query. Raises ``Edition.DoesNotExist`` when that language has no
    approved version (at ``now``, by default the present); never falls back
    to another language. ``first_approved_at`` is when the edition's first
    version was approved (structured data's ``datePublished``), read in the
    same query.
    """
    return (
        Edition.objects.filter(published_filter(now), article__slug=slug, language=language)
        .select_related("article", "live_version")
        .annotate(first_approved_at=first_approval())
        .only(
            "id",
            "language",
            "article_id",
            "live_version_id",
            *ARTICLE_FIELDS,
            "live_version__id",
            "live_version__edition_id",
            "live_version__number",
            "live_version__title",
            "live_version__units",
            "live_version__approved_at",
            # Updates and corrections (``lifecycle.notes.public_notes``): read
            # with the row, so the notes cost no query of their own.
            "follows",
            "live_version__kind",
            "live_version__public_note",
            "live_version__earlier_notes",
            # Structured data: when it first became public.
            "embargo_until",
            "article__embargo_until",
        )
        .get()
    )


def first_approval():
    """A subquery: when the outer edition's first version was approved."""
    approved = Version.objects.filter(edition=OuterRef("pk"), approved_at__isnull=False)
    return Subquery(approved.order_by("approved_at").values("approved_at")[:1])


def credits_list(*, version):
    """The credits of ``version`` with their contributors, in one query."""
    return list(
        Credit.objects.filter(version=version)
        .select_related("contributor")
        .order_by("role", "order")
    )


def _first_paragraph_text():
    # units[0] is the title; units[1] the first paragraph.
    return KeyTextTransform("text", KeyTransform(1, "live_version__units"))


@dataclass(frozen=True)
class EditionsPage:
    """One page of a language's published editions, without a count of them all.

    Counting every published edition grows with the archive; a page needs only
    to know whether an older one follows, which one extra row tells.
    """

    editions: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1


def editions_published_page(*, language, size, number=1, full_text=False):
    """Page ``number`` (from 1) of the published editions in ``language``, newest first.

    Each edition carries its article (slug, dateline), its live version
    without the ``units`` JSON, and ``lead``: the start of the first paragraph,
    cut in the database. Two queries (one when the page is empty), whatever
    the archive:

    1. the page's articles, plus one to tell whether an older page follows:
       the article index on (dateline, id) walked newest first, each article
       kept if it has a published edition in ``language`` (an EXISTS, so both
       PostgreSQL and SQLite walk the index and stop there rather than join
       and sort every published edition);
    2. those articles' editions with their leads. A lead is read out of the
       version's whole JSON, so it is never computed for a row the page does
       not show. With ``full_text`` the live versions' units (every
       paragraph) come in the same query.
    """
    offset = (number - 1) * size
    if language not in language_codes():
        return EditionsPage(editions=[], number=number, has_next=False)
    now = timezone.now()
    listed = Edition.objects.filter(
        _edition_listable(now),
        article=OuterRef("pk"),
        language=language,
        live_version__isnull=False,
        live_version__approved_at__isnull=False,
    )
    article_ids = list(
        Article.objects.filter(Exists(listed), _article_listable(now))
        .order_by("-dateline", "-id")
        .values_list("pk", flat=True)[offset : offset + size + 1]
    )
    page_ids = article_ids[:size]
    editions = []
    if page_ids:
        extra = ("live_version__units",) if full_text else ()
        rows = _listed_editions(language, now, extra=extra).filter(article_id__in=page_ids)
        by_article = {edition.article_id: edition for edition in rows}
        editions = [by_article[pk] for pk in page_ids if pk in by_article]
    return EditionsPage(editions=editions, number=number, has_next=len(article_ids) > size)


def editions_published_after(*, language, size, after=None):
    """Up to ``size`` published editions in ``language``, newest first, older than ``after``.

    ``after`` is the ``(dateline, article id)`` of the last edition of the
    previous page (None: from the newest): keyset paging along the article
    index, so a deep page costs what the first does and an article published
    meanwhile neither repeats nor skips a row. Returns
    ``(editions, next_after)``: the editions as :func:`editions_published_page`
    gives them, and the ``after`` of the next page (None on the last). Two
    queries (one when nothing is left).
    """
    if language not in language_codes():
        return [], None
    now = timezone.now()
    listed = Edition.objects.filter(
        _edition_listable(now),
        article=OuterRef("pk"),
        language=language,
        live_version__isnull=False,
        live_version__approved_at__isnull=False,
    )
    articles = Article.objects.filter(Exists(listed), _article_listable(now))
    if after is not None:
        dateline, article_id = after
        articles = articles.filter(
            Q(dateline__lt=dateline) | Q(dateline=dateline, pk__lt=article_id)
        )
    found = list(articles.order_by("-dateline", "-id").values_list("dateline", "pk")[: size + 1])
    page = found[:size]
    editions = []
    if page:
        rows = _listed_editions(language, now).filter(article_id__in=[pk for _d, pk in page])
        by_article = {edition.article_id: edition for edition in rows}
        editions = [by_article[pk] for _d, pk in page if pk in by_article]
    return editions, (page[-1] if len(found) > size else None)


def _listed_editions(language, now=None, extra=()):
    """Published editions in ``language`` as lists show them: article, title, lead
    (and the ``extra`` fields named)."""
    return (
        Edition.objects.filter(published_filter(now), language=language)
        .select_related("article", "live_version")
        .only(
            "id",
            "language",
            "article_id",
            "live_version_id",
            *ARTICLE_FIELDS,
            "live_version__id",
            "live_version__title",
            "live_version__approved_at",
            # When it became public (the feed's ``updated``): an embargo's end if later.
            "embargo_until",
            "article__embargo_until",
            *extra,
        )
        .annotate(lead=Left(_first_paragraph_text(), LEAD_CHARS))
        .order_by()
    )


def editions_search(*, language, query, size, number=1):
    """Page ``number`` of the published editions in ``language`` whose live text
    matches ``query`` (``translations.search``), best match first.

    Two queries (one when nothing matches), whatever the archive: the page's
    edition ids, plus one to tell whether another page follows; then those
    editions as the list shows them.
    """
    from .search import matching_edition_ids

    if language not in language_codes() or not query:
        return EditionsPage(editions=[], number=number, has_next=False)
    ids = matching_edition_ids(
        language=language, query=query, limit=size + 1, offset=(number - 1) * size
    )
    page_ids = ids[:size]
    editions = []
    if page_ids:
        by_id = {
            edition.pk: edition for edition in _listed_editions(language).filter(pk__in=page_ids)
        }
        editions = [by_id[pk] for pk in page_ids if pk in by_id]
    return EditionsPage(editions=editions, number=number, has_next=len(ids) > size)


def article_languages_published_list(*, since=None, before=None):
    """Articles with a published edition and their approved languages, newest first.

    For the sitemap: one query, no text read; ``since``/``before`` bound the
    datelines (a day's sitemap), which the article index serves.
    """
    editions = Edition.objects.filter(published_filter())
    if since is not None:
        editions = editions.filter(article__dateline__gte=since)
    if before is not None:
        editions = editions.filter(article__dateline__lt=before)
    rows = editions.order_by("-article__dateline", "-article_id").values_list(
        "language",
        "live_version_id",
        "live_version__approved_at",
        "article_id",
        "article__slug",
        "article__dateline",
        "article__source_language",
        "embargo_until",
        "article__embargo_until",
    )
    order = {code: index for index, code in enumerate(language_codes())}
    articles = {}
    for language, version_id, approved_at, article_id, slug, dateline, source, *ends in rows:
        found = articles.setdefault(article_id, (slug, dateline, source, []))
        since = max([approved_at, *(end for end in ends if end is not None)])
        found[3].append(LiveEdition(language, version_id, approved_at, since))
    return [
        ArticleLive(
            article_id=article_id,
            slug=slug,
            dateline=dateline,
            source_language=source,
            editions=tuple(sorted(editions, key=lambda e: order[e.language])),
        )
        for article_id, (slug, dateline, source, editions) in articles.items()
    ]


def published_dateline_range():
    """The datelines of the oldest and the newest article with a published edition.

    Two queries, each the first row of a walk along the article index from one
    end; ``(None, None)`` when nothing is published.
    """
    # The plain EXISTS (not the full ``published_filter`` guard) is what lets the
    # planners walk the article index and stop at the first row; the guard is
    # applied where each day's editions are read.
    now = timezone.now()
    listed = Edition.objects.filter(
        _edition_listable(now),
        article=OuterRef("pk"),
        live_version__isnull=False,
        live_version__approved_at__isnull=False,
    )
    published = Article.objects.filter(Exists(listed), _article_listable(now))
    newest = published.order_by("-dateline", "-id").values_list("dateline", flat=True).first()
    if newest is None:
        return None, None
    oldest = published.order_by("dateline", "id").values_list("dateline", flat=True).first()
    return oldest, newest
