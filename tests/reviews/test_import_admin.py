"""The "Import article" page: upload or paste, preview (nothing written), confirm."""

import base64
import html
import io
import re
import zipfile

import docx
import pytest
from django.contrib.auth.models import Permission as AuthPermission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reviews.models import Assignment
from tests.factories import editor, translate, translator
from translations.importing import article_import, docx_text
from translations.models import Article, AuditEntry, Paragraph

pytestmark = pytest.mark.django_db

URL = "/admin/translations/article/import/"

TEXT = """Almaty opens a new park

05.03.2024, 10:00

The city announced a new park on the river bank.

It will have a playground and a library.

Works start in spring.

Translation by Saniya Sakenova
"""


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def confirm_data(response):
    """The preview page's confirmation form, as a browser would post it."""
    page = response.content.decode()
    form = page[page.index('name="confirm"') - 200 :]
    form = form[: form.index("</form>")]
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    return {name: html.unescape(value) for name, value in fields}


def state():
    return (
        list(Article.objects.values_list("slug", "updated_at")),
        list(Paragraph.objects.values_list("key", "position", "text_en", "revision_en")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def erin():
    return editor("erin", is_staff=True)


def test_preview_shows_the_article_and_writes_nothing(erin):
    before = state()
    response = client_for(erin).post(URL, {"text": TEXT, "language": "en"})
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.report.kind == "created"
    assert plan.title == "Almaty opens a new park"
    assert [c.kind for c in plan.paragraphs] == ["added"] * 3
    assert plan.credits == (("translator", "Saniya Sakenova"),)
    assert plan.dateline.strftime("%d.%m.%Y %H:%M") == "05.03.2024 10:00"
    assert "Works start in spring." in response.content.decode()
    assert state() == before


def test_confirm_writes_what_was_previewed_and_assigns_the_author(erin):
    client = client_for(erin)
    preview = client.post(URL, {"text": TEXT, "language": "en"})
    response = client.post(URL, confirm_data(preview))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.slug == preview.context["plan"].report.slug
    assert list(article.paragraphs.order_by("position").values_list("text_en", flat=True)) == [
        "The city announced a new park on the river bank.",
        "It will have a playground and a library.",
        "Works start in spring.",
    ]
    source = article.editions.get(language="en")
    assert Assignment.objects.filter(edition=source, user=erin).exists()


def test_a_crlf_file_with_a_byte_order_mark_is_confirmed_as_previewed(erin):
    data = b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode()
    client = client_for(erin)
    preview = client.post(URL, {"file": SimpleUploadedFile("story.txt", data), "language": "en"})
    assert client.post(URL, confirm_data(preview)).status_code == 302
    assert Article.objects.get().title_in_source() == "Almaty opens a new park"


def test_seed_file_uploads_and_previews(erin, seed_path):
    upload = SimpleUploadedFile("seed.txt", seed_path.read_bytes(), content_type="text/plain")
    response = client_for(erin).post(URL, {"file": upload, "language": "en"})
    plan = response.context["plan"]
    assert plan.title == "President Tokayev addresses people of Kazakhstan"
    assert len(plan.paragraphs) == 9
    assert ("editor", "Galiya Khassenkhanova") in plan.credits
    assert not Article.objects.exists()


def test_reimport_preview_names_changed_paragraphs_and_outdated_translations(erin):
    article_import(data=TEXT.encode(), language="en", user=erin)
    article = Article.objects.get()
    translate(article, "kk", ["Бірінші.", "Екінші.", "Үшінші."])
    changed = TEXT.replace("a playground and a library", "a playground, a library and a café")
    changed = changed.replace("Works start in spring.\n\n", "")
    response = client_for(erin).post(
        URL, {"text": changed, "language": "en", "article": article.slug}
    )
    plan = response.context["plan"]
    kinds = {change.kind: change for change in plan.paragraphs}
    assert plan.report.kind == "updated"
    assert set(kinds) == {"unchanged", "changed", "removed"}
    assert kinds["changed"].old_text == "It will have a playground and a library."
    assert kinds["removed"].text == "Works start in spring."
    assert plan.outdated == {"kk": 1}
    assert Paragraph.objects.filter(article=article).count() == 3  # nothing written


def test_confirm_is_refused_when_the_article_changed_since_the_preview(erin):
    article_import(data=TEXT.encode(), language="en", user=erin)
    client = client_for(erin)
    preview = client.post(URL, {"text": TEXT.replace("spring", "summer"), "language": "en"})
    # Meanwhile someone imports another text of the same article.
    article_import(data=TEXT.replace("spring", "autumn").encode(), language="en", user=erin)
    before = state()
    response = client.post(URL, confirm_data(preview))
    assert response.status_code == 200
    assert any("changed since the preview" in m for m in messages_of(response))
    assert state() == before


def test_forged_or_edited_confirmation_is_refused(erin):
    client = client_for(erin)
    preview = client.post(URL, {"text": TEXT, "language": "en"})
    data = confirm_data(preview)
    forged = {**data, "token": data["token"][:-2] + "xx"}
    assert any("Preview the import" in m for m in messages_of(client.post(URL, forged)))
    text = base64.b64decode(data["data"]).replace(b"spring", b"winter")
    edited = {**data, "data": base64.b64encode(text).decode()}
    assert any("changed since the preview" in m for m in messages_of(client.post(URL, edited)))
    assert not Article.objects.exists()


def test_line_errors_are_shown_and_nothing_is_written(erin):
    bad = TEXT.replace("05.03.2024, 10:00", "5 March 2024")
    response = client_for(erin).post(URL, {"text": bad, "language": "en"})
    page = response.content.decode()
    assert "Line 3" in page
    assert "<mark>5 March 2024</mark>" in page
    assert "plan" not in response.context
    assert not Article.objects.exists()


def word_document(paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_document_is_read_paragraph_by_paragraph(erin):
    blocks = [block for block in TEXT.strip().split("\n\n")]
    data = word_document([blocks[0], "", blocks[1], *blocks[2:]])
    assert docx_text(data).decode() == "\n\n".join(blocks)
    upload = SimpleUploadedFile("story.docx", data)
    plan = client_for(erin).post(URL, {"file": upload, "language": "en"}).context["plan"]
    assert plan.title == "Almaty opens a new park"
    assert len(plan.paragraphs) == 3


def zipped(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


HOSTILE = {
    "not a zip": (b"Just some text pretending to be a .docx", "not a Word document"),
    "a zip without a document": (zipped({"hello.txt": "hi"}), "not a Word document"),
    "a zip bomb": (
        zipped({"[Content_Types].xml": "<x/>", "word/document.xml": b"\0" * (60 * 1024 * 1024)}),
        "unpacks to more than",
    ),
    "entities": (
        zipped({
            "[Content_Types].xml": "<x/>",
            "word/document.xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        }),
        "DOCTYPE",
    ),
    "damaged": (
        zipped({"[Content_Types].xml": "<x", "word/document.xml": "<x"}),
        "damaged",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_word_documents_get_a_clear_message(erin, case):
    data, words = HOSTILE[case]
    upload = SimpleUploadedFile("story.docx", data)
    response = client_for(erin).post(URL, {"file": upload, "language": "en"})
    assert response.status_code == 200
    assert words in str(response.context["error"])
    assert not Article.objects.exists()


def test_upload_over_the_limit_is_refused_with_its_size(erin, settings):
    settings.TILMASH_MAX_IMPORT_BYTES = 1000
    settings.TILMASH_MAX_DOCX_BYTES = 2000
    upload = SimpleUploadedFile("big.txt", b"x" * 5000)
    response = client_for(erin).post(URL, {"file": upload, "language": "en"})
    assert "larger than the limit of 2,000 bytes" in response.content.decode()
    assert not Article.objects.exists()


def test_translators_may_not_open_the_page():
    tanya = translator("tanya", is_staff=True)
    assert client_for(tanya).get(URL).status_code == 403
    assert client_for(tanya).post(URL, {"text": TEXT, "language": "en"}).status_code == 403
    assert not Article.objects.exists()


def test_an_author_may_import_but_not_publish():
    author = translator("alex", pairs=(), is_staff=True)
    author.user_permissions.add(AuthPermission.objects.get(codename="add_article"))
    client = client_for(author)
    refused = client.post(URL, {"text": TEXT, "language": "en", "publish": "on"})
    assert "Only an editor may publish" in str(refused.context["error"])
    preview = client.post(URL, {"text": TEXT, "language": "en"})
    assert preview.context["plan"].report.kind == "created"
    assert client.post(URL, confirm_data(preview)).status_code == 302
    assert Article.objects.count() == 1


def test_publish_on_import_makes_a_live_version(erin):
    client = client_for(erin)
    preview = client.post(URL, {"text": TEXT, "language": "en", "publish": "on"})
    assert preview.context["plan"].report.published_version == 1
    client.post(URL, confirm_data(preview))
    edition = Article.objects.get().editions.get(language="en")
    assert edition.live_version.number == 1


def test_the_page_is_linked_from_the_home_page_and_the_article_list(erin):
    client = client_for(erin)
    assert URL in client.get(reverse("admin:index")).content.decode()
    assert URL in client.get(reverse("admin:translations_article_changelist")).content.decode()


def test_an_article_page_links_to_an_import_into_it(erin):
    article_import(data=TEXT.encode(), language="en", user=erin)
    article = Article.objects.get()
    client = client_for(erin)
    page = client.get(reverse("admin:translations_article_change", args=[article.pk]))
    link = f"{URL}?article={article.slug}&amp;language=en"
    assert link in page.content.decode()
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial == {"language": "en", "article": article.slug}
