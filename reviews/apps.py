from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Translation desk")

    def ready(self):
        from django.db.models.signals import post_migrate

        from translations.disclosure import disclosure_source_add
        from translations.signals import source_changed

        from . import notifications, roles
        from .selectors.machine import machine_disclosure

        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="reviews.roles")

        source_changed.connect(notifications.source_changed, dispatch_uid="reviews.source_changed")
        disclosure_source_add(machine_disclosure)
