"""The XLIFF pages under /admin/xliff/: downloads, the upload form and its report."""

import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reviews.services import RowInput, units_save
from reviews.xliff import xliff_export
from reviews.xliff.actions import export_xliff_12, export_xliff_20
from tests import factories
from tests.reviews.test_xliff_helpers import (
    TRICKY,
    assert_valid,
    db_state,
    desk,
    seed_article,
    targets_set,
    unit_keys,
    working_copy,
)
from translations import services as content
from translations.models import AuditEntry, Edition

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def upload(data, name="translated.xlf"):
    return SimpleUploadedFile(name, data, content_type="application/xliff+xml")


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_the_editor_s_download_link_gives_an_xliff_file(client, schemas_path, version):
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    client.force_login(user)
    response = client.get(reverse("xliff:export", args=[edition.pk]), {"version": version})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xliff+xml; charset=utf-8"
    assert response["Content-Disposition"] == (f'attachment; filename="{article.slug}_en-kk.xlf"')
    assert_valid(response.content, schemas_path, version)


def test_download_of_an_edition_not_on_the_desk_is_not_found(client):
    article = factories.article_with_paragraphs(count=1)
    edition, _user = desk(article, "kk")
    stranger = factories.translator("stranger", pairs=(("en", "ru"),), is_staff=True)
    client.force_login(stranger)
    assert client.get(reverse("xliff:export", args=[edition.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="reviews.xliff.export").exists()


def test_a_refused_download_says_why_and_goes_back(client):
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    client.force_login(user)
    response = client.get(
        reverse("xliff:export", args=[edition.pk]),
        {"version": "9.9"},
        headers={"referer": "http://testserver/admin/translations/edition/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/admin/translations/edition/"
    assert "Unknown XLIFF version" in messages_of(response)[0]


def test_downloads_need_a_desk_login(client):
    article = factories.article_with_paragraphs(count=1)
    edition, _user = desk(article, "kk")
    response = client.get(reverse("xliff:export", args=[edition.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_batch_download_is_a_zip(client, schemas_path, method):
    article = factories.article_with_paragraphs(count=1)
    kk, _user = desk(article, "kk")
    ru, _other = desk(article, "ru")
    client.force_login(factories.editor("batch-editor", is_staff=True))
    url = reverse("xliff:export_batch")
    if method == "get":
        response = client.get(url, {"ids": f"{kk.pk},{ru.pk}", "version": "1.2"})
    else:
        response = client.post(url, {"ids": [kk.pk, ru.pk], "version": "1.2"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert len(archive.namelist()) == 2
        for name in archive.namelist():
            assert_valid(archive.read(name), schemas_path, "1.2")


def test_batch_download_with_an_edition_not_on_the_desk_is_refused(client):
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    ru, _other = desk(article, "ru")
    client.force_login(user)
    response = client.get(reverse("xliff:export_batch"), {"ids": f"{kk.pk},{ru.pk}"})
    assert response.status_code == 302
    assert messages_of(response) == ["Some of these editions are not on your desk."]


def test_the_import_page_shows_the_form(client):
    article = factories.article_with_paragraphs(count=1)
    _edition, user = desk(article, "kk")
    client.force_login(user)
    response = client.get(reverse("xliff:import"))
    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_upload_of_the_seed_shows_every_unit_and_lands_in_the_editor(client, seed_path):
    article = seed_article(seed_path)
    edition, user = desk(article, "kk")
    client.force_login(user)
    exported = client.get(reverse("xliff:export", args=[edition.pk])).content
    texts = {key: f"«{key}» & <{key}>\n  " for key in unit_keys(article)}
    response = client.post(
        reverse("xliff:import") + f"?edition={edition.pk}",
        {"file": upload(targets_set(exported, texts)), "edition": edition.pk},
    )
    assert response.status_code == 200
    assert working_copy(article, "kk") == texts
    report = response.context["report"]
    assert [unit.key for unit in report.files[0].units] == unit_keys(article)
    page = response.content.decode()
    assert page.count('class="xliff-updated"') == len(texts)
    assert "&lt;title&gt;" in page  # the file's text, escaped
    assert messages_of(response) == [f"Imported: {len(texts)} units accounted for."]
    editor = reverse("admin:translations_edition_editor", args=[edition.pk])
    assert f'href="{editor}"' in page


def test_a_conflict_is_shown_with_both_texts(client):
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    client.force_login(user)
    exported = client.get(reverse("xliff:export", args=[edition.pk])).content
    units_save(edition=edition, user=factories.editor("quick"), rows=[RowInput("p1", "Жылдам.", 0)])
    response = client.post(
        reverse("xliff:import"), {"file": upload(targets_set(exported, {"p1": "Баяу."}))}
    )
    page = response.content.decode()
    assert 'class="xliff-conflict"' in page
    assert "Баяу." in page and "Жылдам." in page
    assert messages_of(response) == ["Imported, but 1 unit was not written: see the report."]


def test_a_file_for_another_edition_is_refused_on_that_edition_s_page(client):
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    ru = factories.assign(desk(article, "ru")[0], user)
    client.force_login(user)
    exported = client.get(reverse("xliff:export", args=[kk.pk])).content
    before = db_state()
    response = client.post(
        reverse("xliff:import"),
        {"file": upload(targets_set(exported, {"p1": "Бір."})), "edition": ru.pk},
    )
    assert db_state() == before
    assert response.context["report"] is None
    (message,) = messages_of(response)
    assert "translated.xlf: This file is for" in message and "nothing imported" in message


@pytest.mark.parametrize(
    "data",
    [b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", b"<xliff", b"PK\x03\x04broken"],
    ids=["doctype", "truncated", "bad-zip"],
)
def test_a_hostile_upload_gets_a_message_and_changes_nothing(client, data):
    article = factories.article_with_paragraphs(count=1)
    _edition, user = desk(article, "kk")
    client.force_login(user)
    before = db_state()
    response = client.post(reverse("xliff:import"), {"file": upload(data)})
    assert response.status_code == 200
    assert db_state() == before
    assert len(messages_of(response)) == 1
    assert response.context["report"] is None


def test_an_upload_over_the_limit_is_not_kept(client, settings):
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    client.force_login(user)
    exported = xliff_export(edition=edition, user=user).content
    settings.TILMASH_MAX_XLIFF_BYTES = 1000
    before = db_state()
    response = client.post(reverse("xliff:import"), {"file": upload(exported + b" " * 2000)})
    assert db_state() == before
    assert "file" not in response.wsgi_request.FILES
    assert messages_of(response) == [
        "The file is larger than the limit of 1,000 bytes: nothing imported."
    ]


def test_the_upload_still_needs_the_csrf_token():
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    exported = xliff_export(edition=edition, user=user).content
    before = db_state()
    response = client.post(
        reverse("xliff:import"), {"file": upload(targets_set(exported, {"p1": "Бір."}))}
    )
    assert response.status_code == 403
    assert db_state() == before
    assert working_copy(article, "kk")["p1"] == ""


def test_the_import_page_needs_a_desk_login(client):
    response = client.get(reverse("xliff:import"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


class _Textareas(HTMLParser):
    """``{id: text}`` of a page's textareas, as a browser fills them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._current = {}, None

    def handle_starttag(self, tag, attrs):
        if tag == "textarea":
            self._current = dict(attrs).get("id")
            self.texts[self._current] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            # HTML drops one line break right after <textarea>.
            self.texts[self._current] = self.texts[self._current].removeprefix("\n")
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self.texts[self._current] += data


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_the_imported_seed_shows_in_the_translator_s_editor_exactly(client, seed_path, version):
    article = seed_article(seed_path)
    edition, user = desk(article, "ru")
    client.force_login(user)
    exported = client.get(reverse("xliff:export", args=[edition.pk]), {"version": version})
    texts = {key: "[ru] " + TRICKY.format(key=key) for key in unit_keys(article)}
    client.post(reverse("xliff:import"), {"file": upload(targets_set(exported.content, texts))})
    page = client.get(reverse("admin:translations_edition_editor", args=[edition.pk]))
    assert page.status_code == 200
    parser = _Textareas()
    parser.feed(page.content.decode())
    assert {key: parser.texts[f"text-{key}"] for key in texts} == texts


def test_the_changelist_action_downloads_the_chosen_editions(rf, schemas_path):
    article = factories.article_with_paragraphs(count=1)
    kk, _user = desk(article, "kk")
    ru, _other = desk(article, "ru")
    request = rf.post("/admin/translations/edition/")
    request.user = factories.editor("action-editor", is_staff=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = admin.ModelAdmin(Edition, admin.site)
    for action, version in ((export_xliff_20, "2.0"), (export_xliff_12, "1.2")):
        response = action(model_admin, request, Edition.objects.filter(pk__in=[kk.pk, ru.pk]))
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert len(archive.namelist()) == 2
            for name in archive.namelist():
                assert_valid(archive.read(name), schemas_path, version)
    content.edition_get_or_create(article=article, language="en")
    source = Edition.objects.filter(article=article, language="en")
    assert export_xliff_20(model_admin, request, source) is None
    assert "is the source text" in [str(m) for m in request._messages][0]
