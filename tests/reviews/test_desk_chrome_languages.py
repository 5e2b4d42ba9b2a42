"""The desk's pages in Kazakh and in Russian show no English desk text.

Django's own admin chrome (the login form, the header, filters, actions,
pagination, the date hierarchy, validation messages) comes from Django's
catalogues, which are incomplete for kk and short of a few messages for ru;
``config/locale_overrides`` fills the gaps. Each page is rendered in each
language as a translator and as an editor, its visible text collected (tags
stripped, scripts and styles skipped, text marked as another language by a
``lang`` attribute skipped, the desk's content such as titles, paragraphs and
names taken out, and the languages' names in their own language), and any word
of 2+ letters that belongs to an English message of Django's catalogues or of
the project's fails the test with the text it came in, unless it is a name no
translation changes (Tilmash, XLIFF, a language code).
"""

import functools
import gettext as gettext_module
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib import admin
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import trans_real

from reviews.models import Review
from tests.security.world import world_build
from translations.models import Edition

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru")
DJANGO = Path(django.__file__).parent
SITE_PACKAGES = DJANGO.parent
# The English messages of every catalogue whose text the desk's pages show.
ENGLISH_CATALOGUES = [
    DJANGO / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    *(
        DJANGO / "contrib" / app / "locale" / "en" / "LC_MESSAGES" / domain
        for app, domain in (
            ("admin", "django.po"),
            ("admin", "djangojs.po"),
            ("auth", "django.po"),
            ("contenttypes", "django.po"),
            ("sessions", "django.po"),
        )
    ),
    SITE_PACKAGES / "axes" / "locale" / "ru" / "LC_MESSAGES" / "django.po",  # axes ships no en
    Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po",
]
# Words a page in any language may show in Latin letters: the product's name, names of
# formats and keys, and language codes, which no translation changes.
LATIN_WORDS = {
    "tilmash", "xliff", "tmx", "csv", "json", "utf", "id", "cat", "zip", "ctrl", "alt", "docx",
    *(code for code, _name in settings.LANGUAGES),
}
# A language switcher names each language in that language: "English" is no English text.
OWN_NAMES = {LANG_INFO[code]["name_local"] for code, _name in settings.LANGUAGES}
# Attributes whose text a person sees or hears.
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}
SKIPPED_ELEMENTS = {"script", "style", "template", "noscript"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}
WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-#0 +]*[0-9.]*[sdifr]|%[sdif]|\{[^}]*\}")
TAG = re.compile(r"<[^>]+>")


