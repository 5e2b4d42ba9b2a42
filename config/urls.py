from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from translations import news_sitemap
from translations import sitemaps as public_sitemaps
from translations import views as public_views

urlpatterns = [
    path("admin/xliff/", include("reviews.xliff.urls")),
    path("admin/preferences/", include("reviews.preferences.urls")),
    path("admin/dashboard/", include("reviews.dashboard.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("translations.urls")),
    prefix_default_language=True,
)

# Outside the language prefix: one sitemap for all languages, and the probe.
urlpatterns += [
    path("sitemap.xml", public_sitemaps.sitemap_index, name="sitemap"),
    # Before the days' sitemaps: the index names it as its "news" section.
    path("sitemap-news.xml", news_sitemap.news_sitemap, name="sitemap-news"),
    path("sitemap-<str:section>.xml", public_sitemaps.sitemap_section, name="sitemap-section"),
    path("healthz", public_views.healthz, name="healthz"),
    # The REST API (api/urls.py): /api/v1/… and its docs page /api/docs.
    path("api/", include("api.urls")),
]

# A lost database connection is a 503 page, not a 500 (config/middleware.py).
handler500 = "config.middleware.server_error"
