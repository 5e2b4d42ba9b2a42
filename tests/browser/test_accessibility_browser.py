"""The desk's pages pass axe-core's WCAG 2.1 AA rules in each of its languages.

Every page is checked as its users see it: the login page in the language of
the browser's cookie, the rest after logging in with the desk set to that
language in the person's profile.
"""

import pytest
from django.urls import reverse

from reviews import services
from reviews.preferences import desk_language_set
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from tests.reviews.helpers import submitted, translate_as
from translations.services import edition_get_or_create

from .axe import axe_violations, report
from .conftest import admin_login, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk():
    """A translator with an edition half done, one in review and one sent back; an editor."""
    saule = translator("saule", pairs=[("en", "kk")], is_staff=True, first_name="Saule")
    dana = editor("dana", is_staff=True, first_name="Dana")
    working = article_with_paragraphs(count=3, title="Tram line opens")
    publish(working, "en")
    in_progress = edition_get_or_create(article=working, language="kk")
    assign(in_progress, saule)
    translate_as(saule, in_progress, ["Бірінші абзац.", "", "Үшінші абзац."])
    reviewed = article_with_paragraphs(count=2, title="Harvest report")
    publish(reviewed, "en")
    in_review = edition_get_or_create(article=reviewed, language="kk")
    assign(in_review, saule)
    version = submitted(saule, in_review)
    sent_back = article_with_paragraphs(count=2, title="Chess final")
    publish(sent_back, "en")
    changes = edition_get_or_create(article=sent_back, language="kk")
    assign(changes, saule)
    services.version_request_changes(
        version=submitted(saule, changes), user=dana, comment="Бір абзацты түзетіңіз."
    )
    return {
        "saule": saule,
        "dana": dana,
        "editing": in_progress,
        "version": version,
        "sent_back": changes,
    }


def check(browser, live_server, path, found, name, ready="#content"):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + path)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ready))
    violations = axe_violations(browser)
    if violations:
        found[name] = violations
    return browser


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_desks_pages_have_no_accessibility_violations(browser, live_server, desk, language):
    from selenium.webdriver.common.by import By

    found = {}
    browser.add_cookie({"name": "django_language", "value": language})
    check(browser, live_server, reverse("admin:login"), found, "login")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language

    for person in (desk["saule"], desk["dana"]):
        desk_language_set(user=person, language=language)
    editing, version = desk["editing"], desk["version"]

    admin_login(browser, live_server, "saule")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    check(browser, live_server, reverse("admin:index"), found, "home")
    check(browser, live_server, reverse("admin:translations_edition_changelist"), found, "my work")
    editor_path = reverse("admin:translations_edition_editor", args=[editing.pk])
    check(browser, live_server, editor_path, found, "editor", ready="#editor-form")
    sent_back_path = reverse("admin:translations_edition_editor", args=[desk["sent_back"].pk])
    check(browser, live_server, sent_back_path, found, "sent back", ready=".editor-feedback")
    check(browser, live_server, reverse("preferences:edit"), found, "preferences")

    browser.delete_all_cookies()
    admin_login(browser, live_server, "dana")
    check(browser, live_server, reverse("admin:reviews_review_changelist"), found, "review queue")
    review_path = reverse("admin:reviews_version_review", args=[version.pk])
    check(browser, live_server, review_path, found, "review page")
    edition_path = reverse("admin:translations_edition_change", args=[editing.pk])
    check(browser, live_server, edition_path, found, "edition page")

    assert not found, f"axe-core in {language}:\n" + report(found)
