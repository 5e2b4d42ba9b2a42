"""Download editions as XLIFF; upload a translated file and read the report.

Each view calls one service; ``PermissionDenied`` and ``ValidationError``
become error messages. Who may do what is decided in the services.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from translations.models import Edition

from ..workflow import editions_visible_to
from . import formats
from .export import xliff_export, xliff_export_batch
from .forms import XliffImportForm
from .importing import STATUS_TOTALS, xliff_import
from .parsing import byte_limit


def refusal(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this on this edition now.")


def _back(request):
    for url in (request.GET.get("next"), request.POST.get("next"), request.headers.get("referer")):
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(url)
    return HttpResponseRedirect(reverse("admin:index"))


def _refused(request, error):
    messages.error(request, refusal(error))
    return _back(request)


def _attachment(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _version(request):
    return request.GET.get("version") or request.POST.get("version") or formats.DEFAULT_VERSION


def _is_id(value):
    """A primary key as a form may post it: ASCII digits a database integer holds.

    ``str.isdigit`` alone lets "²" through (``int`` refuses it) and any length
    (past 2**63 the database driver overflows): both were a server error.
    """
    return value.isascii() and value.isdigit() and len(value) <= 18


def _visible(request):
    return editions_visible_to(request.user, Edition.objects.select_related("article"))


@require_GET
def export_edition(request, pk):
    """One edition as XLIFF (``?version=2.0`` or ``1.2``)."""
    edition = get_object_or_404(_visible(request), pk=pk)
    try:
        export = xliff_export(edition=edition, user=request.user, xliff_version=_version(request))
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error)
    return _attachment(export.content, export.filename, formats.CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
def export_batch(request):
    """Several editions as a zip: POST ``ids`` (repeated), or GET ``ids=1,2,3``."""
    raw = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    ids = [item.strip() for value in raw for item in value.split(",") if item.strip()]
    if not ids or not all(_is_id(item) for item in ids):
        return _refused(request, ValidationError(_("Choose the editions to export.")))
    ids = list(dict.fromkeys(int(item) for item in ids))
    found = _visible(request).in_bulk(ids)
    if len(found) != len(ids):
        return _refused(
            request, PermissionDenied(_("Some of these editions are not on your desk."))
        )
    try:
        content, _exports = xliff_export_batch(
            editions=[found[pk] for pk in ids], user=request.user, xliff_version=_version(request)
        )
    except (PermissionDenied, ValidationError) as error:
        return _refused(request, error)
    return _attachment(content, "tilmash-xliff.zip", "application/zip")


class UploadLimit(FileUploadHandler):
    """Stops taking an uploaded file past ``TILMASH_MAX_XLIFF_BYTES``, so a huge
    upload is neither held in memory nor written to a temporary file."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = byte_limit()
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt
def import_upload(request):
    """The upload form, and the report of what an upload did to every unit."""
    # Upload handlers must be in place before anything reads the body, CSRF
    # included; the CSRF check itself follows in _import_page.
    limit = UploadLimit(request)
    request.upload_handlers.insert(0, limit)
    return _import_page(request, limit)


@csrf_protect
def _import_page(request, limit):
    edition_id = request.POST.get("edition") or request.GET.get("edition")
    edition = None
    if edition_id:
        if not _is_id(str(edition_id)):
            raise Http404(_("No such edition on your desk."))
        edition = get_object_or_404(_visible(request), pk=edition_id)
    report = None
    if request.method == "POST":
        form = XliffImportForm(request.POST, request.FILES)
        if limit.exceeded:
            messages.error(
                request,
                _("The file is larger than the limit of %(limit)s bytes: nothing imported.")
                % {"limit": f"{byte_limit():,}"},
            )
        elif form.is_valid():
            report = _run_import(request, form.cleaned_data["file"], edition)
    else:
        form = XliffImportForm()
    context = {
        **admin.site.each_context(request),
        "title": _("Import XLIFF"),
        "form": form,
        "edition": edition,
        "editor_url": _editor_url(edition),
        "report": report,
        "rows": _report_rows(report),
    }
    return TemplateResponse(request, "admin/reviews/xliff_import.html", context)


def _run_import(request, upload, edition):
    name = (upload.name or "upload")[:120]
    try:
        report = xliff_import(source=upload, user=request.user, name=name, edition=edition)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, refusal(error))
        return None
    units = sum(len(file.units) for file in report.files)
    refused = len(report.refused)
    if refused:
        messages.warning(
            request,
            ngettext(
                "Imported, but %(refused)d unit was not written: see the report.",
                "Imported, but %(refused)d units were not written: see the report.",
                refused,
            )
            % {"refused": refused},
        )
    else:
        messages.success(
            request,
            ngettext(
                "Imported: %(units)d unit accounted for.",
                "Imported: %(units)d units accounted for.",
                units,
            )
            % {"units": units},
        )
    return report


def _report_rows(report):
    if report is None:
        return []
    rows = []
    for file in report.files:
        counts = [(STATUS_TOTALS[status], n) for status, n in file.counts().items() if n]
        rows.append((file, _editor_url(file.edition), counts))
    return rows


def _editor_url(edition):
    if edition is None:
        return None
    try:
        return reverse("admin:translations_edition_editor", args=[edition.pk])
    except NoReverseMatch:
        return None
