"""The content: articles, their paragraphs, editions, versions and credits.

Per-language columns (``title_kk``, ``text_ru``, ``revision_en`` …) are added by
django-modeltranslation from ``translation.py``. The source language's columns
hold the source text; the other languages' columns are the translators'
working copy. What the public reads is never the working copy but a
:class:`Version`, an immutable snapshot that an editor approved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .languages import language_choices, language_derived_from, localized_field
from .transliteration import transliterator


class EditionState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    URGENT = 1, _("Urgent")
    BREAKING = 2, _("Breaking")


class VersionKind(models.TextChoices):
    """What a version is to readers; an update or a correction carries a public note."""

    STANDARD = "standard", _("Publication")
    UPDATE = "update", _("Update")
    CORRECTION = "correction", _("Correction")


class CreditRole(models.TextChoices):
    AUTHOR = "author", _("Author")
    TRANSLATOR = "translator", _("Translator")
    EDITOR = "editor", pgettext_lazy("credit role", "Editor")  # not the text editor


class Contributor(models.Model):
    """A person who can be credited; with or without a login."""

    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["name"]

    def __str__(self):
        return self.name_in(settings.MODELTRANSLATION_DEFAULT_LANGUAGE)

    def spelling_changes_on_save(self, update_fields=None):
        """Whether saving this contributor now changes a stored spelling of its name.

        Called before the save (one query: the stored spellings), by what must
        follow a rename: the public pages and the shared cache's name token.
        """
        if self._state.adding:
            return False
        fields = [localized_field("name", code) for code, _name in settings.LANGUAGES]
        if update_fields is not None and not set(fields) & set(update_fields):
            return False
        before = type(self).objects.filter(pk=self.pk).values_list(*fields).first()
        return before is not None and before != tuple(getattr(self, f) for f in fields)

    def name_in(self, language):
        """The name as spelled in ``language``, else the spelling it was credited with.

        In a language derived by transliteration (``kk-latn``) a name with no
        spelling of its own is its source language's spelling, transliterated.
        """
        spelled = getattr(self, localized_field("name", language), None)
        if spelled:
            return spelled
        derived_from = language_derived_from(language)
        if derived_from:
            convert = transliterator(derived_from, language)
            name = self.name_in(derived_from)
            return convert(name).text if convert else name
        for code, _label in settings.LANGUAGES:
            spelled = getattr(self, localized_field("name", code), None)
            if spelled:
                return spelled
        return ""


class TranslatableUnit(models.Model):
    """Per-language bookkeeping shared by an article's title and its paragraphs.

    Each field below is registered with modeltranslation, so a row carries, for
    every language: ``revision_<lang>`` (bumped by every save of that
    language's text; a save names the revision it was loaded at, which is how
    concurrent edits are detected), ``source_revision_<lang>`` (the source
    revision a translation was made from: behind the source's own revision
    means *outdated*), and who last edited it and when.
    """

    TEXT_FIELD = "text"

    revision = models.PositiveIntegerField(_("revision"), default=0)
    source_revision = models.PositiveIntegerField(_("translated from revision"), default=0)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)

    class Meta:
        abstract = True

    def text_in(self, language):
        return getattr(self, localized_field(self.TEXT_FIELD, language)) or ""

    def revision_in(self, language):
        return getattr(self, localized_field("revision", language)) or 0

    def source_revision_in(self, language):
        return getattr(self, localized_field("source_revision", language)) or 0

    def edited_by_id_in(self, language):
        return getattr(self, localized_field("edited_by", language) + "_id")

    def is_outdated(self, language, source_language):
        """Translated, but from an older source text than the current one."""
        if language == source_language or not self.text_in(language):
            return False
        return self.source_revision_in(language) < self.revision_in(source_language)


class Article(TranslatableUnit):
    """A news item. The unit bookkeeping inherited here belongs to its title."""

    TEXT_FIELD = "title"

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    source_language = models.CharField(
        _("source language"), max_length=10, choices=language_choices
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    dateline = models.DateTimeField(_("dateline"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Lifecycle (``translations.lifecycle``): not public before ``embargo_until``
    # (UTC; every edition), nor at all once withdrawn.
    embargo_until = models.DateTimeField(_("embargoed until"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The article's id in the system it came from (the newsroom's CMS, through
    # the REST API's ingest): how a second delivery finds the same article.
    external_id = models.CharField(
        _("external ID"), max_length=200, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-dateline", "-id"]
        permissions = [("withdraw_article", _("Can withdraw and reinstate articles"))]
        indexes = [
            # The public list walks it newest first and stops after one page.
            models.Index(fields=["-dateline", "-id"], name="article_dateline_id"),
        ]

    def __str__(self):
        return self.title_in_source() or self.slug

    def title_in_source(self):
        return self.text_in(self.source_language)


class Paragraph(TranslatableUnit):
    """One ordered paragraph; its ``key`` survives reordering and re-imports."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    key = models.CharField(_("key"), max_length=40)
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "key"], name="paragraph_key_unique_per_article"
            ),
            models.UniqueConstraint(
                fields=["article", "position"], name="paragraph_position_unique_per_article"
            ),
        ]

    def __str__(self):
        return f"{self.article_id}#{self.position}"


