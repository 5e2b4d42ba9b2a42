"""The import page in a real browser: a .docx uploaded, previewed, confirmed."""

import io

import docx
import pytest

from tests.factories import editor
from translations.models import Article

from .conftest import admin_login, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_uploads_a_word_document_previews_and_confirms(
    browser, live_server, tmp_path, screenshot
):
    from selenium.webdriver.common.by import By

    editor("erin", is_staff=True)
    document = docx.Document()
    for text in [
        "Almaty opens a new park",
        "05.03.2024, 10:00",
        "The city announced a new park on the river bank.",
        "It will have a playground\nand a library.",
        "Translation by Saniya Sakenova",
    ]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "park.docx"
    path.write_bytes(buffer.getvalue())

    admin_login(browser, live_server, "erin", next_url="/admin/translations/article/")
    browser.find_element(By.CSS_SELECTOR, ".object-tools a[href$='/article/import/']").click()
    browser.find_element(By.ID, "id_file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "form [type=submit][value=Preview]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".import-preview"))
    preview = browser.find_element(By.CSS_SELECTOR, ".import-preview").text
    assert "A new article" in preview and "Saniya Sakenova" in preview
    assert not Article.objects.exists()
    screenshot("preview")

    browser.find_element(By.CSS_SELECTOR, ".import-preview [type=submit]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert (
        "Imported “Almaty opens a new park”"
        in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    )
    article = Article.objects.get()
    assert [p.text_en for p in article.paragraphs.order_by("position")] == [
        "The city announced a new park on the river bank.",
        "It will have a playground\nand a library.",
    ]
