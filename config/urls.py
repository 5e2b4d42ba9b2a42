from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from translations import views as public_views
from translations.sitemaps import sitemaps as public_sitemaps

urlpatterns = [
    path("admin/xliff/", include("reviews.xliff.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("translations.urls")),
    prefix_default_language=True,
)

# Outside the language prefix: one sitemap for all languages, and the probe.
urlpatterns += [
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": public_sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("healthz", public_views.healthz, name="healthz"),
]