class Edition(models.Model):
    """An article in one language, the source language included."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="editions"
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    state = models.CharField(
        _("state"), max_length=20, choices=EditionState.choices, default=EditionState.NOT_STARTED
    )
    live_version = models.ForeignKey(
        "Version",
        verbose_name=_("live version"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    priority = models.SmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    # Running updates and corrections (``translations.lifecycle``): what the
    # working copy is becoming, with its public note (the advisory line or
    # the correction note, in this edition's language), snapshotted into the
    # next version; and, on a translation, the source's approved update or
    # correction it has still to follow (its public page says so meanwhile).
    working_kind = models.CharField(
        _("working copy is"), max_length=20, choices=VersionKind.choices, blank=True
    )
    working_note = models.TextField(_("public note (working copy)"), blank=True)
    follows = models.CharField(
        _("source change to follow"), max_length=20, choices=VersionKind.choices, blank=True
    )
    follows_since = models.DateTimeField(_("source changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The urgency clock (``translations.clocks``): from the source going live
    # (or this edition opening after it) to this edition going live, against
    # the priority's target; ``clock_next_at`` is when the next notice is due.
    clock_started_at = models.DateTimeField(_("clock started"), null=True, blank=True)
    due_at = models.DateTimeField(_("due live"), null=True, blank=True)
    clock_next_at = models.DateTimeField(_("next clock notice"), null=True, blank=True)
    clock_stage = models.PositiveSmallIntegerField(_("clock notices sent"), default=0)
    clock_stopped_at = models.DateTimeField(_("went live"), null=True, blank=True)
    # Lifecycle: this edition is not public before it (the article's own
    # embargo, when later, holds too).
    embargo_until = models.DateTimeField(_("embargoed until"), null=True, blank=True)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-priority", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="edition_unique_language_per_article"
            ),
            models.CheckConstraint(
                condition=~Q(state=EditionState.APPROVED) | Q(live_version__isnull=False),
                name="edition_approved_has_live_version",
            ),
        ]
        indexes = [
            models.Index(fields=["language", "state"], name="edition_language_state"),
            # "My work" most urgent first, nearest deadline, oldest, walked a
            # page at a time; the editions still being worked on by state, and
            # the review queue's urgent reviews among the editions in review.
            models.Index(
                fields=["-priority", "deadline", "created_at", "-id"], name="edition_desk_order"
            ),
            models.Index(
                fields=["state", "-priority", "deadline", "created_at", "-id"],
                condition=~Q(state="approved"),
                name="edition_working_order",
            ),
            # My work sorted by its clock, most urgent first (no clock last).
            models.Index(fields=["due_at", "-id"], name="edition_due_order"),
            # The clock pass: the notices that fell due, and nothing else.
            models.Index(
                fields=["clock_next_at"],
                condition=Q(clock_next_at__isnull=False),
                name="edition_clock_next",
            ),
        ]

    def __str__(self):
        return f"{self.article} [{self.language}]"

    @property
    def is_source(self):
        return self.language == self.article.source_language


class Version(models.Model):
    """An immutable snapshot of an edition: what editors approve and readers read.

    ``units`` is a list of ``{"key", "text", "source", "source_revision",
    "author"}``: first the title (key ``"title"``), then every paragraph in
    order. A database trigger refuses any change to a version's content once
    written, and to its approval once approved.
    """

    TITLE_KEY = "title"

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    units = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set when the version is made and fixed with the rest of it (the
    # immutability trigger covers them): an update's advisory line or a
    # correction's note, and the notes of the edition's earlier approved
    # updates and corrections (``[{"kind", "note", "at"}]``, newest first), so
    # the public page reads every note from the live version's row alone.
    kind = models.CharField(
        _("kind"), max_length=20, choices=VersionKind.choices, default=VersionKind.STANDARD
    )
    public_note = models.TextField(_("public note"), blank=True)
    earlier_notes = models.JSONField(_("earlier notes"), default=list, blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["edition", "-number"]
        indexes = [
            # The public corrections log, newest first, a page at a time.
            models.Index(
                fields=["-approved_at", "-id"],
                condition=Q(kind="correction", approved_at__isnull=False),
                name="version_corrections_log",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="version_number_unique_per_edition"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self):
        return f"{self.edition} v{self.number}"

    @property
    def paragraphs(self):
        return self.units[1:]

    @property
    def is_approved(self):
        return self.approved_at is not None

    def unit_map(self):
        return {unit["key"]: unit for unit in self.units}


class Credit(models.Model):
    """A contributor credited on a version, in a role, in order."""

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="credits"
    )
    contributor = models.ForeignKey(
        Contributor, verbose_name=_("contributor"), on_delete=models.PROTECT, related_name="credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=CreditRole.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["version", "role", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "role", "contributor"], name="credit_once_per_role"
            ),
            models.UniqueConstraint(
                fields=["version", "role", "order"], name="credit_order_unique_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.contributor}"


class AuditEntry(models.Model):
    """One recorded move: who did what to which edition or version, and why.

    Written by services only; a database trigger refuses updates.
    """

    action = models.CharField(_("action"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class SearchEntry(models.Model):
    """What the public search reads for one edition: its live version's text.

    Written in the transaction that makes a version live
    (``services.version_go_live``), from that version's immutable title and
    paragraphs, never from the working copy. Searches read an entry only
    while its ``version`` is still the edition's live version, so an entry
    that fell behind could hide an edition from search but never show text
    that is not live. On PostgreSQL each language has a GIN index over its
    entries' ``to_tsvector`` (``translations.search``).
    """

    edition = models.OneToOneField(
        Edition, verbose_name=_("edition"), primary_key=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    document = models.TextField(_("text"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.edition_id} ({self.language})"


class PublicPage(models.Model):
    """A public page's bytes, built once when what it shows changes (``translations.pages``).

    Served by one indexed read while its ``generation`` is its article's
    current one (``PublicPageGeneration``), its ``build_tag`` the running
    code's, and the clock inside ``[public_from, visible_until)``. Times are
    microseconds since the epoch (UTC), compared as integers on every backend.
    """

    page_key = models.CharField(max_length=300)
    public_from = models.BigIntegerField()
    visible_until = models.BigIntegerField(null=True, blank=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    status = models.PositiveSmallIntegerField(default=200)
    body = models.BinaryField()
    etag = models.CharField(max_length=80, blank=True)
    last_modified = models.BigIntegerField(null=True, blank=True)
    # What the page was built from (live versions, languages, embargo and
    # withdrawal): compared with the database when the row is verified.
    fingerprint = models.CharField(max_length=40)
    generation = models.BigIntegerField()
    build_tag = models.CharField(max_length=40)
    verified_at = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page_key", "public_from"], name="public_page_key_from")
        ]

    def __str__(self):
        return self.page_key


class PublicPageGeneration(models.Model):
    """An article's page generation: replaced in every transaction that changes what its
    public pages show, so pages built before it are not served once it commits."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    generation = models.BigIntegerField()

    def __str__(self):
        return f"{self.article_id}: {self.generation}"