def po_messages(path):
    """The msgid (and msgid_plural) texts of a .po file, as written."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r'^msgid(?:_plural)? ((?:".*"\n)+)', text, re.MULTILINE):
        message = "".join(line[1:-1] for line in block.splitlines())
        if message:
            found.append(message.replace('\\"', '"').replace("\\n", "\n"))
    return found


@functools.cache
def english_words():
    """Each lower-case word of 2+ letters in an English message -> one message it is in."""
    words = {}
    for path in ENGLISH_CATALOGUES:
        for message in po_messages(path):
            for word in WORD.findall(PLACEHOLDER.sub(" ", message)):
                words.setdefault(word.lower(), message)
    return words


class VisibleText(HTMLParser):
    """The text of a page a person sees, in chunks, with the page's language."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.page_language = None
        self.stack = []  # (tag, skipped)

    def skipping(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_language = attrs.get("lang")
        skipped = self.skipping() or tag in SKIPPED_ELEMENTS
        language = attrs.get("lang")
        if language and self.page_language and language != self.page_language:
            skipped = True  # text marked as another language: content, not chrome
        if attrs.get("type") == "hidden":
            skipped = True
        if not skipped:
            for name, value in attrs.items():
                if value and (
                    name in SHOWN_ATTRIBUTES
                    or (
                        tag == "input"
                        and name == "value"
                        and attrs.get("type") in ("submit", "button", "reset")
                    )
                ):
                    self.chunks.append(value)
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.chunks.append(data)


def content_strings():
    """The desk's content (titles, paragraphs, names, terms, comments): not chrome."""
    strings = set()
    for label in (
        "translations.Article",
        "translations.Paragraph",
        "translations.Contributor",
        "translations.Version",
        "translations.AuditEntry",
        "auth.User",
        "auth.Group",
        "aids.GlossaryTerm",
        "aids.CheckDismissal",
        "reviews.Comment",
        "reviews.Review",
        "reviews.UnitEdit",
    ):
        model = apps.get_model(label)
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        for row in model.objects.values_list(*fields):
            strings.update(value for value in row if isinstance(value, str) and len(value) > 2)
    return sorted(strings, key=len, reverse=True)


def english_on(html, language, words, content):
    """Each visible text of the page with English desk words in it, with those words."""
    parser = VisibleText()
    parser.feed(html)
    assert parser.page_language == language
    found = []
    for chunk in parser.chunks:
        shown = " ".join(chunk.split())
        if shown in OWN_NAMES:
            continue
        text = shown
        for value in content:
            if value in text:
                text = text.replace(value, " ")
        text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)
        english = [
            word
            for word in WORD.findall(text)
            if word.lower() in words and word.lower() not in LATIN_WORDS
        ]
        if english:
            found.append((shown, english))
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def desk_pages(world, role):
    """(name, url, POST data or None) of the desk's pages ``role`` works on."""
    desks = world.desks
    objects = world.objects
    editable = desks["changes_requested"].edition
    my_work = reverse("admin:translations_edition_changelist")
    queue = reverse("admin:reviews_review_changelist")
    pages = [
        ("home", reverse("admin:index"), None),
        ("my work", my_work, None),
        ("my work, filtered and searched", my_work + "?state__exact=in_review&q=zzzz", None),
        ("my work, second page", my_work + "?p=2", None),
        ("review queue", queue, None),
        ("review queue, every state", queue + "?state=all", None),
        ("glossary", reverse("admin:aids_glossaryterm_changelist"), None),
        ("glossary term", reverse(
            "admin:aids_glossaryterm_change", args=[objects["aids.glossaryterm"].pk]), None),
        ("contributors", reverse("admin:translations_contributor_changelist"), None),
        ("contributor", reverse(
            "admin:translations_contributor_change", args=[objects["translations.contributor"].pk]
        ), None),
        ("articles", reverse("admin:translations_article_changelist"), None),
        ("article", reverse(
            "admin:translations_article_change", args=[objects["translations.article"].pk]), None),
        ("password change", reverse("admin:password_change"), None),
        ("password change, refused", reverse("admin:password_change"), {
            "old_password": "wrong", "new_password1": "1", "new_password2": "2"}),
        ("password changed", reverse("admin:password_change_done"), None),
        ("XLIFF import", reverse("xliff:import") + f"?edition={editable.pk}", None),
    ]
    for state, desk in desks.items():
        pages.append((f"edition {state}", reverse(
            "admin:translations_edition_change", args=[desk.edition.pk]), None))
    if role == "assigned":
        return pages + [
            ("editor", reverse("admin:translations_edition_editor", args=[editable.pk]), None),
            ("editor, in progress", reverse(
                "admin:translations_edition_editor", args=[desks["in_progress"].edition.pk]), None),
            ("suggestions", reverse(
                "admin:translations_edition_editor_suggest", args=[editable.pk, "p2"]), None),
        ]
    for state, desk in desks.items():
        if desk.version is not None:
            pages.append((f"review page {state}", reverse(
                "admin:reviews_version_review", args=[desk.version.pk]), None))
    timeline = reverse("admin:translations_auditentry_changelist")
    entry = objects["translations.auditentry"]
    return pages + [
        ("assign", reverse("admin:translations_edition_assign")
         + f"?ids={desks['pool'].edition.pk}", None),
        ("new glossary term", reverse("admin:aids_glossaryterm_add"), None),
        ("new glossary term, refused", reverse("admin:aids_glossaryterm_add"), {}),
        ("new contributor, refused", reverse("admin:translations_contributor_add"), {}),
        ("new article", reverse("admin:translations_article_add"), None),
        ("new article, refused", reverse("admin:translations_article_add"), {}),
        ("timeline", timeline, None),
        ("timeline, one day", timeline + f"?created_at__year={entry.created_at.year}"
         f"&created_at__month={entry.created_at.month}&created_at__day={entry.created_at.day}",
         None),
        ("audit entry", reverse("admin:translations_auditentry_change", args=[entry.pk]), None),
    ]


