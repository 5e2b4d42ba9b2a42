from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from translations.signals import article_moved, edition_moved, version_published

        from . import events

        version_published.connect(events.version_published, dispatch_uid="webhooks.published")
        edition_moved.connect(events.edition_moved, dispatch_uid="webhooks.edition_moved")
        article_moved.connect(events.article_moved, dispatch_uid="webhooks.article_moved")
