"""Breaking news in a real browser: an editor pre-translates, the worker drafts, the page
follows its progress, the translator confirms the machine's rows and submits, the editor
sees the machine's share and approves."""

import pytest
from django.urls import reverse

from reviews.models import MachineDraft
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from tests.worker import PLAIN_TASKS, tasks_run_due
from translations.models import Edition, EditionState, Paragraph
from translations.services import edition_get_or_create

from .conftest import admin_login, gone, wait_for
from .test_journey_browser import press

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = [
    "The council met on Monday.",
    "The budget grew by 12 percent.",
    "A vote is expected next month.",
]


@pytest.fixture
def breaking(settings):
    settings.TILMASH_MT = {"default": {"provider": "tests.reviews.test_pretranslate.UpperProvider"}}
    # No worker runs beside the live server: the test plays the worker, so that the page
    # is seen waiting, then following the run to its end.
    settings.TASKS = PLAIN_TASKS
    article = article_with_paragraphs(count=3, texts=TEXTS, title="Budget talks")
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    saule = translator("translator", pairs=[("en", "kk")], is_staff=True)
    editor("editor", is_staff=True, first_name="Dana", last_name="Abenova")
    assign(edition, saule)
    tasks_run_due()  # what publishing queued (its public pages' build), out of the way
    return edition


def test_pretranslate_then_confirm_submit_and_approve(browser, live_server, breaking, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    edition = breaking
    change = reverse("admin:translations_edition_change", args=[edition.pk])

    # The editor asks for the pre-translation on the edition page.
    admin_login(browser, live_server, "editor", next_url=change)
    browser.find_element(By.CSS_SELECTOR, "[data-pretranslate]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-progress-url]"))
    box = browser.find_element(By.CSS_SELECTOR, "[data-pretranslation]")
    assert "Waiting for the worker" in box.text
    screenshot("queued")

    # The worker runs it; the page's poll notices the end and reloads with the counts.
    assert tasks_run_due() == 1
    wait_for(browser, gone(box))
    wait_for(
        browser,
        lambda d: "Done" in d.find_element(By.CSS_SELECTOR, "[data-pretranslation]").text,
    )
    box = browser.find_element(By.CSS_SELECTOR, "[data-pretranslation]")
    assert "4 of 4 paragraphs translated" in box.text
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-progress-url]")
    screenshot("done")

    # The translator finds four machine rows, confirms one, then the rest, and submits.
    browser.delete_all_cookies()
    editor_url = reverse("admin:translations_edition_editor", args=[edition.pk])
    admin_login(browser, live_server, "translator", next_url=editor_url)
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".marker-machine")) == 4
    assert browser.find_element(By.ID, "text-p2").get_attribute("value") == (
        "THE BUDGET GREW BY 12 PERCENT."
    )
    screenshot("machine-rows")
    form = browser.find_element(By.ID, "editor-form")
    browser.find_element(By.CSS_SELECTOR, "#row-p1 [data-machine-confirm]").click()
    wait_for(browser, gone(form))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "Confirmed 1 machine-translated paragraph." in browser.find_element(
        By.CSS_SELECTOR, ".messagelist"
    ).text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".marker-machine")) == 3
    assert not browser.find_elements(By.CSS_SELECTOR, "#row-p1 .marker-machine")
    assert "Confirmed 3 machine-translated paragraphs." in press(browser, "all")
    assert not browser.find_elements(By.CSS_SELECTOR, ".marker-machine")
    press(browser, "_submit")
    edition.refresh_from_db()
    assert edition.state == EditionState.IN_REVIEW
    assert not MachineDraft.objects.filter(confirmed_at__isnull=True).exists()

    # The editor sees which paragraphs the machine wrote and approves.
    browser.delete_all_cookies()
    admin_login(browser, live_server, "editor", next_url="/admin/reviews/review/")
    browser.find_element(By.LINK_TEXT, "Review").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "button.review-approve"))
    badges = browser.find_elements(By.CSS_SELECTOR, "[data-machine]")
    assert len(badges) == 4
    assert all(b.text == "Machine translation, unchanged" for b in badges)
    screenshot("review")
    button = browser.find_element(By.CSS_SELECTOR, "button.review-approve")
    button.click()
    wait_for(browser, ec.alert_is_present()).accept()  # no paragraph was marked checked
    wait_for(browser, gone(button))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "Version 1 is approved and live." in browser.find_element(
        By.CSS_SELECTOR, ".messagelist"
    ).text
    edition = Edition.objects.get(pk=edition.pk)
    assert edition.state == EditionState.APPROVED
    assert Paragraph.objects.get(article=edition.article, key="p3").text_kk == (
        "A VOTE IS EXPECTED NEXT MONTH."
    )
