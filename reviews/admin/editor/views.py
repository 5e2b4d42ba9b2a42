"""The editor page: GET shows it, POST saves the changed rows and applies one move.

Every write goes through a service (``units_save``, ``version_submit``, the
structure services), which checks the workflow again; their refusals become
messages. A post that cannot be saved whole comes back as the page with the
posted text still in its text areas, so nothing typed is lost.
"""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from translations.models import Edition, Paragraph, Version

from ...services import structure, units_save, version_submit
from ...workflow import Permission, edition_actions, edition_assignees
from .forms import EditorForm, manifest_encode, structure_request
from .page import Conflict, editor_page

TEMPLATE = "admin/reviews/editor.html"


def editor_view(model_admin):
    """The view for ``model_admin`` (the edition admin); wrapped in ``admin_view`` by the caller."""

    def view(request, edition_id):
        edition = edition_visible(request.user, edition_id)
        if request.method in ("GET", "HEAD"):
            return _render(model_admin, request, editor_page(edition=edition, user=request.user))
        if request.method == "POST":
            return _post(model_admin, request, edition)
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])

    # The form names each row holding U+FFFD and keeps the text (config.middleware).
    view.form_bytes_checked = True
    return view


def edition_visible(user, edition_id):
    """The edition, or 404 both when it does not exist and when ``user`` may not see it:
    the page does not tell which ids exist."""
    edition = Edition.objects.select_related("article").filter(pk=edition_id).first()
    if edition is None:
        raise Http404(_("No such edition."))
    edition_assignees(edition)
    if Permission.VIEW not in edition_actions(edition=edition, user=user):
        raise Http404(_("No such edition."))
    return edition


def editor_url(edition):
    return reverse("admin:translations_edition_editor", args=[edition.pk])


def _render(model_admin, request, page, *, delete_key=None):
    opts = model_admin.model._meta
    if not page.is_source:
        _suggest_urls(page)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "title": _("Editor: %(article)s") % {"article": page.article},
        "subtitle": page.language_name,
        "page": page,
        "edition": page.edition,
        "manifest": manifest_encode(row.loaded for row in page.rows),
        "delete_key": delete_key,
        "delete_row": next((r for r in page.rows if r.key == delete_key), None),
        "review_url": _review_url(page.open_review),
        "feedback_url": _review_url(page.feedback),
        "dismiss_url": reverse("admin:translations_edition_editor_dismiss", args=[page.edition.pk]),
        **_machine_urls(page),
        "edition_url": _reverse_or_none(
            f"admin:{opts.app_label}_{opts.model_name}_change", page.edition.pk
        ),
        "changelist_url": _reverse_or_none(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    }
    return TemplateResponse(request, TEMPLATE, context)


def _machine_urls(page):
    """The pre-translation's progress and request URLs and the confirm form's."""
    pk = page.edition.pk
    return {
        "progress_url": reverse("admin:translations_edition_pretranslate_progress", args=[pk]),
        "pretranslate_url": (
            reverse("admin:translations_edition_pretranslate", args=[pk])
            if page.pretranslatable
            else None
        ),
        "confirm_url": reverse("admin:translations_edition_editor_confirm", args=[pk]),
        "pretranslation": page.pretranslation,
    }


def _suggest_urls(page):
    """Each row's suggestions link, from one reverse(): a {% url %} per row costs a 300-row
    page as much as the rest of a row."""
    placeholder = "KEY"
    url = reverse("admin:translations_edition_editor_suggest", args=[page.edition.pk, placeholder])
    head, tail = url.rsplit(placeholder, 1)
    for row in page.rows:
        # Quoted as reverse() quotes a path segment.
        row.suggest_url = f"{head}{quote(row.key, safe=RFC3986_SUBDELIMS + '~:@')}{tail}"


def _reverse_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _review_url(review):
    if review is None:
        return None
    return _reverse_or_none("admin:reviews_version_review", review.version_id)


def _error(request, error):
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


def _labels(article):
    keys = Paragraph.objects.filter(article=article).order_by("position")
    labels = {Version.TITLE_KEY: _("Title")}
    for number, key in enumerate(keys.values_list("key", flat=True), 1):
        labels[key] = _("Paragraph %(n)d") % {"n": number}
    return labels


