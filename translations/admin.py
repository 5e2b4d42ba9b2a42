"""The plain content admin: articles, contributors, versions and the audit.

Text is never edited here. A title or paragraph saved outside the desk's
editor would skip the revision that marks its translations outdated, so an
article's text is read-only in the admin; a new article is written whole on the
add page, through ``services.article_create``. Versions and audit entries are
records: nobody adds, changes or deletes them here, superusers included.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from . import services
from .languages import language_choices, language_codes, language_name, localized_field
from .models import Article, AuditEntry, Contributor, Edition, EditionState, Paragraph, Version

BLANK_LINE = re.compile(r"\n[ \t]*\n")


def edition_admin_url(edition_id):
    """The edition's admin page, when an edition admin is installed (the desk's)."""
    try:
        return reverse("admin:translations_edition_change", args=[edition_id])
    except NoReverseMatch:
        return None


# --- Articles ---------------------------------------------------------------------


class ArticleCreateForm(forms.Form):
    source_language = forms.ChoiceField(label=_("Source language"), choices=language_choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=Article._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"class": "vTextField", "size": 80}),
    )
    dateline = forms.DateTimeField(
        label=_("Dateline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    paragraphs = forms.CharField(
        label=_("Paragraphs"),
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90, "class": "vLargeTextField"}),
        help_text=_("Separate paragraphs with a blank line."),
    )

    def clean_paragraphs(self):
        text = self.cleaned_data["paragraphs"].replace("\r\n", "\n")
        return [block.strip() for block in BLANK_LINE.split(text) if block.strip()]


class EditionStateFilter(admin.SimpleListFilter):
    title = _("an edition in state")
    parameter_name = "edition_state"

    def lookups(self, request, model_admin):
        return EditionState.choices

    def queryset(self, request, queryset):
        if self.value() in EditionState.values:
            return queryset.filter(editions__state=self.value()).distinct()
        return queryset


def start_translation_action(language):
    """The admin action "Start translation into <language>" for selected articles."""

    @admin.action(
        description=lazy(
            lambda: gettext("Start translation into %(language)s")
            % {"language": language_name(language)},
            str,
        )(),
        permissions=["add_edition"],
    )
    def start_translation(modeladmin, request, queryset):
        modeladmin.start_translation(request, queryset, language)

    start_translation.__name__ = f"start_translation_{language}"
    return start_translation


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    actions = [start_translation_action(code) for code in language_codes()]
    list_display = ("source_title", "slug", "source_language", "dateline", "edition_states")
    list_filter = ("source_language", EditionStateFilter, "dateline")
    search_fields = [localized_field("title", code) for code in language_codes()] + ["slug"]
    fields = ("slug", "source_language", "source_title", "dateline")
    change_form_template = "admin/translations/article/change_form.html"
    add_form_template = "admin/translations/article/add_form.html"

    def get_queryset(self, request):
        editions = Edition.objects.only("id", "article_id", "language", "state").order_by(
            "language"
        )
        return (
            super().get_queryset(request).prefetch_related(Prefetch("editions", queryset=editions))
        )

    def get_readonly_fields(self, request, obj=None):
        # The dateline is the one thing about an article that is not text.
        return ("slug", "source_language", "source_title")

    def has_delete_permission(self, request, obj=None):
        # Deleting an article would take its versions and audit trail with it.
        return False

    @admin.display(description=_("title"), ordering=localized_field("title", "en"))
    def source_title(self, article):
        return article.title_in_source()

    @admin.display(description=_("editions"))
    def edition_states(self, article):
        return format_html_join(
            ", ",
            '<span class="desk-state desk-state-{}">{}: {}</span>',
            (
                (edition.state, edition.language, edition.get_state_display())
                for edition in article.editions.all()
            ),
        )

    # Creating an article -----------------------------------------------------------

    def article_created(self, request, article):
        """Called inside the creating transaction; the desk assigns the author here."""

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleCreateForm(
            request.POST or None,
            initial={"dateline": timezone.localtime().replace(second=0, microsecond=0)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    article = services.article_create(
                        source_language=form.cleaned_data["source_language"],
                        title=form.cleaned_data["title"],
                        dateline=form.cleaned_data["dateline"],
                        paragraphs=form.cleaned_data["paragraphs"],
                        user=request.user,
                    )
                    self.article_created(request, article)
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", None) or [str(error)]:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.log_addition(request, article, [{"added": {}}])
                self.message_user(
                    request,
                    gettext("Created “%(article)s” with %(count)d paragraphs.")
                    % {"article": article, "count": len(form.cleaned_data["paragraphs"])},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:translations_article_change", args=[article.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Add article"),
            "form": form,
            "add": True,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.add_form_template, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if article is not None:
            language = article.source_language
            extra_context["paragraphs"] = [
                paragraph.text_in(language)
                for paragraph in Paragraph.objects.filter(article=article).order_by("position")
            ]
            extra_context["editions"] = [
                (edition, edition_admin_url(edition.pk))
                for edition in article.editions.order_by("language")
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    # Starting translations ---------------------------------------------------------

    def has_add_edition_permission(self, request):
        return request.user.has_perm("translations.add_edition")

    def start_translation(self, request, queryset, language):
        started = 0
        try:
            with transaction.atomic():
                for article in queryset:
                    if article.source_language == language:
                        continue
                    _edition, created = services.edition_start(
                        article=article, language=language, user=request.user
                    )
                    started += created
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            gettext("%(count)d new %(language)s edition(s) wait for a translator.")
            % {"count": started, "language": language_name(language)},
            messages.SUCCESS if started else messages.WARNING,
        )


# --- Contributors -------------------------------------------------------------------


class StorableTextForm(forms.ModelForm):
    """A model form whose texts hold only what ``text_validate`` lets through.

    The admin's own forms would store control characters (a NUL is a server
    error on PostgreSQL) and a text field of any length.
    """

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and value:
                try:
                    services.text_validate(value, label=self.fields[name].label)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


@admin.register(Contributor)
class ContributorAdmin(TranslationAdmin):
    form = StorableTextForm
    list_display = ("name", "user", "created_at")
    search_fields = [localized_field("name", code) for code in language_codes()]
    list_select_related = ("user",)
    fields = ("name", "user")


# --- Versions and the audit: records, read-only for everyone ------------------------


class RecordAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Version)
class VersionAdmin(RecordAdmin):
    list_display = ("__str__", "title", "created_at", "created_by", "approved_at", "approved_by")
    list_select_related = ("edition__article", "created_by", "approved_by")
    list_filter = ("edition__language", ("approved_at", admin.EmptyFieldListFilter))
    search_fields = ["title", "edition__article__slug"]
    fields = ("edition", "number", "title", "created_at", "created_by", "approved_at",
              "approved_by", "kind", "public_note")  # fmt: skip
    change_form_template = "admin/translations/version/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if version is not None:
            authors = get_user_model().objects.in_bulk(
                {unit.get("author") for unit in version.units if unit.get("author")}
            )
            extra_context["units"] = [
                {**unit, "author_name": authors.get(unit.get("author"), "")}
                for unit in version.units
            ]
            extra_context["credits"] = version.credits.select_related("contributor")
            extra_context["edition_url"] = edition_admin_url(version.edition_id)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    list_display = ("created_at", "action", "actor", "entry_article", "entry_edition",
                    "entry_version", "transition", "comment")  # fmt: skip
    list_select_related = ("actor", "article", "edition__article", "version__edition__article")
    list_filter = ("action", "created_at")
    search_fields = ["action", "comment", "article__slug"]
    date_hierarchy = "created_at"
    fields = ("created_at", "action", "actor", "entry_article", "entry_edition", "entry_version",
              "from_state", "to_state", "comment", "data")  # fmt: skip
    readonly_fields = ("entry_article", "entry_edition", "entry_version")

    # The model's three links have no label of their own (one would need a migration):
    # these name them in the desk's language.
    @admin.display(description=_("article"), ordering="article")
    def entry_article(self, entry):
        return entry.article or self.get_empty_value_display()

    @admin.display(description=_("edition"), ordering="edition")
    def entry_edition(self, entry):
        return entry.edition or self.get_empty_value_display()

    @admin.display(description=_("version"), ordering="version")
    def entry_version(self, entry):
        return entry.version or self.get_empty_value_display()

    @admin.display(description=_("from → to"))
    def transition(self, entry):
        if not (entry.from_state or entry.to_state):
            return ""
        return f"{entry.from_state or '–'} → {entry.to_state or '–'}"
