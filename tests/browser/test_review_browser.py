"""The editor's review in a real browser: queue, version page, comment, check, approve,
and the public page showing the approved text."""

import pytest

from reviews import services
from reviews.models import Comment, ParagraphCheck
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from tests.reviews.helpers import submitted
from translations.models import Edition, EditionState
from translations.services import edition_get_or_create

from .conftest import admin_login, gone, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_review():
    """Version 1 of the Kazakh edition is live; version 2 was sent back; version 3,
    with paragraph 2 rewritten again, waits for review."""
    alice = translator("alice", pairs=[("en", "kk")], is_staff=True, first_name="Alice")
    erin = editor("erin", is_staff=True)
    editor("frank", is_staff=True, first_name="Frank", last_name="Fox")
    article = article_with_paragraphs(count=3, slug="tram-line", title="Tram line opens")
    publish(article, "en")
    edition = assign(edition_get_or_create(article=article, language="kk"), alice)
    first = submitted(alice, edition, ["Бірінші 1.", "Екінші 2.", "Үшінші 3."])
    services.version_approve(version=first, user=erin)
    services.edition_reopen(edition=edition, user=alice)
    edition = Edition.objects.get(pk=edition.pk)
    second = submitted(alice, edition, ["Бірінші 1.", "Екінші түзетілген 2.", "Үшінші 3."])
    services.version_request_changes(version=second, user=erin, comment="Paragraph 2 again")
    edition = Edition.objects.get(pk=edition.pk)
    third = submitted(alice, edition, ["Бірінші 1.", "Екінші жаңартылған 2.", "Үшінші 3."])
    return {"edition": edition, "version": third}


def test_an_editor_reviews_comments_checks_and_approves(
    browser, live_server, in_review, screenshot
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions

    version = in_review["version"]
    admin_login(browser, live_server, "frank", next_url="/admin/reviews/review/")
    wait_for(browser, lambda d: d.find_elements(By.ID, "result_list"))
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Review queue"
    [row] = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert "Tram line opens" in row.text and "en → kk" in row.text and "v3" in row.text
    screenshot("queue")

    row.find_element(By.LINK_TEXT, "Review").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "unit-p2"))
    unit = browser.find_element(By.ID, "unit-p2")
    assert "жаңартылған" in unit.find_element(By.CSS_SELECTOR, ".review-diff-approved ins").text
    # The toggle shows one diff at a time once the script runs.
    browser.find_element(By.CSS_SELECTOR, 'input[name="review-diff"][value="previous"]').click()
    assert not unit.find_element(By.CSS_SELECTOR, ".review-diff-approved").is_displayed()
    previous = unit.find_element(By.CSS_SELECTOR, ".review-diff-previous")
    assert previous.is_displayed()
    assert previous.find_element(By.CSS_SELECTOR, "del").text == "түзетілген"
    screenshot("version-page")

    unit.find_element(By.CSS_SELECTOR, ".review-add-comment summary").click()
    unit.find_element(By.CSS_SELECTOR, ".review-add-comment textarea").send_keys(
        "Is “жаңартылған” the word the desk uses?"
    )
    unit.find_element(By.CSS_SELECTOR, ".review-add-comment button").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#unit-p2 .review-thread"))
    thread = browser.find_element(By.CSS_SELECTOR, "#unit-p2 .review-thread")
    assert "the word the desk uses" in thread.text
    assert Comment.objects.get().unit_key == "p2"

    browser.find_element(By.CSS_SELECTOR, "#unit-p2 .review-check").click()
    wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, ".review-checked-count").text == "1",
    )
    assert "is-checked" in browser.find_element(By.ID, "unit-p2").get_attribute("class")
    assert list(ParagraphCheck.objects.values_list("unit_key", flat=True)) == ["p2"]
    screenshot("commented-and-checked")

    browser.find_element(By.ID, "decision-comment").send_keys("Good; one question left open.")
    button = browser.find_element(By.CSS_SELECTOR, "button.review-approve")
    button.click()
    # Three paragraphs are not marked checked: the page asks before approving.
    alert = wait_for(browser, expected_conditions.alert_is_present())
    assert "3 paragraphs are not marked checked" in alert.text
    alert.accept()
    wait_for(browser, gone(button))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert (
        "Version 3 is approved and live."
        in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    )
    edition = Edition.objects.get(pk=in_review["edition"].pk)
    assert (edition.state, edition.live_version_id) == (EditionState.APPROVED, version.pk)
    screenshot("approved")

    browser.get(f"{live_server.url}/kk/articles/tram-line/")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Екінші жаңартылған 2." in body
    assert "Frank Fox" in body  # the approver, credited as editor
    screenshot("public-page")
