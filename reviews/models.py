"""The desk: who works on what, reviews of versions, comments and checks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from translations.languages import language_choices
from translations.models import Edition, Priority, Version


class LanguagePair(models.Model):
    """A direction a person translates in (en → kk); only these are offered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="language_pairs",
    )
    source_language = models.CharField(_("from"), max_length=10, choices=language_choices)
    target_language = models.CharField(_("into"), max_length=10, choices=language_choices)

    class Meta:
        verbose_name = _("working language pair")
        verbose_name_plural = _("working language pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_language", "target_language"],
                name="language_pair_unique",
            ),
            models.CheckConstraint(
                condition=~Q(source_language=models.F("target_language")),
                name="language_pair_distinct",
            ),
        ]

    def __str__(self):
        return f"{self.source_language} → {self.target_language}"


class Assignment(models.Model):
    """A translator (or, on a source edition, an author) assigned to an edition."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="assignment_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.edition}"


class ReviewState(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Review(models.Model):
    """The review of one submitted version, and the editor's decision on it."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="reviews"
    )
    version = models.OneToOneField(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="review"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    submit_note = models.TextField(_("note from the translator"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(state="open"),
                name="review_one_open_per_edition",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="review_state_submitted"),
            # The review queue, oldest first, walked a page at a time: every
            # review ("all"), the open ones, the open ones of one submitter.
            models.Index(fields=["submitted_at", "id"], name="review_submitted"),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(state="open"),
                name="review_open_submitted",
            ),
            models.Index(
                fields=["submitted_by", "submitted_at", "id"],
                condition=Q(state="open"),
                name="review_open_submitter",
            ),
        ]

    def __str__(self):
        return f"{self.version} ({self.get_state_display()})"


class Comment(models.Model):
    """A remark pinned to one paragraph (or the title) of a version; may be a reply."""

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="comments"
    )
    unit_key = models.CharField(_("paragraph"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]


class ParagraphCheck(models.Model):
    """An editor's "checked" mark on one paragraph of an edition.

    Keyed by the text's hash, so the mark carries over to the next round for a
    paragraph whose text did not change, and lapses for one that did.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="paragraph_checks")
    unit_key = models.CharField(_("paragraph"), max_length=40)
    text_hash = models.CharField(max_length=64)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("checked paragraph")
        verbose_name_plural = _("checked paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["edition", "unit_key"], name="paragraph_check_unique"),
        ]

    def __str__(self):
        return f"{self.edition} {self.unit_key} ✓"


class UnitEdit(models.Model):
    """One accepted save of a title or paragraph in an edition: who, when, which revision.

    The history behind "who edited this text", which four-eyes checks and
    credits read; the text itself lives in the working copy and the versions.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="unit_edits")
    unit_key = models.CharField(_("paragraph"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(_("revision"))
    confirmed_only = models.BooleanField(_("marked still correct"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("paragraph edit")
        verbose_name_plural = _("paragraph edits")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["edition", "created_at"], name="unit_edit_edition_time")]

    def __str__(self):
        return f"{self.edition} {self.unit_key} r{self.revision}"


# The languages the desk speaks (its interface), whatever languages articles are
# written in: a translator may work into Kazakh with the desk in Russian.
DESK_LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


class DeskProfile(models.Model):
    """A person's own settings for the desk, made the first time they change one.

    Without a profile the desk follows the browser (its Accept-Language header
    or language cookie) and mail goes out in ``settings.LANGUAGE_CODE``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="desk_profile",
    )
    language = models.CharField(_("desk language"), max_length=10, choices=DESK_LANGUAGES)

    class Meta:
        verbose_name = _("desk profile")
        verbose_name_plural = _("desk profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in DESK_LANGUAGES]),
                name="desk_profile_language",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.language})"


class MachineDraft(models.Model):
    """A paragraph (or the title) of an edition whose text the machine wrote.

    Kept after a human edits or confirms it, for the review page's "how much
    the human changed". The working copy's text is still the machine's while
    its hash is ``text_hash`` and nobody confirmed it: submission waits for that.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="machine_drafts")
    unit_key = models.CharField(_("paragraph"), max_length=40)
    machine_text = models.TextField(_("machine text"))
    text_hash = models.CharField(max_length=64)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("translated"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("machine-translated paragraph")
        verbose_name_plural = _("machine-translated paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["edition", "unit_key"], name="machine_draft_unique"),
        ]

    def __str__(self):
        return f"{self.edition} {self.unit_key} (machine)"


class PretranslationState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Pretranslation(models.Model):
    """One request to pre-translate an edition, and how far the worker got."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pretranslations")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PretranslationState.choices,
        default=PretranslationState.QUEUED,
    )
    total = models.PositiveIntegerField(_("to translate"), default=0)
    done = models.PositiveIntegerField(_("translated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)  # its DBTaskResult

    class Meta:
        verbose_name = _("pre-translation")
        verbose_name_plural = _("pre-translations")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(state__in=["queued", "running"]),
                name="pretranslation_one_active",
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "-requested_at"], name="pretranslation_edition"),
        ]

    def __str__(self):
        return f"{self.edition} ({self.get_state_display()})"

    @property
    def active(self):
        return self.state in (PretranslationState.QUEUED, PretranslationState.RUNNING)

    @property
    def percent(self):
        if not self.total:  # nothing to do, or not counted yet
            return 0 if self.active else 100
        finished = self.done + self.skipped + self.failed
        return min(100, round(100 * finished / self.total))


class DeskNotice(models.Model):
    """An urgency clock's notice to one person, shown on the desk's home page.

    Written by the clock pass (``reviews.clocks``) once per edition, person
    and kind: half time, or full time (overdue).
    """

    class Kind(models.TextChoices):
        HALF = "half", _("Half the time gone")
        DUE = "due", _("Overdue")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("for"), on_delete=models.CASCADE,
        related_name="desk_notices",
    )  # fmt: skip
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("desk notice")
        verbose_name_plural = _("desk notices")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user", "kind"], name="desk_notice_once"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="desk_notice_user_recent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.edition_id} → {self.user_id}"


class PublishTiming(models.Model):
    """One translation version going live, as the dashboard counts it.

    Written in the transaction that makes the version live (the
    ``version_published`` signal), so the dashboard reads the rows of its
    window along ``live_at`` and never the archive. ``seconds`` is the time
    from the clock's start to going live, for an edition's first go-live with
    a clock (``None`` for corrections and editions without one);
    ``round_trips`` the changes requested since the edition's previous live
    version; ``translators`` the ids of the users who wrote the version's text.
    """

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.OneToOneField(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    priority = models.SmallIntegerField(_("priority"), choices=Priority.choices)
    live_at = models.DateTimeField(_("went live"))
    seconds = models.PositiveIntegerField(_("time to publish (s)"), null=True, blank=True)
    target_seconds = models.PositiveIntegerField(_("target (s)"))
    round_trips = models.PositiveSmallIntegerField(_("changes requested"), default=0)
    translators = models.JSONField(_("translators"), default=list, blank=True)

    class Meta:
        verbose_name = _("publish timing")
        verbose_name_plural = _("publish timings")
        indexes = [models.Index(fields=["live_at"], name="publish_timing_live_at")]

    def __str__(self):
        return f"{self.version_id} {self.language} {self.seconds}"

    @property
    def on_time(self):
        return None if self.seconds is None else self.seconds <= self.target_seconds
