from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Content")

    def ready(self):
        from django.conf import settings
        from django.conf.locale import LANG_INFO
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import cache, pages, search

        for code, info in getattr(settings, "TILMASH_LANGUAGE_INFO", {}).items():
            LANG_INFO.setdefault(code, info)
        cache.connect()
        pages.connect()
        post_migrate.connect(search.indexes_ensure, sender=self)
        connection_created.connect(search.sqlite_functions)
