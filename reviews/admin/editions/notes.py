"""The pages behind "Open a correction", "Open an update" and "Public note".

Each shows the edition's live text's note (the source's, for a translator to
translate) and one field, and posts to one service; a refusal is an error
message and the form again, with what was typed. Who may do what is the
services' business (``reviews.workflow``): the buttons that lead here are
drawn from it too.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews import services
from translations.models import Edition, VersionKind

from .views import change_url, refusal

PAGES = {
    "correction": {
        "title": gettext_lazy("Open a correction"),
        "help": gettext_lazy(
            "The public correction note says what was wrong, as readers will see it "
            "(“An earlier version of this article gave …”). The live version stays public "
            "until the corrected version is approved."
        ),
        "service": services.correction_open,
        "done": gettext_lazy(
            "A correction is open on “%(edition)s”: correct the text, then submit."
        ),
    },
    "update": {
        "title": gettext_lazy("Open an update"),
        "help": gettext_lazy(
            "The advisory line tells readers what the update adds "
            "(“Adds the minister's reaction in paragraph 4”)."
        ),
        "service": services.update_open,
        "done": gettext_lazy("An update is open on “%(edition)s”: change the text, then submit."),
    },
    "note": {
        "title": gettext_lazy("Public note"),
        "help": gettext_lazy(
            "Readers see this note with the approved version, in this edition's language."
        ),
        "service": services.edition_note_save,
        "done": gettext_lazy("The public note of “%(edition)s” is saved."),
    },
}


def source_note(edition):
    """The note of the source's live version, when it is an update or a correction."""
    article = edition.article
    if edition.language == article.source_language:
        return None
    source = (
        Edition.objects.filter(article=article, language=article.source_language)
        .select_related("live_version")
        .first()
    )
    version = source.live_version if source else None
    if version is None or version.kind == VersionKind.STANDARD:
        return None
    return version


def note_page(page):
    """The view of one of :data:`PAGES` for the edition admin."""
    spec = PAGES[page]

    def view(model_admin, request, object_id):
        edition = model_admin.get_object(request, unquote(object_id))
        if edition is None:
            raise Http404(_("That edition is not on your desk."))
        note = edition.working_note if page == "note" else ""
        if request.method == "POST":
            note = request.POST.get("note", "")
            try:
                spec["service"](edition=edition, user=request.user, note=note)
            except (PermissionDenied, ValidationError) as error:
                model_admin.message_user(request, refusal(error), messages.ERROR)
            else:
                model_admin.message_user(
                    request, spec["done"] % {"edition": edition}, messages.SUCCESS
                )
                return HttpResponseRedirect(change_url(edition))
        context = {
            **model_admin.admin_site.each_context(request),
            "title": spec["title"],
            "help": spec["help"],
            "edition": edition,
            "note": note,
            "source_version": source_note(edition),
            "opts": model_admin.model._meta,
            "change_url": change_url(edition),
        }
        return TemplateResponse(request, "admin/reviews/edition_note.html", context)

    view.__name__ = f"{page}_page"
    return view


correction = note_page("correction")
update = note_page("update")
note = note_page("note")
