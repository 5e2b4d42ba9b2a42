"""Admin actions for the edition changelist ("My work"): download the chosen
editions as one zip of XLIFF files. The edition admin lists them in
``actions``; the service checks that the user may see every edition."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from .export import xliff_export_batch
from .views import refusal


def _export(model_admin, request, queryset, xliff_version):
    editions = list(queryset.select_related("article").order_by("pk"))
    try:
        content, _exports = xliff_export_batch(
            editions=editions, user=request.user, xliff_version=xliff_version
        )
    except (PermissionDenied, ValidationError) as error:
        model_admin.message_user(request, refusal(error), messages.ERROR)
        return None
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, "tilmash-xliff.zip")
    return response


@admin.action(description=_("Download as XLIFF 2.0 (zip)"))
def export_xliff_20(model_admin, request, queryset):
    return _export(model_admin, request, queryset, "2.0")


@admin.action(description=_("Download as XLIFF 1.2 (zip)"))
def export_xliff_12(model_admin, request, queryset):
    return _export(model_admin, request, queryset, "1.2")