def _post(model_admin, request, edition):
    user = request.user

    def again(*, pending=None, conflicts=None, orphans=None, delete_key=None):
        edition.refresh_from_db(fields=["state"])
        page = editor_page(
            edition=edition, user=user, pending=pending, conflicts=conflicts, orphans=orphans
        )
        return _render(model_admin, request, page, delete_key=delete_key)

    if Permission.EDIT not in edition_actions(edition=edition, user=user):
        messages.error(
            request,
            _("This edition is %(state)s: you may not change its text now.")
            % {"state": edition.get_state_display().lower()},
        )
        return HttpResponseRedirect(editor_url(edition))
    form = EditorForm(request.POST, labels=_labels(edition.article), is_source=edition.is_source)
    valid = form.is_valid()
    try:
        move = structure_request(request.POST)
    except ValueError:
        valid = False
        form.errors.append(_("The form arrived damaged; reload the page and try again."))
    if not valid:
        for message in dict.fromkeys(form.errors):
            messages.error(request, message)
        return again(pending=form.pending(), orphans=form.orphans)

    conflicts, orphans, unsaved = _save_rows(request, edition, form)
    if unsaved is None:
        return again(pending=form.pending())
    unsaved.update(_split_rows(request, edition, form))
    if conflicts or unsaved or orphans:
        if move or "_submit" in request.POST:
            messages.warning(request, _("Resolve the rows marked below first; then try again."))
        return again(pending=unsaved, conflicts=conflicts, orphans=orphans)
    if move:
        verb, key = move
        if verb == "delete":
            return again(delete_key=key)
        anchor = _structure_apply(request, edition, verb, key)
        return HttpResponseRedirect(editor_url(edition) + (f"#row-{anchor}" if anchor else ""))
    if "_submit" in request.POST:
        _submit(request, edition)
    return HttpResponseRedirect(editor_url(edition))


def _save_rows(request, edition, form):
    """Save the changed rows: ``(conflicts, orphans, unsaved)``; ``unsaved`` is None
    when the service refused the whole save."""
    rows = form.row_inputs()
    if not rows:
        # Said only to a plain save: before a move or a submission it is noise.
        plain_save = not ({"structure", "_submit"} & set(request.POST))
        if plain_save and not any(form.split_of(row) for row in form.rows):
            messages.info(request, _("Nothing to save: no text changed."))
        return {}, {}, {}
    save = structure.source_units_save if edition.is_source else units_save
    try:
        report = save(edition=edition, user=request.user, rows=rows)
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
        return {}, {}, None
    if report.saved:
        count = len(report.saved)
        messages.success(
            request,
            ngettext("Saved %(count)d row.", "Saved %(count)d rows.", count) % {"count": count},
        )
    conflicts = {
        row.key: Conflict(
            theirs=row.theirs,
            mine=row.mine,
            author=row.their_author_id,
            revision=row.their_revision,
        )
        for row in report.conflicts
    }
    if conflicts:
        messages.warning(
            request,
            ngettext(
                "Someone else saved %(count)d row since you opened the page; their text was "
                "not overwritten. Compare both texts below, then keep yours, take theirs or "
                "merge them, and save again.",
                "Someone else saved %(count)d rows since you opened the page; their text was "
                "not overwritten. Compare both texts below, then keep yours, take theirs or "
                "merge them, and save again.",
                len(conflicts),
            )
            % {"count": len(conflicts)},
        )
    orphans = {row.key: row.mine for row in report.with_status("unknown")}
    if orphans:
        messages.error(
            request,
            _("A paragraph you edited was deleted from the article meanwhile; your text for it "
              "is shown at the top."),
        )  # fmt: skip
    return conflicts, orphans, {}


def _split_rows(request, edition, form):
    """Split the source paragraphs that carry a "---" line; ``{key: row}`` of refused ones."""
    refused = {}
    for row in form.rows:
        split = form.split_of(row)
        if split is None or row.take_theirs:
            continue
        text, offset = split
        try:
            structure.paragraph_split(
                edition=edition,
                user=request.user,
                key=row.key,
                offset=offset,
                revision=row.loaded.revision,
                text=text,
            )
        except (PermissionDenied, ValidationError) as error:
            _error(request, error)
            refused[row.key] = row
        else:
            messages.success(
                request, _("Split %(label)s in two.") % {"label": form.labels[row.key]}
            )
    return refused


def _structure_apply(request, edition, verb, key):
    """One structural move; returns the key of the row to scroll to."""
    user = request.user
    try:
        if verb == "insert":
            paragraph = structure.paragraph_insert(edition=edition, user=user, after_key=key)
            messages.success(request, _("Added an empty paragraph."))
            return paragraph.key
        if verb == "delete-confirmed":
            structure.paragraph_delete(edition=edition, user=user, key=key)
            messages.success(request, _("Deleted the paragraph."))
            return None
        if verb in ("up", "down"):
            structure.paragraph_move(edition=edition, user=user, key=key, direction=verb)
            return key
        structure.paragraph_merge(edition=edition, user=user, key=key)
        messages.success(request, _("Merged the paragraph with the next one."))
        return key
    except (PermissionDenied, ValidationError) as error:
        _error(request, error)
        return key


def _submit(request, edition):
    try:
        version = version_submit(edition=edition, user=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _("Not submitted:"))
        _error(request, error)
        return None
    messages.success(
        request, _("Submitted as version %(number)d for review.") % {"number": version.number}
    )
    return version