@pytest.fixture
def small_pages(monkeypatch):
    """Two rows a page in My work and the review queue, so that their pagination shows."""
    for model in (Edition, Review):
        monkeypatch.setattr(admin.site.get_model_admin(model), "list_per_page", 2)


def english_problems(response, language, name, content):
    if response.status_code != 200:
        return [f"{name}: status {response.status_code}"]
    return [
        f"{name}: {text!r} ({', '.join(english)})"
        for text, english in english_on(
            response.content.decode(), language, english_words(), content
        )
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["assigned", "editor"])
def test_desk_pages_show_no_english_desk_text(world, role, language, small_pages):
    client = world.clients[role]
    content = content_strings()
    problems = []
    for name, url, data in desk_pages(world, role):
        with transaction.atomic():  # a refused form changes nothing, but to be sure
            if data is None:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            else:
                data = {**data, "csrfmiddlewaretoken": world.csrf}
                response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
            problems += english_problems(response, language, name, content)
            transaction.set_rollback(True)
    assert not problems, "English on the desk:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_and_logout_pages_show_no_english_desk_text(world, language):
    login = reverse("admin:login")
    client = Client()
    content = content_strings()
    response = client.get(login, HTTP_ACCEPT_LANGUAGE=language)
    problems = english_problems(response, language, "login", content)
    with transaction.atomic():
        wrong = {"username": "sec-assigned", "password": "wrong"}
        response = client.post(login, wrong, HTTP_ACCEPT_LANGUAGE=language)
        problems += english_problems(response, language, "login, refused", content)
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            response = client.post(login, wrong, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 429  # django-axes' lockout, in plain text
        page = f'<html lang="{language}">{escape(response.content.decode())}</html>'
        problems += [
            f"locked out: {text!r} ({', '.join(english)})"
            for text, english in english_on(page, language, english_words(), content)
        ]
        transaction.set_rollback(True)
    client.force_login(world.users["assigned"])
    response = client.post(reverse("admin:logout"), HTTP_ACCEPT_LANGUAGE=language)
    problems += english_problems(response, language, "logged out", content)
    assert not problems, "English on the desk:\n" + "\n".join(problems)


def js_catalogue(client, language):
    """The admin's JavaScript catalogue (calendar, clock, filters, actions) as it serves it."""
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\n  \});", response.content.decode(), re.DOTALL)
    return json.loads(found.group(1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admins_javascript_speaks_the_desks_language(world, language):
    # The date and time widgets, the selection counter and the filters of the
    # admin's scripts: every message of Django's admin djangojs catalogue.
    catalogue = js_catalogue(world.clients["editor"], language)
    path = DJANGO / "contrib" / "admin" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
    text = path.read_text(encoding="utf-8")
    english = []
    for context, message in re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"$', text, re.MULTILINE):
        translation = catalogue.get(f"{context}\x04{message}" if context else message)
        forms = translation if isinstance(translation, list) else [translation]
        if not all(forms) or message in forms:
            english.append(message)
    assert english == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_override_catalogues_win_over_djangos_and_ours(language):
    # Some entries correct a wrong Kazakh text of Django's (Сүзгіз, Өзгетру, a broken
    # selection counter) rather than fill a gap: no English shows if they lose, so each
    # entry is checked to be what the site serves.
    overrides = Path(settings.BASE_DIR) / "config" / "locale_overrides" / language / "LC_MESSAGES"
    served = {
        "django": trans_real.translation(language)._catalog,
        "djangojs": trans_real.DjangoTranslation(
            language,
            domain="djangojs",
            localedirs=[str(Path(apps.get_app_config("admin").path) / "locale")],
        )._catalog,
    }
    lost = []
    for domain, catalogue in served.items():
        with open(overrides / f"{domain}.mo", "rb") as fp:
            ours = gettext_module.GNUTranslations(fp)._catalog
        assert len(ours) > 1
        lost += [key for key, text in ours.items() if key and catalogue[key] != text]
    assert lost == []
