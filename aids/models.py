"""Glossary terms, dismissed checks and the translation memory's segments.

Per-language columns of a glossary term (``term_kk``, ``forbidden_en`` …) are
added by django-modeltranslation from ``translation.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from translations.languages import language_choices, language_codes, localized_field
from translations.models import Article, Edition, Version

from .fields import BandsField


class TermKind(models.TextChoices):
    PERSON = "person", _("Person")
    PLACE = "place", _("Place")
    ORGANISATION = "organisation", _("Organisation")
    OTHER = "other", _("Other")


class GlossaryTerm(models.Model):
    """A name with its agreed spelling in every language, newsroom-wide or for one article."""

    term = models.CharField(
        _("agreed spelling"),
        max_length=200,
        blank=True,
        help_text=_("How the name is written in this language; inflected forms match too."),
    )
    forbidden = models.TextField(
        _("wrong spellings"),
        blank=True,
        help_text=_("Spellings not to use in this language, one per line."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TermKind.choices,
                            default=TermKind.OTHER)
    note = models.TextField(_("note"), blank=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="glossary_terms",
        help_text=_("Only for this article; empty for the whole newsroom."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term", "id"]

    def __str__(self):
        return " / ".join(spelling for spelling in self.renderings().values() if spelling)

    def renderings(self):
        return {
            code: (getattr(self, localized_field("term", code), "") or "").strip()
            for code in language_codes()
        }

    def forbidden_variants(self):
        variants = {}
        for code in language_codes():
            text = getattr(self, localized_field("forbidden", code), "") or ""
            lines = tuple(line.strip() for line in text.splitlines() if line.strip())
            if lines:
                variants[code] = lines
        return variants


class CheckDismissal(models.Model):
    """A translator's word that a failing check is wrong here, and why.

    It holds only for the text it was given on: ``text_hash`` covers the
    source and the translation of the unit (``aids.services.unit_text_hash``),
    so any change to either brings the check back.
    """

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE,
        related_name="check_dismissals",
    )
    unit_key = models.CharField(_("paragraph"), max_length=40)
    check_id = models.CharField(_("check"), max_length=50)
    text_hash = models.CharField(_("text hash"), max_length=64)
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dismissed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("dismissed"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed check")
        verbose_name_plural = _("dismissed checks")
        ordering = ["edition", "unit_key", "check_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "unit_key", "check_id", "text_hash"],
                name="check_dismissal_once_per_text",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="check_dismissal_has_reason"),
        ]

    def __str__(self):
        return f"{self.edition} {self.unit_key} {self.check_id}"


class TMSegment(models.Model):
    """One approved source/translation pair: a sentence, or a whole paragraph.

    Filled from live versions (``aids.memory.index``). ``source_hash`` is the
    hash of the normalised source (exact matches); ``bands`` its MinHash
    band hashes (fuzzy matches), empty for texts too short to compare fuzzily.
    """

    source_language = models.CharField(_("source language"), max_length=10,
                                       choices=language_choices)
    target_language = models.CharField(_("target language"), max_length=10,
                                       choices=language_choices)
    source_text = models.TextField(_("source"))
    target_text = models.TextField(_("translation"))
    source_hash = models.CharField(_("source hash"), max_length=64)
    bands = BandsField(_("band hashes"), null=True, blank=True)
    is_paragraph = models.BooleanField(_("whole paragraph"), default=False)
    unit_key = models.CharField(_("paragraph"), max_length=40)
    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("translation memory segment")
        verbose_name_plural = _("translation memory segments")
        indexes = [models.Index(fields=["source_hash"], name="aids_tmsegment_source_hash")]

    def __str__(self):
        return f"{self.source_language}>{self.target_language}: {self.source_text[:60]}"
