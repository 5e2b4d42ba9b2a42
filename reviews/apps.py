from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Translation desk")

    def ready(self):
        from django.db.models.signals import post_migrate

        from translations.disclosure import disclosure_source_add
        from translations.signals import source_changed, version_published

        from . import clocks, notifications, roles
        from .selectors.machine import machine_disclosure
        from .services import deriving

        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="reviews.roles")

        source_changed.connect(notifications.source_changed, dispatch_uid="reviews.source_changed")
        disclosure_source_add(machine_disclosure)
        # A live kk version is transliterated into a kk-latn version for review.
        version_published.connect(
            deriving.version_published_receiver, dispatch_uid="reviews.derive"
        )

        from django.contrib.auth.signals import user_logged_in

        from .preferences.middleware import desk_language_at_login

        user_logged_in.connect(desk_language_at_login, dispatch_uid="reviews.desk_language")
        version_published.connect(clocks.version_published, dispatch_uid="reviews.clocks")
