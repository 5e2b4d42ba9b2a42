"""Public URLs, mounted under ``i18n_patterns`` (``/<lang>/…``) in config/urls.py."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    path("corrections/", views.corrections, name="corrections"),
]
