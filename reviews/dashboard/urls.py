"""The desk dashboard, mounted at /admin/dashboard/ (namespace ``desk_dashboard``)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "desk_dashboard"

urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
    path("dashboard.csv", admin.site.admin_view(views.dashboard_csv), name="csv"),
]
