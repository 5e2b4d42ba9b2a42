"""The whole journey with the desk in Russian, and in Kazakh, from the person's profile.

The browser asks for English (its Accept-Language), as a shared newsroom
machine might; the translator's and the editor's profiles say Russian (or
Kazakh). A translator claims an edition from the pool on My work, translates
it in the editor, saves, submits; the editor opens it from the review queue,
comments on a paragraph and requests changes; the translator reads that in
the editor, fixes the paragraph and submits again; the editor checks it and
approves. Every page they see after logging in, every message and
confirmation, and every mail they get is scanned for the desk's English
strings (``english.py``): none may be there. The article is English, so its
text is on these pages too, marked with its language, and is not scanned.

These tests need the Russian and Kazakh catalogues to be complete.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from reviews.preferences import desk_language_set
from tests.factories import article_with_paragraphs, editor, publish, translator
from translations.models import Edition, EditionState, Paragraph
from translations.services import edition_get_or_create

from .conftest import admin_login, gone, wait_for
from .english import english_in, english_on_page

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE = [
    "The first tram line opened on Monday with 14 stops.",
    "Trains run every seven minutes at peak hours, the city said.",
    "The second line is due in 2027.",
]
TRANSLATED = {
    "ru": [
        "Первая линия трамвая открылась в понедельник, на ней 14 остановок.",
        "В часы пик поезда ходят каждые семь минут, сообщили в городе.",
        "Вторая линия должна появиться в 2027 году.",
    ],
    "kk": [
        "Трамвайдың алғашқы желісі дүйсенбіде ашылды, онда 14 аялдама бар.",
        "Қарбалас уақытта пойыздар әр жеті минут сайын жүреді, деді қала әкімдігі.",
        "Екінші желі 2027 жылы ашылуы тиіс.",
    ],
}
TITLE = {"ru": "Открылась первая линия трамвая", "kk": "Алғашқы трамвай желісі ашылды"}


COMMENT = {
    "ru": "Пишите так, как принято в агентстве: «городской акимат».",
    "kk": "Агенттікте қалай жазылса, солай жазыңыз: «қала әкімдігі».",
}
DECISION = {"ru": "Исправьте один абзац.", "kk": "Бір абзацты түзетіңіз."}
FIXED = {
    "ru": "В часы пик поезда ходят каждые семь минут, сообщили в городском акимате.",
    "kk": "Қарбалас уақытта пойыздар әр жеті минут сайын жүреді, деді қала әкімдігі.",
}


class Seen:
    """What each page said in English, by page, for one report at the end."""

    def __init__(self, browser):
        self.browser = browser
        self.english = {}

    def page(self, name):
        found = english_on_page(self.browser)
        if found:
            self.english[name] = found

    def text(self, name, text):
        found = english_in(text)
        if found:
            self.english[name] = found

    def report(self):
        return "\n".join(f"{name}: {found}" for name, found in self.english.items())


@pytest.fixture(params=["ru", "kk"])
def desk(request):
    language = request.param
    article = article_with_paragraphs(count=3, texts=SOURCE, title="Tram line opens")
    publish(article, "en")
    edition = edition_get_or_create(article=article, language=language)  # in the pool
    person = translator(
        "translator", pairs=[("en", language)], is_staff=True, first_name="Saule",
        last_name="Nurpeisova",
    )  # fmt: skip
    chief = editor("editor", is_staff=True, first_name="Dana", last_name="Abenova")
    for user in (person, chief):
        desk_language_set(user=user, language=language)
    return {"language": language, "article": article, "edition": edition, "editor": chief}


def wait_for_message(browser, stale):
    from selenium.webdriver.common.by import By

    wait_for(browser, gone(stale))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))


def as_editor(browser, live_server):
    browser.delete_all_cookies()
    admin_login(browser, live_server, "editor", next_url=reverse("admin:reviews_review_changelist"))


def open_version(browser):
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, "td.field-version_link a").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "button.review-approve"))


def test_the_journey_speaks_the_persons_language_only(browser, live_server, desk, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    language, edition = desk["language"], desk["edition"]
    seen = Seen(browser)
    mail.outbox.clear()

    # My work, in the profile's language though the browser asks for English.
    admin_login(browser, live_server, "translator", next_url="/admin/translations/edition/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    seen.page("home → my work")
    claim = browser.find_element(By.CSS_SELECTOR, "button.desk-claim")
    claim.click()
    wait_for_message(browser, claim)
    seen.page("my work after claiming")

    # The editor: translate every row, save, then submit.
    browser.find_element(By.CSS_SELECTOR, "td.field-work a, th.field-work a").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "editor-form"))
    seen.page("editor")
    keys = list(
        Paragraph.objects.filter(article=desk["article"])
        .order_by("position")
        .values_list("key", flat=True)
    )
    for key, text in zip(["title", *keys], [TITLE[language], *TRANSLATED[language]], strict=True):
        area = browser.find_element(By.ID, f"text-{key}")
        area.clear()
        area.send_keys(text)
    form = browser.find_element(By.ID, "editor-form")
    browser.find_element(By.CSS_SELECTOR, '.editor-toolbar button[name="_save"]').click()
    wait_for_message(browser, form)
    seen.page("editor after saving")
    form = browser.find_element(By.ID, "editor-form")
    browser.find_element(By.CSS_SELECTOR, '.editor-toolbar button[name="_submit"]').click()
    wait_for_message(browser, form)
    seen.page("after submitting")
    assert Edition.objects.get(pk=edition.pk).state == EditionState.IN_REVIEW
    screenshot("submitted")

    # The editor, also set to this language: the queue, the version, a comment on a
    # paragraph and a request for changes.
    fix_key = keys[1]
    as_editor(browser, live_server)
    seen.page("review queue")
    open_version(browser)
    seen.page("review page")
    unit = browser.find_element(By.ID, f"unit-{fix_key}")
    unit.find_element(By.CSS_SELECTOR, ".review-add-comment summary").click()
    unit.find_element(By.CSS_SELECTOR, ".review-add-comment textarea").send_keys(COMMENT[language])
    button = unit.find_element(By.CSS_SELECTOR, ".review-add-comment button")
    button.click()
    wait_for(browser, gone(button))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#unit-{fix_key} .review-thread"))
    seen.page("review page after commenting")
    browser.find_element(By.ID, "decision-comment").send_keys(DECISION[language])
    button = browser.find_element(By.CSS_SELECTOR, "button.review-request-changes")
    button.click()
    wait_for_message(browser, button)
    seen.page("after requesting changes")
    assert Edition.objects.get(pk=edition.pk).state == EditionState.CHANGES_REQUESTED

    # The translator reads the feedback in the editor, fixes the paragraph, submits again.
    browser.delete_all_cookies()
    admin_login(browser, live_server, "translator", next_url="/admin/translations/edition/")
    seen.page("my work with changes requested")
    browser.find_element(By.CSS_SELECTOR, "td.field-work a, th.field-work a").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".editor-feedback"))
    assert DECISION[language] in browser.find_element(By.CSS_SELECTOR, ".editor-feedback").text
    seen.page("editor with the feedback")
    area = browser.find_element(By.ID, f"text-{fix_key}")
    area.clear()
    area.send_keys(FIXED[language])
    form = browser.find_element(By.ID, "editor-form")
    browser.find_element(By.CSS_SELECTOR, '.editor-toolbar button[name="_submit"]').click()
    wait_for_message(browser, form)
    seen.page("after submitting again")

    # The editor checks a paragraph and approves version 2.
    as_editor(browser, live_server)
    open_version(browser)
    seen.page("review page of version 2")
    check = browser.find_element(By.CSS_SELECTOR, f"#unit-{fix_key} button.review-check")
    check.click()
    wait_for(
        browser,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, f"#unit-{fix_key} .review-check").get_attribute(
                "aria-pressed"
            )
            == "true"
        ),
    )
    seen.page("review page with a paragraph checked")
    button = browser.find_element(By.CSS_SELECTOR, "button.review-approve")
    button.click()
    alert = wait_for(browser, ec.alert_is_present())  # the other paragraphs are not checked
    seen.text("the approval's confirmation", alert.text)
    alert.accept()
    wait_for_message(browser, button)
    seen.page("after approving")
    assert Edition.objects.get(pk=edition.pk).state == EditionState.APPROVED
    screenshot("approved")

    # Back on My work, the translator sees the edition done.
    browser.delete_all_cookies()
    admin_login(browser, live_server, "translator", next_url="/admin/translations/edition/")
    seen.page("my work at the end")

    # Mail: the editor heard of both submissions, the translator of both decisions.
    title = str(desk["article"])
    assert sorted(message.to[0] for message in mail.outbox) == [
        "editor@example.org",
        "editor@example.org",
        "translator@example.org",
        "translator@example.org",
    ]
    for message in mail.outbox:
        # The article's English title is content; the link is an address.
        text = re.sub(r"https?://\S+", "", f"{message.subject}\n{message.body}").replace(title, "")
        seen.text(f"mail to {message.to[0]}: {message.subject}", text)

    assert not seen.english, f"English on the {language} desk:\n" + seen.report()
