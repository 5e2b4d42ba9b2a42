from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Translation desk")

    def ready(self):
        from django.db.models.signals import post_migrate

        from translations.signals import source_changed, version_published

        from . import clocks, notifications, roles

        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="reviews.roles")

        source_changed.connect(notifications.source_changed, dispatch_uid="reviews.source_changed")
        version_published.connect(clocks.version_published, dispatch_uid="reviews.clocks")
