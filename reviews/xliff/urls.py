"""XLIFF download and upload, mounted at /admin/xliff/ (namespace ``xliff``)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "xliff"

urlpatterns = [
    path(
        "editions/<int:pk>/export/",
        admin.site.admin_view(views.export_edition),
        name="export",
    ),
    path("export/", admin.site.admin_view(views.export_batch), name="export_batch"),
    path("import/", admin.site.admin_view(views.import_upload), name="import"),
]
