"""The lifecycle in a real browser: an embargoed story appears on its own at its
time; a senior editor withdraws a story and readers get the 410 notice."""

import datetime
import time
import urllib.error
import urllib.request

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from tests.factories import article_with_paragraphs, editor, publish, translate
from tests.lifecycle_helpers import senior_editor
from translations.models import Edition

from .conftest import admin_login, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
# How far ahead the embargo ends: long enough for the checks before it, short
# enough to wait for. The server's clock is the real one.
AHEAD = datetime.timedelta(seconds=6)


def status_of(url):
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310  (the test server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def story():
    article = article_with_paragraphs(
        texts=["The central bank cut its rate to 14.25 percent."], title="Rate cut"
    )
    publish(article, "en")
    translate(article, "ru", ["Нацбанк снизил ставку до 14,25 процента."], title="Ставка снижена")
    publish(article, "ru")
    return article


def test_an_embargoed_story_appears_on_its_own_at_its_time(
    browser, live_server, story, screenshot
):
    from selenium.webdriver.common.by import By

    editor("erin", is_staff=True)
    ru = Edition.objects.get(article=story, language="ru")
    admin_login(browser, live_server, "erin",
                next_url=reverse("admin:translations_edition_change", args=[ru.pk]))  # fmt: skip
    form = browser.find_element(By.CSS_SELECTOR, "form.desk-embargo-form")
    browser.execute_script(
        "arguments[0].value = arguments[1]",
        form.find_element(By.NAME, "until"),
        "2099-01-01T10:00",
    )
    form.find_element(By.CSS_SELECTOR, "input[name=scope][value=article]").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "The embargo is set" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    browser.get(live_server.url + "/admin/translations/edition/")
    assert "Embargoed until 1 Jan, 10:00" in browser.find_element(By.ID, "result_list").text
    screenshot("my-work-countdown")

    # The desk takes minutes; the test moves the end to a few seconds from now.
    until = timezone.now() + AHEAD
    services.embargo_set(edition=ru, user=editor("ed2"), until=until, whole_article=True)
    article_url = f"{live_server.url}/ru/articles/{story.slug}/"
    browser.get(f"{live_server.url}/ru/")
    assert "Ставка снижена" not in browser.find_element(By.TAG_NAME, "main").text
    assert status_of(article_url) == 404
    assert status_of(f"{live_server.url}/en/articles/{story.slug}/") == 404

    time.sleep(max(0.0, (until - timezone.now()).total_seconds()) + 0.5)
    browser.get(f"{live_server.url}/ru/")
    assert "Ставка снижена" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.LINK_TEXT, "Ставка снижена").click()
    wait_for(browser, lambda d: f"/ru/articles/{story.slug}/" in d.current_url)
    assert "Нацбанк снизил ставку" in browser.find_element(By.TAG_NAME, "body").text
    assert status_of(f"{live_server.url}/en/articles/{story.slug}/") == 200
    screenshot("appeared")


def test_a_senior_editor_withdraws_a_story_and_readers_get_the_notice(
    browser, live_server, story, screenshot
):
    from selenium.webdriver.common.by import By

    senior_editor("sam", is_staff=True)
    en = Edition.objects.get(article=story, language="en")
    admin_login(browser, live_server, "sam",
                next_url=reverse("admin:translations_edition_change", args=[en.pk]))  # fmt: skip
    form = browser.find_element(By.CSS_SELECTOR, "form.desk-withdraw-form")
    form.find_element(By.NAME, "reason").send_keys("The bank denied the figure.")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "withdrawn from every public page" in browser.find_element(
        By.CSS_SELECTOR, ".messagelist"
    ).text
    assert "Article withdrawn" in browser.find_element(By.CSS_SELECTOR, ".desk-timeline").text
    assert browser.find_elements(By.CSS_SELECTOR, "form.desk-reinstate-form")
    screenshot("desk")

    for language, notice in (("en", "This article was withdrawn on"),
                             ("ru", "Эта статья была отозвана")):  # fmt: skip
        url = f"{live_server.url}/{language}/articles/{story.slug}/"
        assert status_of(url) == 410
        browser.get(url)
        assert notice in browser.find_element(By.TAG_NAME, "main").text
        browser.get(f"{live_server.url}/{language}/")
        assert story.slug not in browser.page_source
    screenshot("reader")
