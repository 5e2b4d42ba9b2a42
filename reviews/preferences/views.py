"""The "My preferences" page; the header's language switcher posts here too."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reviews.models import DESK_LANGUAGES

from .middleware import desk_language_remember
from .services import desk_language_choices, desk_language_get, desk_language_set


def _back(request):
    """Where the switcher was used (a page of the desk), else this page."""
    target = request.POST.get("next", "")
    if target.startswith(reverse("admin:index")) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("preferences:edit")


@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        language = request.POST.get("language", "")
        try:
            desk_language_set(user=request.user, language=language)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            desk_language_remember(request, language)
            # The confirmation is the first thing said in the new language.
            translation.activate(language)
            messages.success(
                request,
                _("The desk now speaks %(language)s.")
                % {"language": dict(DESK_LANGUAGES)[language]},
            )
        return redirect(_back(request))
    context = {
        **admin.site.each_context(request),
        "title": _("My preferences"),
        "languages": desk_language_choices(),
        "current": translation.get_language(),
        "chosen": desk_language_get(user=request.user),
    }
    return TemplateResponse(request, "admin/reviews/preferences.html", context)
