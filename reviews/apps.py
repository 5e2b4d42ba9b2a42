from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Translation desk")

    def ready(self):
        from translations.signals import source_changed

        from . import notifications

        source_changed.connect(notifications.source_changed, dispatch_uid="reviews.source_changed")
