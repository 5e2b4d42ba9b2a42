"""My work in a real browser: the list, the overdue mark, claiming from the pool."""

import datetime

import pytest
from django.utils import timezone

from reviews.models import Assignment
from tests.factories import article_with_paragraphs, assign, editor, translator
from translations.models import Edition, Priority
from translations.services import edition_get_or_create

from .conftest import admin_login, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk():
    tina = translator("tina", pairs=[("en", "kk")], is_staff=True, first_name="Tina")
    editor("erin", is_staff=True)
    mine = edition_get_or_create(
        article=article_with_paragraphs(count=3, title="Tram line opens"), language="kk"
    )
    assign(mine, tina)
    Edition.objects.filter(pk=mine.pk).update(
        priority=Priority.URGENT, deadline=timezone.now() - datetime.timedelta(hours=2)
    )
    pool = edition_get_or_create(
        article=article_with_paragraphs(count=2, title="Harvest report"), language="kk"
    )
    edition_get_or_create(
        article=article_with_paragraphs(count=2, title="Chess final"), language="ru"
    )
    return {"tina": tina, "mine": mine, "pool": pool}


def test_a_translator_claims_from_the_pool_on_my_work(browser, live_server, desk, screenshot):
    from selenium.webdriver.common.by import By

    admin_login(browser, live_server, "tina", next_url="/admin/translations/edition/")
    wait_for(browser, lambda d: d.find_elements(By.ID, "result_list"))
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "My work"
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    titles = [row.find_element(By.CSS_SELECTOR, "th, td.field-article_title").text for row in rows]
    assert titles == ["Tram line opens", "Harvest report"]  # urgent first; no Russian
    overdue = rows[0].find_element(By.CSS_SELECTOR, ".desk-overdue")
    assert "overdue" in overdue.text
    screenshot("my-work")

    rows[1].find_element(By.CSS_SELECTOR, "button.desk-claim").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "You are now working on" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert Assignment.objects.filter(edition=desk["pool"], user=desk["tina"]).exists()
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert "Tina" in rows[1].find_element(By.CSS_SELECTOR, "td.field-assignees").text
    assert not browser.find_elements(By.CSS_SELECTOR, "button.desk-claim")


def test_an_editor_reopens_an_approved_edition_from_its_page(browser, live_server, screenshot):
    from selenium.webdriver.common.by import By

    from reviews import services
    from tests.reviews.helpers import submitted

    tina = translator("tina", pairs=[("en", "kk")], is_staff=True)
    erin = editor("erin", is_staff=True)
    edition = edition_get_or_create(
        article=article_with_paragraphs(count=2, title="Tram line opens"), language="kk"
    )
    assign(edition, tina)
    services.version_approve(version=submitted(tina, edition), user=erin)
    editor("frank", is_staff=True)
    path = f"/admin/translations/edition/{edition.pk}/change/"
    admin_login(browser, live_server, "frank", next_url=path)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".desk-timeline"))
    timeline = browser.find_element(By.CSS_SELECTOR, ".desk-timeline").text
    assert "Submitted for review" in timeline and "In review → Approved" in timeline
    screenshot("edition-page")

    form = browser.find_element(By.CSS_SELECTOR, "form.desk-action-form")
    form.find_element(By.NAME, "comment").send_keys("A name is misspelt in paragraph 2.")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "is open for a correction" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert (
        "A name is misspelt in paragraph 2."
        in browser.find_element(By.CSS_SELECTOR, ".desk-timeline").text
    )
    assert Edition.objects.get(pk=edition.pk).state == "in_progress"
