"""A feed source, and the items imported from it (one row per GUID)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from translations.languages import language_choices
from translations.models import Article


class FeedFormat(models.TextChoices):
    RSS = "rss", _("RSS or Atom feed")
    NINJS = "ninjs", _("IPTC ninjs (JSON)")
    NEWSML = "newsml", _("IPTC NewsML-G2 (XML)")


class RunStatus(models.TextChoices):
    OK = "ok", pgettext_lazy("feed run status", "ok")
    PARTIAL = "partial", pgettext_lazy("feed run status", "some items failed")
    FAILED = "failed", pgettext_lazy("feed run status", "failed")


class FeedSource(models.Model):
    """Where stories come from: a URL or a folder, in one format and language."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(
        _("URL"), max_length=1000, blank=True, help_text=_("http or https; or give a folder.")
    )
    folder = models.CharField(
        _("folder"),
        max_length=500,
        blank=True,
        help_text=_("A folder under TILMASH_AGENCY_FOLDER_ROOT on the server, instead of a URL."),
    )
    format = models.CharField(_("format"), max_length=10, choices=FeedFormat.choices)
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    active = models.BooleanField(_("active"), default=True)
    interval = models.PositiveIntegerField(
        _("interval (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)],
    )
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_status = models.CharField(
        _("last status"), max_length=10, choices=RunStatus.choices, blank=True
    )
    last_message = models.TextField(_("last run's report"), blank=True)
    # The URL's validators from its last full answer, sent back as If-None-Match
    # and If-Modified-Since: an unchanged feed costs a 304 and no parsing.
    etag = models.CharField(_("ETag"), max_length=200, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(folder="")) | (~Q(url="") & Q(folder="")),
                name="feedsource_url_or_folder",
            ),
        ]
        indexes = [models.Index(fields=["active", "next_run_at"], name="feedsource_due")]

    def __str__(self):
        return self.name

    def clean(self):
        from .fetching import FetchError, folder_path

        if bool(self.url) == bool(self.folder):
            raise ValidationError(_("Give either a URL or a folder."))
        if self.folder:
            try:
                folder_path(self.folder)
            except FetchError as error:
                raise ValidationError({"folder": str(error)}) from None


class ItemStatus(models.TextChoices):
    IMPORTED = "imported", pgettext_lazy("feed item status", "imported")
    UPDATED = "updated", pgettext_lazy("feed item status", "updated")
    FAILED = "failed", pgettext_lazy("feed item status", "failed")


class FeedItem(models.Model):
    """One agency story, by its GUID: the article it became and the version it was at."""

    source = models.ForeignKey(
        FeedSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="items"
    )
    guid = models.CharField(_("GUID"), max_length=500)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The item's own version (ninjs, NewsML-G2) or its updated time (RSS/Atom),
    # as last imported or last refused.
    version = models.CharField(_("item version"), max_length=100, blank=True)
    updated = models.DateTimeField(_("item updated"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices)
    error = models.TextField(_("error"), blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        verbose_name = _("feed item")
        verbose_name_plural = _("feed items")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="feeditem_guid_per_source"),
        ]

    def __str__(self):
        return self.guid
