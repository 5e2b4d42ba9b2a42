"""The aids behind the editor's rows: dismissing a check, suggestions for one unit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from translations.models import Paragraph, Version

from ...services import check_dismiss
from . import aids
from .forms import KEY
from .views import edition_visible, editor_url


def dismiss_view(model_admin):
    """POST ``unit_key``, ``check_id`` and ``reason``: the check does not apply there."""

    def view(request, edition_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        edition = edition_visible(request.user, edition_id)
        key = request.POST.get("unit_key", "")
        back = HttpResponseRedirect(
            editor_url(edition) + (f"#row-{key}" if KEY.fullmatch(key) else "")
        )
        try:
            check_dismiss(
                edition=edition,
                unit_key=key,
                check_id=request.POST.get("check_id", ""),
                reason=request.POST.get("reason", ""),
                user=request.user,
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Check dismissed; the reason is recorded."))
        return back

    return view


def suggest_view(model_admin):
    """Memory suggestions and a machine draft for one unit, as a page or (``?fragment=1``)
    the part the editor's script shows under the row."""

    def view(request, edition_id, key):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        edition = edition_visible(request.user, edition_id)
        article = edition.article
        if edition.is_source:
            raise Http404(_("The source text needs no suggestions."))
        if key == Version.TITLE_KEY:
            unit, label = article, _("Title")
        else:
            unit = Paragraph.objects.filter(article=article, key=key).first()
            if unit is None:
                raise Http404(_("No such paragraph."))
            label = _("Paragraph %(n)d") % {"n": unit.position}
        source = unit.text_in(article.source_language)
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("Suggestions: %(label)s") % {"label": label},
            "edition": edition,
            "key": key,
            "label": label,
            "source": source,
            "editor_url": editor_url(edition),
            **aids.suggestions(edition=edition, key=key, source=source),
        }
        template = (
            "admin/reviews/_editor_suggestions.html"
            if request.GET.get("fragment") == "1"
            else "admin/reviews/editor_suggestions.html"
        )
        return TemplateResponse(request, template, context)

    return view
