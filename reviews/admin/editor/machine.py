"""Pre-translation on the desk: the request, its progress, the machine rows and their confirmation.

- :func:`machine_apply` marks the editor's rows whose text is still the
  machine's and unconfirmed, and puts the latest pre-translation on the page
  (two queries, whatever the article's length).
- ``pretranslate_view`` (POST) asks the worker to pre-translate the edition;
  ``progress_view`` (GET) answers its progress as JSON, which
  ``static/reviews/pretranslate.js`` polls while the run is queued or running;
  ``confirm_view`` (POST) confirms machine rows (one ``key``, or ``all``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...services.machine import (
    edition_pretranslate,
    machine_confirm,
    machine_drafts_of,
    machine_unconfirmed_keys,
    pretranslation_latest,
)
from .forms import KEY
from .views import edition_visible, editor_url


def machine_apply(page):
    """Mark ``page``'s rows the machine wrote and nobody confirmed or edited since."""
    page.pretranslation = pretranslation_latest(page.edition)
    if page.is_source:
        return
    drafts = machine_drafts_of(page.edition)
    if not drafts:
        return
    waiting = machine_unconfirmed_keys(drafts, {row.key: row.stored for row in page.rows})
    for row in page.rows:
        row.machine = row.key in waiting


def progress_url(edition):
    return reverse("admin:translations_edition_pretranslate_progress", args=[edition.pk])


def progress_data(run):
    """The JSON the progress poll reads (also what the page shows first)."""
    if run is None:
        return {"state": "", "active": False}
    return {
        "state": run.state,
        "state_label": run.get_state_display(),
        "active": run.active,
        "total": run.total,
        "done": run.done,
        "skipped": run.skipped,
        "failed": run.failed,
        "percent": run.percent,
        "message": run.message,
    }


def _back(request, default):
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def pretranslate_view(model_admin):
    """POST: queue the edition's pre-translation; back to where the button was."""

    def view(request, edition_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        edition = edition_visible(request.user, edition_id)
        try:
            edition_pretranslate(edition=edition, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The machine is pre-translating the untranslated paragraphs; "
                  "progress is shown below."),
            )
        return HttpResponseRedirect(_back(request, editor_url(edition)))

    return view


def progress_view(model_admin):
    """GET: the latest pre-translation's progress as JSON (for anyone who sees the edition)."""

    def view(request, edition_id):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        edition = edition_visible(request.user, edition_id)
        response = JsonResponse(progress_data(pretranslation_latest(edition)))
        response["Cache-Control"] = "no-store"
        return response

    return view


def confirm_view(model_admin):
    """POST ``key`` (one row) or ``all``: the machine's text of those rows is confirmed."""

    def view(request, edition_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        edition = edition_visible(request.user, edition_id)
        key = request.POST.get("key", "")
        if request.POST.get("all") == "1":
            keys = machine_drafts_of(edition).keys()
            anchor = ""
        elif KEY.fullmatch(key):
            keys, anchor = [key], f"#row-{key}"
        else:
            messages.error(request, _("Say which paragraph to confirm."))
            return HttpResponseRedirect(editor_url(edition))
        try:
            count = machine_confirm(edition=edition, user=request.user, keys=keys)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "Confirmed %(count)d machine-translated paragraph.",
                        "Confirmed %(count)d machine-translated paragraphs.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.warning(
                    request, _("Nothing to confirm: no machine text is waiting there.")
                )
        return HttpResponseRedirect(editor_url(edition) + anchor)

    return view
