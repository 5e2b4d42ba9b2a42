"""The header's language switcher in a real browser: the desk changes language at once,
stays in it after logging in again, and public pages keep their URL's language."""

import pytest

from reviews.preferences import desk_language_get
from tests.factories import article_with_paragraphs, publish, translator

from .conftest import admin_login, gone, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_header_switcher_changes_the_desks_language(browser, live_server, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    saule = translator("saule", pairs=[("en", "kk")], is_staff=True)
    article = article_with_paragraphs(count=1, title="Tram line opens")
    publish(article, "en")

    admin_login(browser, live_server, "saule", next_url="/admin/translations/edition/")
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "en"  # the browser's language, nothing chosen yet
    Select(browser.find_element(By.ID, "desk-language")).select_by_value("kk")
    browser.find_element(By.CSS_SELECTOR, ".desk-language-switcher button").click()
    wait_for(browser, gone(html))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert browser.current_url.endswith("/admin/translations/edition/")  # back where it was
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "kk"
    assert desk_language_get(user=saule) == "kk"
    screenshot("switched")

    # Public pages keep their URL's language; the desk keeps the choice after a new login.
    browser.get(f"{live_server.url}/en/articles/{article.slug}/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.delete_all_cookies()
    admin_login(browser, live_server, "saule")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "kk"
