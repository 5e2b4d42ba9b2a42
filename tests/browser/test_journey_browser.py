"""A day on the desk in a real browser, on the seed article and on one written here.

Two translators on one edition: work saved, kept across a reload, and a save
that comes second shown as a conflict rather than lost. Then the whole
journey: a Kazakh draft submitted, sent back with a comment on a paragraph,
fixed, approved, and public with its credits. Every step goes through the
admin's pages; the database is only read, to check what they did.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from tests.reviews.test_editor import form_of
from translations.importing import article_import
from translations.models import Article, Edition, EditionState, Paragraph
from translations.services import edition_get_or_create

from .conftest import admin_login, gone, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

WRITTEN = [
    "The first tram line opened on Monday with 14 stops.",
    "Trains run every “seven minutes” at peak hours, the city said.",
    "The second line is due in 2027.",
]


@pytest.fixture(params=["written", "seed"])
def article(request):
    """An English article, published: the seed when ../shared has it, or one written here."""
    if request.param == "seed":
        seed_path = request.getfixturevalue("seed_path")
        report = article_import(data=seed_path.read_bytes(), language="en", publish=True)
        return Article.objects.get(slug=report.slug)
    article = article_with_paragraphs(count=3, texts=WRITTEN, title="Tram line opens")
    publish(article, "en")
    return article


@pytest.fixture
def kazakh(article):
    """The Kazakh edition, assigned to the demo's two translators; the demo's editor."""
    saule = translator(
        "translator", pairs=[("en", "kk")], is_staff=True,
        first_name="Saule", last_name="Nurpeisova",
    )  # fmt: skip
    arman = translator(
        "translator2", pairs=[("en", "kk")], is_staff=True,
        first_name="Arman", last_name="Zhaksylykov",
    )  # fmt: skip
    editor("editor", is_staff=True, first_name="Dana", last_name="Abenova")
    edition = edition_get_or_create(article=article, language="kk")
    assign(edition, saule, arman)
    keys = list(
        Paragraph.objects.filter(article=article).order_by("position").values_list("key", flat=True)
    )
    return {"article": article, "edition": edition, "arman": arman, "keys": keys}


def in_kazakh(text):
    """A stand-in translation that keeps the source's numbers and dates, with Kazakh quotes."""
    return "Аударма: " + text.replace("“", "«").replace("”", "»")


def editor_path(edition):
    return reverse("admin:translations_edition_editor", args=[edition.pk])


def open_editor(browser, live_server, username, edition):
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    admin_login(browser, live_server, username, next_url=editor_path(edition))
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))


def replace_text(browser, key, text):
    from selenium.webdriver.common.by import By

    area = browser.find_element(By.ID, f"text-{key}")
    area.clear()
    area.send_keys(text)
    return area


def press(browser, name):
    """Click a toolbar button and wait for the page that answers."""
    from selenium.webdriver.common.by import By

    form = browser.find_element(By.ID, "editor-form")
    browser.find_element(By.CSS_SELECTOR, f'.editor-toolbar button[name="{name}"]').click()
    wait_for(browser, gone(form))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    return browser.find_element(By.CSS_SELECTOR, ".messagelist").text


def kk_text(article, key):
    return Paragraph.objects.get(article=article, key=key).text_kk


def test_two_translators_save_and_the_second_to_save_gets_the_conflict_screen(
    browser, live_server, kazakh, screenshot
):
    from selenium.webdriver.common.by import By

    article, edition = kazakh["article"], kazakh["edition"]
    first, second, third = kazakh["keys"][:3]
    sources = {p.key: p.text_en for p in Paragraph.objects.filter(article=article)}

    open_editor(browser, live_server, "translator", edition)
    replace_text(browser, first, in_kazakh(sources[first]))
    replace_text(browser, second, in_kazakh(sources[second]))
    assert "Saved 2 rows." in press(browser, "_save")
    browser.refresh()
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    for key in (first, second):
        area = browser.find_element(By.ID, f"text-{key}")
        assert area.get_attribute("value") == in_kazakh(sources[key])
        assert browser.find_element(By.ID, f"row-{key}").get_attribute("data-status") == (
            "translated"
        )
    assert kk_text(article, first) == in_kazakh(sources[first])
    screenshot("saved-and-reloaded")

    # The second translator, in a session of their own, saves the first paragraph
    # while the first translator's page is still open at the older revision.
    other = Client()
    other.force_login(kazakh["arman"])
    page = other.get(editor_path(edition))
    theirs = "Арманның нұсқасы: " + in_kazakh(sources[first])
    assert other.post(editor_path(edition), form_of(page, {first: theirs})).status_code == 302
    assert kk_text(article, first) == theirs

    mine = "Сәуленің нұсқасы: " + in_kazakh(sources[first])
    replace_text(browser, first, mine)
    replace_text(browser, third, in_kazakh(sources[third]))
    message = press(browser, "_save")
    assert "not overwritten" in message
    row = browser.find_element(By.ID, f"row-{first}")
    assert row.get_attribute("data-status") == "conflict"
    assert row.find_element(By.CSS_SELECTOR, ".editor-theirs").text == theirs
    assert "Arman Zhaksylykov saved this after you opened the page" in row.text
    assert browser.find_element(By.ID, f"text-{first}").get_attribute("value") == mine
    assert kk_text(article, first) == theirs  # nothing overwritten
    assert kk_text(article, third) == in_kazakh(sources[third])  # the other row is saved
    screenshot("conflict")

    # Keeping mine (the default choice) saves it over theirs, knowingly.
    assert "Saved 1 row." in press(browser, "_save")
    assert kk_text(article, first) == mine
    assert browser.find_element(By.ID, f"row-{first}").get_attribute("data-status") == (
        "translated"
    )
    screenshot("resolved")


