"""The editor keeps text typed but not saved in the browser, and offers it back.

The save fails for real: the database stops answering (every connection's
cursor refuses, as a lost PostgreSQL does) and the server answers its 503
page; or the server refuses the text. After a reload the editor offers the
text back.
"""

import json

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

from tests.factories import article_with_paragraphs, assign, publish, translator
from translations.models import Paragraph
from translations.services import edition_get_or_create

from .conftest import admin_login, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = "Сақталмаған мәтін: the database was down."


@pytest.fixture
def edition():
    article = article_with_paragraphs(
        count=2, texts=["The first paragraph.", "The second paragraph."]
    )
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    assign(edition, translator("dana", is_staff=True))
    return edition


def editor_url(live_server, edition):
    return live_server.url + reverse("admin:translations_edition_editor", args=[edition.pk])


def drafts_kept(browser):
    return json.loads(
        browser.execute_script(
            "var kept = {};"
            "for (var i = 0; i < localStorage.length; i++) {"
            "  var key = localStorage.key(i);"
            "  if (key.indexOf('tilmash:draft:') === 0) { kept[key] = localStorage.getItem(key); }"
            "}"
            "return JSON.stringify(kept);"
        )
    )


def reload_editor(browser, url):
    from selenium.webdriver.common.by import By

    browser.execute_script("window.onbeforeunload = null;")
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))


def test_a_save_that_fails_with_the_database_down_is_offered_back_after_a_reload(
    browser, live_server, edition, monkeypatch
):
    from selenium.webdriver.common.by import By

    url = editor_url(live_server, edition)
    admin_login(browser, live_server, "dana", next_url=url.removeprefix(live_server.url))
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    assert not browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts]").is_displayed()
    browser.find_element(By.ID, "text-p1").send_keys(TYPED)

    def refused(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(type(connections["default"]), "cursor", refused)
    browser.find_element(By.CSS_SELECTOR, "[data-editor-save]").click()
    wait_for(browser, lambda d: "Temporarily unavailable" in d.page_source)
    assert "Nothing was saved." in browser.page_source
    monkeypatch.undo()
    assert not Paragraph.objects.get(key="p1").text_kk

    reload_editor(browser, url)

    box = browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts]")
    assert box.is_displayed()
    area = browser.find_element(By.ID, "text-p1")
    assert area.get_attribute("value") == ""
    browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts-restore]").click()
    assert area.get_attribute("value") == TYPED
    assert not box.is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "[data-editor-unsaved]").is_displayed()

    browser.find_element(By.CSS_SELECTOR, "[data-editor-save]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert Paragraph.objects.get(key="p1").text_kk == TYPED
    # Saved: the page shows it as the row's text, and the browser lets it go.
    assert drafts_kept(browser) == {}
    assert not browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts]").is_displayed()


def test_a_refused_save_keeps_the_text_in_the_page_and_the_browser(
    browser, live_server, edition, settings
):
    from selenium.webdriver.common.by import By

    settings.TILMASH_MAX_PARAGRAPH_CHARS = 20
    url = editor_url(live_server, edition)
    admin_login(browser, live_server, "dana", next_url=url.removeprefix(live_server.url))
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    browser.find_element(By.ID, "text-p2").send_keys(TYPED)
    area = browser.find_element(By.ID, "text-p2")

    browser.find_element(By.CSS_SELECTOR, "[data-editor-save]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".errornote, .messagelist"))
    assert browser.find_element(By.ID, "text-p2").get_attribute("value") == TYPED
    kept = drafts_kept(browser)
    assert [json.loads(value)["text"] for value in kept.values()] == [TYPED]
    assert all(key.startswith(f"tilmash:draft:{edition.pk}:p2:") for key in kept)
    del area

    reload_editor(browser, url)

    assert browser.find_element(By.ID, "text-p2").get_attribute("value") == ""
    assert browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts]").is_displayed()
    browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts-discard]").click()
    assert not browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts]").is_displayed()
    assert drafts_kept(browser) == {}
    reload_editor(browser, url)
    assert not browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts]").is_displayed()


def test_text_typed_on_an_older_revision_is_shown_not_restored(browser, live_server, edition):
    from selenium.webdriver.common.by import By

    url = editor_url(live_server, edition)
    admin_login(browser, live_server, "dana", next_url=url.removeprefix(live_server.url))
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    browser.find_element(By.ID, "text-p1").send_keys("Mine, never saved.")
    # Someone else saves the paragraph meanwhile.
    Paragraph.objects.filter(key="p1").update(text_kk="Theirs.", revision_kk=1)

    reload_editor(browser, url)

    assert browser.find_element(By.ID, "text-p1").get_attribute("value") == "Theirs."
    assert browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts]").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts-restore]").is_displayed()
    shown = browser.find_element(By.CSS_SELECTOR, "[data-editor-draft-text]")
    assert shown.text == "Mine, never saved."


def test_going_back_after_a_failed_save_the_text_is_there_and_still_kept(
    browser, live_server, edition, monkeypatch
):
    from selenium.webdriver.common.by import By

    url = editor_url(live_server, edition)
    admin_login(browser, live_server, "dana", next_url=url.removeprefix(live_server.url))
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    browser.find_element(By.ID, "text-p1").send_keys(TYPED)

    def refused(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(type(connections["default"]), "cursor", refused)
    browser.find_element(By.CSS_SELECTOR, "[data-editor-save]").click()
    wait_for(browser, lambda d: "Temporarily unavailable" in d.page_source)
    monkeypatch.undo()

    browser.back()
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))

    area = browser.find_element(By.ID, "text-p1")
    if area.get_attribute("value") != TYPED:
        # The browser did not keep the form's state: the editor offers the text.
        browser.find_element(By.CSS_SELECTOR, "[data-editor-drafts-restore]").click()
    assert area.get_attribute("value") == TYPED
    # Still unsaved, so still kept: a second failure or a closed tab loses nothing.
    assert [json.loads(value)["text"] for value in drafts_kept(browser).values()] == [TYPED]
