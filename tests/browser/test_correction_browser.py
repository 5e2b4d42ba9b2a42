"""A correction in a real browser, from opening it to the public note in two languages.

An editor opens a correction on the English source through the desk's
button, corrects a paragraph in the editor and submits; a second editor
approves it on the review page. The Kazakh page meanwhile says a correction
is being translated; the translator writes the Kazakh note and the corrected
paragraph, the second editor approves, and the Kazakh page shows its own
note. Every step goes through the admin's pages.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    article_with_paragraphs,
    assign,
    editor,
    publish,
    translate,
    translator,
)
from translations.models import Edition, EditionState, VersionKind

from .conftest import admin_login, gone, wait_for
from .test_journey_browser import open_editor, press, replace_text

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "An earlier version of this article said the bridge opens in May."
KK_NOTE = "Мақаланың бұрынғы нұсқасында көпір мамырда ашылады делінген."
FIXED = "The bridge opens in June, the city said."
KK_FIXED = "Көпір маусымда ашылады, деді қала әкімдігі."

with translation.override("kk"):  # the notice as the Kazakh page says it
    PENDING_KK = translation.gettext("A correction to this article is being translated.")


@pytest.fixture
def desk():
    article = article_with_paragraphs(
        texts=["The bridge opens in May, the city said.", "It has four lanes."],
        title="A new bridge",
        slug="bridge",
    )
    publish(article, "en")
    translate(article, "kk", texts=["Көпір мамырда ашылады, деді қала әкімдігі.", "Төрт жолақ."])
    publish(article, "kk")
    saule = translator("translator", pairs=[("en", "kk")], is_staff=True)
    editor("editor", is_staff=True, first_name="Dana", last_name="Abenova")
    editor("editor2", is_staff=True, first_name="Erlan", last_name="Seitov")
    kk = Edition.objects.get(article=article, language="kk")
    assign(kk, saule)
    return {"article": article, "en": Edition.objects.get(article=article, language="en"), "kk": kk}


def follow_link(browser, text):
    from selenium.webdriver.common.by import By

    link = browser.find_element(By.LINK_TEXT, text)
    link.click()
    wait_for(browser, gone(link))


def write_note(browser, note, button_text):
    from selenium.webdriver.common.by import By

    area = browser.find_element(By.ID, "id_note")
    area.clear()
    area.send_keys(note)
    button = browser.find_element(By.CSS_SELECTOR, f'input[type=submit][value="{button_text}"]')
    button.click()
    wait_for(browser, gone(button))
    return browser.find_element(By.CSS_SELECTOR, ".messagelist").text


def approve_first_in_queue(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.delete_all_cookies()
    admin_login(browser, live_server, "editor2", next_url="/admin/reviews/review/")
    browser.find_element(By.LINK_TEXT, "Review").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "button.review-approve"))
    summary = browser.find_element(By.CSS_SELECTOR, ".review-public-note").text
    button = browser.find_element(By.CSS_SELECTOR, "button.review-approve")
    button.click()
    wait_for(browser, ec.alert_is_present()).accept()
    wait_for(browser, gone(button))
    return summary


def public_text(browser, live_server, language):
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/{language}/articles/bridge/")
    return browser.find_element(By.TAG_NAME, "body").text


def test_a_correction_from_opening_to_the_public_note_in_two_languages(
    browser, live_server, desk, screenshot
):
    en, kk = desk["en"], desk["kk"]
    change = reverse("admin:translations_edition_change", args=[en.pk])

    # The editor opens the correction from the edition's page, with its note.
    admin_login(browser, live_server, "editor", next_url=change)
    follow_link(browser, "Open a correction")
    assert "A correction is open" in write_note(browser, NOTE, "Open a correction")
    screenshot("opened")
    assert NOTE not in public_text(browser, live_server, "en")  # not before approval

    # … corrects the paragraph in the editor and submits.
    open_editor(browser, live_server, "editor", en)
    replace_text(browser, "p1", FIXED)
    press(browser, "_submit")
    assert Edition.objects.get(pk=en.pk).state == EditionState.IN_REVIEW
    assert NOTE not in public_text(browser, live_server, "en")

    # A second editor sees the note on the review page and approves.
    assert NOTE in approve_first_in_queue(browser, live_server)
    english = public_text(browser, live_server, "en")
    assert FIXED in english and "Correction, " in english and NOTE in english
    screenshot("english-corrected")
    kazakh = public_text(browser, live_server, "kk")
    assert PENDING_KK in kazakh
    assert "Көпір мамырда ашылады" in kazakh  # the last approved Kazakh text
    screenshot("kazakh-pending")
    kk = Edition.objects.get(pk=kk.pk)
    assert (kk.state, kk.working_kind) == (EditionState.IN_PROGRESS, VersionKind.CORRECTION)

    # The translator writes the Kazakh note and the corrected paragraph, and submits.
    browser.delete_all_cookies()
    admin_login(
        browser, live_server, "translator",
        next_url=reverse("admin:translations_edition_change", args=[kk.pk]),
    )  # fmt: skip
    follow_link(browser, "Public note")
    assert NOTE in browser.find_element("css selector", ".source-note").text
    assert "saved" in write_note(browser, KK_NOTE, "Public note")
    open_editor(browser, live_server, "translator", kk)
    replace_text(browser, "p1", KK_FIXED)
    press(browser, "_submit")
    assert Edition.objects.get(pk=kk.pk).state == EditionState.IN_REVIEW

    assert KK_NOTE in approve_first_in_queue(browser, live_server)
    kazakh = public_text(browser, live_server, "kk")
    assert KK_FIXED in kazakh and KK_NOTE in kazakh
    assert PENDING_KK not in kazakh
    assert NOTE not in kazakh
    screenshot("kazakh-corrected")