def test_a_kazakh_draft_goes_through_review_to_a_credited_public_page(
    browser, live_server, kazakh, screenshot
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    article, edition = kazakh["article"], kazakh["edition"]
    fix_key = kazakh["keys"][1]
    sources = {"title": article.title_en}
    sources.update({p.key: p.text_en for p in Paragraph.objects.filter(article=article)})

    # The translator translates every row and submits.
    open_editor(browser, live_server, "translator", edition)
    for key in ["title", *kazakh["keys"]]:
        replace_text(browser, key, in_kazakh(sources[key]))
    press(browser, "_submit")
    edition.refresh_from_db()
    assert edition.state == EditionState.IN_REVIEW
    screenshot("submitted")

    # The editor comments on one paragraph and sends the version back.
    browser.delete_all_cookies()
    admin_login(browser, live_server, "editor", next_url="/admin/reviews/review/")
    browser.find_element(By.LINK_TEXT, "Review").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, f"unit-{fix_key}"))
    unit = browser.find_element(By.ID, f"unit-{fix_key}")
    unit.find_element(By.CSS_SELECTOR, ".review-add-comment summary").click()
    unit.find_element(By.CSS_SELECTOR, ".review-add-comment textarea").send_keys(
        "Say it the way the agency does: «қала әкімдігі»."
    )
    unit.find_element(By.CSS_SELECTOR, ".review-add-comment button").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#unit-{fix_key} .review-thread"))
    browser.find_element(By.ID, "decision-comment").send_keys("One paragraph to fix.")
    button = browser.find_element(By.CSS_SELECTOR, "button.review-request-changes")
    button.click()
    wait_for(browser, gone(button))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    edition.refresh_from_db()
    assert edition.state == EditionState.CHANGES_REQUESTED
    screenshot("changes-requested")

    # The translator sees what to fix on the paragraph itself, fixes it, submits again.
    open_editor(browser, live_server, "translator", edition)
    feedback = browser.find_element(By.CSS_SELECTOR, ".editor-feedback").text
    assert "Changes requested on version 1 by Dana Abenova" in feedback
    assert "One paragraph to fix." in feedback
    thread = browser.find_element(By.CSS_SELECTOR, f"#row-{fix_key} .editor-thread").text
    assert "«қала әкімдігі»" in thread
    screenshot("feedback-in-the-editor")
    fixed = "Қала әкімдігі хабарлады: " + in_kazakh(sources[fix_key])
    replace_text(browser, fix_key, fixed)
    press(browser, "_submit")
    edition.refresh_from_db()
    assert edition.state == EditionState.IN_REVIEW

    # The editor approves version 2.
    browser.delete_all_cookies()
    admin_login(browser, live_server, "editor", next_url="/admin/reviews/review/")
    browser.find_element(By.LINK_TEXT, "Review").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "button.review-approve"))
    button = browser.find_element(By.CSS_SELECTOR, "button.review-approve")
    button.click()
    alert = wait_for(browser, ec.alert_is_present())  # no paragraph was marked checked
    alert.accept()
    wait_for(browser, gone(button))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "Version 2 is approved and live." in browser.find_element(
        By.CSS_SELECTOR, ".messagelist"
    ).text
    edition = Edition.objects.select_related("live_version").get(pk=edition.pk)
    assert (edition.state, edition.live_version.number) == (EditionState.APPROVED, 2)
    screenshot("approved")

    # Readers see the approved Kazakh text with its credits, in Kazakh.
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/kk/articles/{article.slug}/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "kk"
    assert browser.find_element(By.TAG_NAME, "h1").text == in_kazakh(sources["title"]).strip()
    body = browser.find_element(By.TAG_NAME, "body").text
    assert fixed.strip() in body
    assert "Аударған: Saule Nurpeisova" in body
    assert "Редакциялаған: Dana Abenova" in body
    screenshot("public-page")
