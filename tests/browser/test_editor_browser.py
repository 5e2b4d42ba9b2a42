"""The editor in a real browser: typing, Ctrl+S, markers, the unsaved-changes guard."""

import pytest
from django.urls import reverse

from tests.factories import article_with_paragraphs, assign, publish, translator
from translations.models import Paragraph
from translations.services import edition_get_or_create

from .conftest import admin_login, gone, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_path():
    article = article_with_paragraphs(
        count=3,
        texts=[
            "The first paragraph.",
            "A second one, " + "long enough to wrap over several lines in the editor. " * 6,
            "The third.",
        ],
    )
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    assign(edition, translator("alice", is_staff=True))
    return reverse("admin:translations_edition_editor", args=[edition.pk])


def open_editor(browser, live_server, path):
    from selenium.webdriver.common.by import By

    admin_login(browser, live_server, "alice", next_url=path)
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    return browser


def test_typing_then_ctrl_s_saves_and_the_marker_changes(browser, live_server, editor_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_editor(browser, live_server, editor_path)
    row = browser.find_element(By.ID, "row-p1")
    assert row.get_attribute("data-status") == "untranslated"
    area = browser.find_element(By.ID, "text-p1")
    area.send_keys("Бірінші абзац.")
    area.send_keys(Keys.CONTROL, "s")
    wait_for(browser, gone(area))
    # The answer may still be loading once the old page is gone: wait for its messages.
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    row = browser.find_element(By.ID, "row-p1")
    assert row.get_attribute("data-status") == "translated"
    assert "Saved 1 row." in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert Paragraph.objects.get(key="p1").text_kk == "Бірінші абзац."
    assert Paragraph.objects.get(key="p2").revision_kk == 0  # left out of the post


LEAVING = """
    var event = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(event);
    return event.defaultPrevented;
"""


def test_unsaved_changes_are_shown_and_guard_leaving(browser, live_server, editor_path):
    # Headless Chromium under WebDriver accepts "leave this page?" by itself, so
    # the guard is read from the event: leaving is refused while text is unsaved.
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_editor(browser, live_server, editor_path)
    note = browser.find_element(By.CSS_SELECTOR, "[data-editor-unsaved]")
    assert not note.is_displayed()
    assert browser.execute_script(LEAVING) is False
    area = browser.find_element(By.ID, "text-p2")
    area.send_keys("Екінші")
    assert note.is_displayed()
    assert browser.find_element(By.ID, "row-p2").get_attribute("class").endswith("is-dirty")
    assert browser.execute_script(LEAVING) is True
    area.send_keys(Keys.CONTROL, "s")
    wait_for(browser, gone(area))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert not browser.find_element(By.CSS_SELECTOR, "[data-editor-unsaved]").is_displayed()
    assert browser.execute_script(LEAVING) is False


def test_the_keyboard_moves_row_by_row_and_jumps_to_the_next_untranslated(
    browser, live_server, editor_path
):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    Paragraph.objects.filter(key__in=["p1", "p2"]).update(
        text_kk="Аударылған.", revision_kk=1, source_revision_kk=1
    )
    open_editor(browser, live_server, editor_path)

    def focused():
        return browser.switch_to.active_element.get_attribute("id")

    def press(*keys):
        chain = ActionChains(browser).key_down(Keys.ALT)
        for key in keys:
            chain = chain.send_keys(key)
        chain.key_up(Keys.ALT).perform()

    browser.find_element(By.ID, "text-title").click()
    press(Keys.ARROW_DOWN)
    assert focused() == "text-p1"
    press(Keys.ARROW_DOWN)
    assert focused() == "text-p2"
    press(Keys.ARROW_UP)
    assert focused() == "text-p1"
    press("n")  # p2 is translated: the next one needing work is p3
    assert focused() == "text-p3"
    press("n")  # and round again to the untranslated title
    assert focused() == "text-title"
