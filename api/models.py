"""API keys: one per system (the CMS, a wire desk), created in the admin.

Only a digest of the secret is stored. The full key is shown once, when the
key is created; afterwards the admin shows its public prefix, which is also
how a request names its key (``tlm_<prefix>_<secret>``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    READ = "read", _("Read editions' state")
    INGEST = "ingest", _("Ingest articles and open editions")


class ApiKey(models.Model):
    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("The system that uses this key.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("secret digest"), max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    # Empty: every language the desk has.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.revoked_at is None

    def allows(self, scope):
        return scope in self.scopes

    def allows_language(self, language):
        return not self.languages or language in self.languages
