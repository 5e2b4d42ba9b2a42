"""Embargo and withdrawal on the desk: the countdown the lists show, the
edition page's forms, and the small views behind them (each calls one
service in ``reviews.services.lifecycle``).

Times are entered and shown in the newsroom's zone (``TIME_ZONE``,
Asia/Almaty) and stored in UTC.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews import services
from reviews.workflow import Move, lifecycle_actions
from translations.lifecycle.embargo import embargo_end

from .editions.views import edition_button, refusal

AUDIT_LABELS = {
    "reviews.edition.embargo_set": gettext_lazy("Embargo set"),
    "reviews.edition.embargo_lift": gettext_lazy("Embargo lifted"),
    "reviews.article.embargo_set": gettext_lazy("Embargo set on the whole article"),
    "reviews.article.embargo_lift": gettext_lazy("Embargo on the whole article lifted"),
    "reviews.article.withdraw": gettext_lazy("Article withdrawn"),
    "reviews.article.reinstate": gettext_lazy("Article reinstated"),
}
# Article-level entries that show on each of its editions' timelines.
ARTICLE_TIMELINE_ACTIONS = tuple(key for key in AUDIT_LABELS if key.startswith("reviews.article."))
UNTIL_FORMAT = "%Y-%m-%dT%H:%M"


def countdown(until, now=None):
    """``"in 2 h 10 min"`` from ``now`` to ``until`` (a minute at least)."""
    now = timezone.now() if now is None else now
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("in %(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("in %(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("in %(minutes)d min") % {"minutes": minutes}


def embargo_badge(edition, now=None):
    """The embargo of a desk list's row, with its countdown; ``""`` when none runs.

    Reads the edition's article as selected along, so it costs no query.
    """
    now = timezone.now() if now is None else now
    until = embargo_end(edition)
    if until is None or until <= now:
        return ""
    local = timezone.localtime(until)
    return format_html(
        '<span class="desk-embargo" data-until="{}">{} {} · <span class="desk-countdown">{}'
        "</span></span>",
        until.isoformat(),
        _("Embargoed until"),
        date_format(local, "j M, H:i"),
        countdown(until, now),
    )


def withdrawn_badge(edition):
    when = edition.article.withdrawn_at
    if when is None:
        return ""
    return format_html(
        '<span class="desk-withdrawn">{} {}</span>',
        _("Withdrawn"),
        date_format(timezone.localtime(when), "j M, H:i"),
    )


def page_context(request, edition):
    """What the edition page shows of the lifecycle, and the forms the user may send."""
    allowed = lifecycle_actions(edition=edition, user=request.user)
    article = edition.article

    def url(name):
        return reverse(f"admin:translations_edition_{name}", args=[edition.pk])

    now = timezone.now()
    return {
        "embargo_badge": embargo_badge(edition, now),
        "withdrawn_badge": withdrawn_badge(edition),
        "embargo_edition": edition.embargo_until,
        "embargo_article": article.embargo_until,
        "embargo_set_url": url("embargo") if Move.EMBARGO_SET in allowed else None,
        "embargo_lift_url": (
            url("embargo_lift")
            if Move.EMBARGO_LIFT in allowed and (edition.embargo_until or article.embargo_until)
            else None
        ),
        "embargo_min": timezone.localtime(now).strftime(UNTIL_FORMAT),
        "withdraw_url": url("article_withdraw") if Move.ARTICLE_WITHDRAW in allowed else None,
        "reinstate_url": url("article_reinstate") if Move.ARTICLE_REINSTATE in allowed else None,
        "withdrawn_reason": article.withdrawn_reason,
    }


def until_parse(raw):
    """``YYYY-MM-DDTHH:MM`` in the newsroom's zone → an aware time; else a ValidationError."""
    try:
        local = datetime.datetime.strptime((raw or "").strip(), UNTIL_FORMAT)
    except ValueError:
        raise ValidationError(
            _("Give the embargo's end as a date and a time (Asia/Almaty).")
        ) from None
    return timezone.make_aware(local, timezone.get_default_timezone())


def _run(model_admin, request, move, success):
    try:
        move()
    except (PermissionDenied, ValidationError) as error:
        model_admin.message_user(request, refusal(error), messages.ERROR)
    else:
        model_admin.message_user(request, success, messages.SUCCESS)


def _whole(request):
    return request.POST.get("scope") == "article"


@edition_button
def embargo_set_view(model_admin, request, edition):
    def move():
        until = until_parse(request.POST.get("until"))
        services.embargo_set(
            edition=edition, user=request.user, until=until, whole_article=_whole(request)
        )

    _run(model_admin, request, move, _("The embargo is set: nothing of it is public before then."))


@edition_button
def embargo_lift_view(model_admin, request, edition):
    _run(
        model_admin,
        request,
        lambda: services.embargo_lift(
            edition=edition, user=request.user, whole_article=_whole(request)
        ),
        _("The embargo is lifted."),
    )


@edition_button
def withdraw_view(model_admin, request, edition):
    _run(
        model_admin,
        request,
        lambda: services.article_withdraw(
            edition=edition, user=request.user, reason=request.POST.get("reason", "")
        ),
        _("The article is withdrawn from every public page, in every language."),
    )


@edition_button
def reinstate_view(model_admin, request, edition):
    _run(
        model_admin,
        request,
        lambda: services.article_reinstate(
            edition=edition, user=request.user, comment=request.POST.get("comment", "")
        ),
        _("The article is public again."),
    )
