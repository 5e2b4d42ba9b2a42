"""The "Import article" page: upload or paste, preview, confirm.

Added to the article admin (``admin:translations_article_import``). The first
post previews (nothing is written); the preview page carries the text, the
choices and a signed token, and its "Confirm import" writes exactly what was
shown, or says the article changed meanwhile. Each step calls one service in
``reviews.services.importing``, which checks who may import what.
"""

import base64
import binascii

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from translations.importing import ArticleImportError, docx_byte_limit, docx_text
from translations.languages import language_choices, language_name
from translations.models import Article, CreditRole

from ..services import article_import_confirm, article_import_preview
from ..workflow import import_page_allowed, roles_of

ZIP_MAGIC = b"PK\x03\x04"
# Lines shown around the line an error names.
CONTEXT_LINES = 3


def upload_limit():
    return max(settings.TILMASH_MAX_IMPORT_BYTES, docx_byte_limit())


class ArticleImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "A plain-text article (UTF-8: title; blank line; dateline DD.MM.YYYY, HH:MM; "
            "paragraphs separated by blank lines; credit lines) or a Word document (.docx) "
            "laid out the same way, one paragraph per block."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,text/plain"}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90, "class": "vLargeTextField"}),
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=language_choices)
    article = forms.CharField(
        label=_("Existing article (slug)"),
        required=False,
        max_length=200,
        help_text=_(
            "Leave empty for a new article (or an update of the same title and dateline). "
            "Name an article to import a new source text, or a translation made outside the desk."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish"),
        required=False,
        help_text=_("Editors only: make the text the approved, public version with its credits."),
    )

    def clean_article(self):
        slug = self.cleaned_data["article"].strip()
        if slug and not Article.objects.filter(slug=slug).exists():
            raise ValidationError(_("There is no article with this slug."))
        return slug or None

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise ValidationError(_("Upload a file or paste text, not both."))
        if not upload and not text.strip():
            raise ValidationError(_("Upload a file or paste the text."))
        return cleaned

    def data_bytes(self):
        """The plain-text format's bytes, a .docx read into it; ArticleImportError if unreadable."""
        upload = self.cleaned_data.get("file")
        if not upload:
            return self.cleaned_data["text"].replace("\r\n", "\n").encode("utf-8")
        data = upload.read(upload_limit() + 1)
        if data.startswith(ZIP_MAGIC) or upload.name.lower().endswith(".docx"):
            return docx_text(data)
        return data


class ConfirmForm(forms.Form):
    # The previewed bytes exactly, as base64: a textarea would come back with its
    # line ends turned into CRLF by the browser, and so differ from the preview.
    data = forms.CharField(strip=False)
    language = forms.ChoiceField(choices=language_choices)
    article = forms.CharField(required=False, max_length=200)
    publish = forms.BooleanField(required=False)
    token = forms.CharField(max_length=2000)

    def clean_data(self):
        try:
            return base64.b64decode(self.cleaned_data["data"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(_("The confirmation was incomplete: nothing imported.")) from None


class UploadLimit(FileUploadHandler):
    """Stops taking an upload past :func:`upload_limit`: never held in memory nor on disk."""

    def __init__(self, request=None):
        super().__init__(request)
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > upload_limit():
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def import_view(model_admin):
    """The page's view, for ``model_admin.get_urls`` (wrapped in ``admin_view``)."""

    @csrf_exempt
    def view(request):
        # The handler must be in place before the CSRF check reads the body.
        limit = UploadLimit(request)
        request.upload_handlers.insert(0, limit)
        return _page(request, model_admin, limit)

    return view


@csrf_protect
def _page(request, model_admin, limit):
    if not import_page_allowed(request.user):
        raise PermissionDenied
    # "Import a new text into this article" (the article's page) names it and its language.
    initial = {
        "language": request.GET.get("language") or settings.LANGUAGE_CODE,
        "article": request.GET.get("article", "")[:200],
    }
    context = {"form": ArticleImportForm(initial=initial)}
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, model_admin, context)
    if request.method == "POST":
        form = ArticleImportForm(request.POST, request.FILES)
        context["form"] = form
        if limit.exceeded:
            form.add_error(
                "file",
                gettext("The file is larger than the limit of %(limit)s bytes: nothing imported.")
                % {"limit": f"{upload_limit():,}"},
            )
        elif form.is_valid():
            _preview(request, form.cleaned_data, form, context)
    return _render(request, model_admin, context)


def _preview(request, cleaned, form, context):
    data = None
    try:
        data = form.data_bytes()
        plan, token = article_import_preview(
            data=data,
            language=cleaned["language"],
            publish=cleaned["publish"],
            article_slug=cleaned["article"],
            user=request.user,
        )
    except ArticleImportError as error:
        context["error"] = error
        context["error_lines"] = _lines_around(data, error.line)
        return
    except PermissionDenied as error:
        context["error"] = str(error)
        return
    context.update(
        plan=plan,
        credits=[(CreditRole(role).label, name) for role, name in plan.credits],
        outdated=[(language_name(code), count) for code, count in plan.outdated.items()],
        confirm=ConfirmForm(
            initial={
                "data": base64.b64encode(data).decode("ascii"),
                "language": cleaned["language"],
                "article": cleaned["article"] or "",
                "publish": cleaned["publish"],
                "token": token,
            }
        ),
    )


def _confirm(request, model_admin, context):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The confirmation was incomplete: nothing imported."))
        return _render(request, model_admin, context)
    cleaned = form.cleaned_data
    try:
        plan = article_import_confirm(
            data=cleaned["data"],
            language=cleaned["language"],
            publish=cleaned["publish"],
            article_slug=cleaned["article"] or None,
            user=request.user,
            token=cleaned["token"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        return _render(request, model_admin, context)
    report = plan.report
    messages.success(
        request,
        gettext("Imported “%(title)s” (%(language)s): %(slug)s.")
        % {"title": plan.title, "language": language_name(report.language), "slug": report.slug},
    )
    article = Article.objects.get(slug=report.slug)
    return HttpResponseRedirect(reverse("admin:translations_article_change", args=[article.pk]))


def _lines_around(data, line):
    if not data or not line:
        return []
    lines = data.decode("utf-8", "replace").split("\n")
    first = max(1, line - CONTEXT_LINES)
    return [
        (number, lines[number - 1][:300], number == line)
        for number in range(first, min(len(lines), line + CONTEXT_LINES) + 1)
    ]


def _render(request, model_admin, context):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("Import article"),
        "is_editor": roles_of(request.user).is_editor,
        **context,
    }
    return TemplateResponse(request, "admin/translations/article/import.html", context)
