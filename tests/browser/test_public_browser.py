"""A reader in a real browser: the search box in the header, the results, the article."""

import pytest

from tests.factories import article_with_paragraphs, publish, translate

from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_searches_from_the_header_and_opens_the_article(browser, live_server, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    article = article_with_paragraphs(
        count=2,
        texts=["The first tram line opened on Monday.", "Trains run every seven minutes."],
        title="Tram line opens",
    )
    publish(article, "en")
    translate(article, "ru", ["Открылась первая трамвайная линия.", "Поезда ходят часто."],
              title="Трамвай пошёл")  # fmt: skip
    publish(article, "ru")
    other = article_with_paragraphs(
        count=1, texts=["Farmers finished the harvest."], title="Harvest"
    )
    publish(other, "en")

    browser.get(f"{live_server.url}/ru/")
    box = browser.find_element(By.CSS_SELECTOR, "form.site-search input[name=q]")
    assert box.get_attribute("placeholder") == "Поиск"
    box.send_keys("трамвайная", Keys.ENTER)
    wait_for(browser, lambda d: "/ru/search/" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Результаты поиска: «трамвайная»"
    results = browser.find_elements(By.CSS_SELECTOR, ".story-card__title a")
    assert [link.text for link in results] == ["Трамвай пошёл"]
    # The box keeps the words searched for.
    assert browser.find_element(By.ID, "site-search-q").get_attribute("value") == "трамвайная"
    screenshot("results")

    results[0].click()
    wait_for(browser, lambda d: f"/ru/articles/{article.slug}/" in d.current_url)
    assert "Открылась первая трамвайная линия." in browser.find_element(By.TAG_NAME, "body").text

    browser.set_window_size(400, 900)  # a phone: the header wraps, the box stays usable
    browser.get(f"{live_server.url}/en/search/?q=harvest")
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".story-card__title a")] == [
        "Harvest"
    ]
    assert browser.find_element(By.ID, "site-search-q").is_displayed()
    screenshot("phone")
    browser.set_window_size(1400, 1000)
