"""Small views behind the desk's buttons: each calls one service and says how it went.

``PermissionDenied`` and ``ValidationError`` from a service become error
messages; nothing here decides who may do what.
"""

import re
from functools import wraps

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from reviews import services
from reviews.models import Review, ReviewState
from translations.models import Edition

from .forms import AssignForm

ID = re.compile(r"[0-9]{1,18}")


def refusal(error):
    """The text of a service's refusal."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this on this edition now.")


def next_url(request, default):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def change_url(edition):
    return reverse("admin:translations_edition_change", args=[edition.pk])


def _run(model_admin, request, move, success):
    try:
        move()
    except (PermissionDenied, ValidationError) as error:
        model_admin.message_user(request, refusal(error), messages.ERROR)
        return False
    model_admin.message_user(request, success, messages.SUCCESS)
    return True


def edition_button(view):
    """A POST-only view on one edition of the user's desk, answered by a redirect.

    An edition that left the desk meanwhile (claimed by someone else, say) is
    a message, not an error page.
    """

    @wraps(view)
    def wrapper(model_admin, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        edition = model_admin.get_object(request, unquote(object_id))
        if edition is None:
            model_admin.message_user(
                request,
                _("That edition is not on your desk (any more): someone else may have taken it."),
                messages.ERROR,
            )
            changelist = reverse("admin:translations_edition_changelist")
            return HttpResponseRedirect(next_url(request, changelist))
        view(model_admin, request, edition)
        return HttpResponseRedirect(next_url(request, change_url(edition)))

    return wrapper


@edition_button
def claim(model_admin, request, edition):
    _run(
        model_admin,
        request,
        lambda: services.edition_claim(edition=edition, user=request.user),
        _("You are now working on “%(edition)s”.") % {"edition": edition},
    )


@edition_button
def reopen(model_admin, request, edition):
    comment = request.POST.get("comment", "").strip()
    _run(
        model_admin,
        request,
        lambda: services.edition_reopen(edition=edition, user=request.user, comment=comment),
        _("“%(edition)s” is open for a correction; the approved version stays public.")
        % {"edition": edition},
    )


@edition_button
def withdraw(model_admin, request, edition):
    review = (
        Review.objects.filter(edition=edition, state=ReviewState.OPEN)
        .select_related("version__edition__article")
        .first()
    )
    if review is None:
        model_admin.message_user(
            request, _("No version of this edition is waiting for review."), messages.ERROR
        )
        return
    _run(
        model_admin,
        request,
        lambda: services.version_withdraw(version=review.version, user=request.user),
        _("Version %(number)d is withdrawn; the edition is in progress again.")
        % {"number": review.version.number},
    )


def assign(model_admin, request):
    """Assign the editions named by ``?ids=1,2`` to translators, with deadline and priority.

    All or nothing: one refused edition assigns none of them.
    """
    # ASCII digits a database integer holds: "²" or 25 digits were a server error.
    ids = [part for part in request.GET.get("ids", "").split(",") if ID.fullmatch(part)]
    editions = list(model_admin.get_queryset(request).filter(pk__in=ids).order_by("pk"))
    if not editions:
        raise Http404(_("No such edition on your desk."))
    changelist = reverse("admin:translations_edition_changelist")
    first = editions[0]
    form = AssignForm(
        request.POST or None,
        editions=editions,
        initial={
            "users": [a.user for a in first.assignments.all()] if len(editions) == 1 else [],
            "deadline": first.deadline if len(editions) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        users = list(form.cleaned_data["users"])
        try:
            with transaction.atomic():
                for edition in editions:
                    services.edition_assign(
                        edition=edition,
                        users=users,
                        by=request.user,
                        deadline=form.cleaned_data["deadline"],
                        priority=form.cleaned_data["priority"],
                    )
        except (PermissionDenied, ValidationError) as error:
            model_admin.message_user(request, refusal(error), messages.ERROR)
        else:
            names = ", ".join(user.get_full_name() or user.get_username() for user in users)
            model_admin.message_user(
                request,
                _("Assigned %(count)d edition(s) to %(names)s.")
                % {"count": len(editions), "names": names}
                if users
                else _("%(count)d edition(s) returned to the pool.") % {"count": len(editions)},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(next_url(request, changelist))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Edition._meta,
        "title": _("Assign translators"),
        "editions": editions,
        "form": form,
        "next": next_url(request, ""),
    }
    return TemplateResponse(request, "admin/reviews/desk_assign.html", context)
