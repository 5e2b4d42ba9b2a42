"""The version page and the handlers its forms post to.

Each handler calls one service and turns its ``PermissionDenied`` or
``ValidationError`` into a message; the rules are the services' (and
``reviews.workflow``'s), never decided here.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from reviews import services
from reviews.models import Comment
from reviews.selectors import version_for_review
from reviews.services import comments
from reviews.workflow import Permission, version_actions
from translations.models import Version

from .forms import credit_formset
from .page import version_page


def _version(request, version_id):
    """The version with what the page reads of it; 404 when it does not exist.

    Who may see or do what is checked by the page (``Permission.VIEW``) and by
    each service, not here.
    """
    try:
        version = version_for_review(version_id=version_id)
    except Version.DoesNotExist:
        raise Http404(_("No such version.")) from None
    return version


def _refusal(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this on this version now.")


def _page_url(version, unit_key=None):
    url = reverse("admin:reviews_version_review", args=[version.pk])
    return f"{url}#unit-{unit_key}" if unit_key else url


def _render(model_admin, request, version, *, status=200, credit_data=None, decision_comment=""):
    context = version_page(version=version, user=request.user, credit_data=credit_data)
    if Permission.VIEW not in context["actions"]:
        raise PermissionDenied
    article = context["article"]
    context.update(
        model_admin.admin_site.each_context(request),
        opts=model_admin.opts,
        title=_("%(article)s: version %(number)d") % {"article": article, "number": version.number},
        subtitle=None,
        decision_comment=decision_comment,
    )
    return TemplateResponse(request, "admin/reviews/review_version.html", context, status=status)


def version_review(model_admin, request, version_id):
    """The version page: each unit's source, text and changes, with comments,
    checks, credits and the decision."""
    version = _version(request, version_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseRedirect(_page_url(version))
    return _render(model_admin, request, version)


def version_decide(model_admin, request, version_id):
    """Approve, request changes or withdraw: one service call each."""
    version = _version(request, version_id)
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    try:
        if decision == "approve":
            services.version_approve(version=version, user=request.user, comment=comment)
            done = _("Version %(number)d is approved and live.")
        elif decision == "request_changes":
            services.version_request_changes(version=version, user=request.user, comment=comment)
            done = _("Changes requested on version %(number)d; the translators are told.")
        elif decision == "withdraw":
            services.version_withdraw(version=version, user=request.user)
            done = _("Version %(number)d is withdrawn from review.")
        else:
            raise ValidationError(_("Choose a decision."))
    except (PermissionDenied, ValidationError) as error:
        model_admin.message_user(request, _refusal(error), messages.ERROR)
        # Show the page again with what was typed, so a refused comment is not lost.
        version = _version(request, version_id)
        status = 403 if isinstance(error, PermissionDenied) else 400
        return _render(model_admin, request, version, status=status, decision_comment=comment)
    model_admin.message_user(request, done % {"number": version.number}, messages.SUCCESS)
    return HttpResponseRedirect(_page_url(version))


def comment_post(model_admin, request, version_id):
    """Add a comment to a unit, or a reply to a thread (``parent``)."""
    version = _version(request, version_id)
    unit_key = request.POST.get("unit_key", "")
    parent = None
    if request.POST.get("parent"):
        parent = (
            Comment.objects.filter(
                pk=_int(request.POST["parent"]), version__edition_id=version.edition_id
            )
            .select_related("parent", "version__edition__article")
            .first()
        )
        if parent is None:
            model_admin.message_user(request, _("That comment no longer exists."), messages.ERROR)
            return HttpResponseRedirect(_page_url(version, unit_key))
        unit_key = parent.unit_key
    try:
        comments.comment_add(
            version=parent.version if parent else version,
            unit_key=unit_key,
            user=request.user,
            body=request.POST.get("body", ""),
            parent=parent,
        )
    except (PermissionDenied, ValidationError) as error:
        model_admin.message_user(request, _refusal(error), messages.ERROR)
    return HttpResponseRedirect(_page_url(version, unit_key))


def comment_resolve_post(model_admin, request, version_id):
    version = _version(request, version_id)
    comment = get_object_or_404(
        Comment.objects.select_related("parent", "version__edition__article"),
        pk=_int(request.POST.get("comment")),
        version__edition_id=version.edition_id,
    )
    try:
        comments.comment_resolve(comment=comment, user=request.user)
    except (PermissionDenied, ValidationError) as error:
        model_admin.message_user(request, _refusal(error), messages.ERROR)
    return HttpResponseRedirect(_page_url(version, comment.unit_key))


def unit_check_post(model_admin, request, version_id):
    """Set or clear a unit's "checked" mark; answers JSON to the page's script."""
    version = _version(request, version_id)
    unit_key = request.POST.get("unit_key", "")
    checked = request.POST.get("checked") == "1"
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        comments.unit_check_set(
            version=version, unit_key=unit_key, user=request.user, checked=checked
        )
    except (PermissionDenied, ValidationError) as error:
        if wants_json:
            return JsonResponse({"error": _refusal(error)}, status=403)
        model_admin.message_user(request, _refusal(error), messages.ERROR)
        return HttpResponseRedirect(_page_url(version, unit_key))
    if wants_json:
        done = len(comments.checked_keys(version, version.edition.paragraph_checks.all()))
        return JsonResponse({"checked": checked, "count": done, "total": len(version.units)})
    return HttpResponseRedirect(_page_url(version, unit_key))


def credits_post(model_admin, request, version_id):
    """Correct names, order and roles of the credits, or add a contributor."""
    version = _version(request, version_id)
    if Permission.EDIT_CREDITS not in version_actions(version=version, user=request.user):
        model_admin.message_user(
            request,
            _("Only an editor may change the credits of a version in review."),
            messages.ERROR,
        )
        return HttpResponseRedirect(_page_url(version))
    formset = credit_formset(
        credits=list(version.credits.select_related("contributor")), data=request.POST
    )
    if not formset.is_valid():
        model_admin.message_user(request, _("Please correct the credits below."), messages.ERROR)
        return _render(model_admin, request, version, status=400, credit_data=request.POST)
    try:
        services.version_credits_set(
            version=version, user=request.user, credits=formset.credits, names=formset.names
        )
    except (PermissionDenied, ValidationError) as error:
        model_admin.message_user(request, _refusal(error), messages.ERROR)
        status = 403 if isinstance(error, PermissionDenied) else 400
        return _render(model_admin, request, version, status=status, credit_data=request.POST)
    model_admin.message_user(request, _("The credits are saved."), messages.SUCCESS)
    return HttpResponseRedirect(_page_url(version) + "#credits")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
