from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Translation desk")

    def ready(self):
        from django.db.models.signals import post_migrate

        from translations.signals import source_changed

        from . import notifications, roles

        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="reviews.roles")

        source_changed.connect(notifications.source_changed, dispatch_uid="reviews.source_changed")

        from django.contrib.auth.signals import user_logged_in

        from .preferences.middleware import desk_language_at_login

        user_logged_in.connect(desk_language_at_login, dispatch_uid="reviews.desk_language")
