from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidsConfig(AppConfig):
    name = "aids"
    verbose_name = _("Translator aids")

    def ready(self):
        # The memory learns from every approved translation.
        from translations.signals import version_published

        from .memory.index import version_published_receiver

        version_published.connect(version_published_receiver, dispatch_uid="aids.tm_index")
