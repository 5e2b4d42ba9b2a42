"""What readers see of running updates and corrections: approved notes only, in the
page's language, on every public output, in the pages' constant number of queries."""

import datetime
import re
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from reviews import services
from tests.lifecycle import newsroom
from tests.lifecycle_helpers import senior_editor
from tests.translations.test_caching import shared_cache  # noqa: F401  (a fixture)
from translations.models import Article, Version

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOTE = "An earlier version gave the opening month as May."
KK_NOTE = "Бұрынғы нұсқада ашылу айы мамыр деп көрсетілген."
ADVISORY = "Adds the minister's reaction in paragraph 4."
# 14:05 in Almaty.
APPROVED_AT = datetime.datetime(2026, 12, 5, 9, 5, tzinfo=datetime.UTC)

def said(language, message):
    """``message`` as a page in ``language`` says it (the catalogue's translation)."""
    with translation.override(language):
        return translation.gettext(message)



@pytest.fixture
def room(settings):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 0
    return newsroom()


def page(client, language, slug="bridge"):
    response = client.get(f"/{language}/articles/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def correction_submitted(room):
    services.correction_open(edition=room.edition("en"), user=room.editors[0], note=NOTE)
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    return room.submit("en", room.editors[0])


def approve_at(room, version, when=APPROVED_AT, who=1):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return room.approve(version, who=who)


def kk_correction_approved(room):
    room.save("kk", room.translator, {"p1": "Көпір маусымда ашылады."})
    services.edition_note_save(edition=room.edition("kk"), user=room.translator, note=KK_NOTE)
    version = room.submit("kk", room.translator)
    approve_at(room, version, APPROVED_AT + datetime.timedelta(hours=1))
    return version


def feed_updated(client, language):
    root = ElementTree.fromstring(client.get(f"/{language}/feed/").content)
    return [entry.findtext(f"{ATOM}updated") for entry in root.findall(f"{ATOM}entry")]


def sitemap_lastmods(client):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    found = {}
    for section in index.findall(f"{SITEMAP}sitemap"):
        url = section.findtext(f"{SITEMAP}loc").removeprefix("http://testserver")
        for entry in ElementTree.fromstring(client.get(url).content).findall(f"{SITEMAP}url"):
            found[entry.findtext(f"{SITEMAP}loc")] = entry.findtext(f"{SITEMAP}lastmod")
    return found


def searched(client, language, word):
    return "/articles/bridge/" in client.get(f"/{language}/search/?q={word}").content.decode()


# --- Corrections -------------------------------------------------------------------


def test_a_correction_in_progress_shows_nothing_anywhere(client, room):
    before = {lang: page(client, lang) for lang in ("en", "kk", "ru")}
    correction_submitted(room)
    for language in ("en", "kk", "ru"):
        html = page(client, language)
        assert "June" not in html and NOTE not in html
        assert "story__correction" not in html and "story__follows" not in html
        assert html == before[language]
        log = client.get(f"/{language}/corrections/").content.decode()
        assert NOTE not in log and "corrections-log__entry" not in log
    assert "June" not in client.get("/en/").content.decode()
    assert not searched(client, "en", "June")


def test_the_approved_correction_shows_its_note_and_time_on_the_source_page(client, room):
    approve_at(room, correction_submitted(room))
    html = page(client, "en")
    assert "The bridge opens in June." in html and "opens in May." not in html
    stamp = timezone.localtime(APPROVED_AT).strftime("%H:%M")
    assert f"Correction, 5 December {stamp}:</time> {NOTE}" in html


def test_the_other_languages_say_a_correction_is_being_translated(client, room):
    approve_at(room, correction_submitted(room))
    for language in ("kk", "ru"):
        html = page(client, language)
        assert "story__follows" in html
        assert said(language, "A correction to this article is being translated.") in html
        assert "story__correction" not in html and NOTE not in html
        assert f"[{language}] The bridge opens in May." in html  # the last approved text


def test_approving_the_translated_correction_shows_its_own_note(client, room):
    approve_at(room, correction_submitted(room))
    kk_correction_approved(room)
    kk = page(client, "kk")
    assert "Көпір маусымда ашылады." in kk and KK_NOTE in kk
    assert "story__follows" not in kk and "story__correction" in kk
    assert NOTE not in kk
    assert said("ru", "A correction to this article is being translated.") in page(client, "ru")


def test_the_corrections_log_lists_each_languages_notes_newest_first(client, room):
    approve_at(room, correction_submitted(room))
    kk_correction_approved(room)
    later = Version.objects.filter(edition__language="en").order_by("-number").first()
    services.correction_open(edition=room.edition("en"), user=room.editors[1], note="Second.")
    room.save("en", room.author, {"p2": "It cost less."})
    approve_at(room, room.submit("en", room.author), APPROVED_AT + datetime.timedelta(days=1))
    en = client.get("/en/corrections/").content.decode()
    assert en.index("Second.") < en.index(NOTE)
    assert en.count("corrections-log__entry") == 2 and later.title in en
    kk = client.get("/kk/corrections/").content.decode()
    assert kk.count("corrections-log__entry") == 1 and KK_NOTE in kk
    assert "corrections-log__entry" not in client.get("/ru/corrections/").content.decode()


def test_the_corrections_log_leaves_out_what_is_not_public_now(client, room):
    approve_at(room, correction_submitted(room))
    kk_correction_approved(room)

    def logged(language):
        return NOTE in client.get(f"/{language}/corrections/").content.decode()

    now = timezone.now()
    services.embargo_set(edition=room.edition("en"), user=room.editors[0],
                         until=now + datetime.timedelta(hours=1))  # fmt: skip
    assert not logged("en") and KK_NOTE in client.get("/kk/corrections/").content.decode()
    services.embargo_set(edition=room.edition("en"), user=room.editors[0],
                         until=now + datetime.timedelta(hours=1), whole_article=True)  # fmt: skip
    assert "corrections-log__entry" not in client.get("/kk/corrections/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(hours=2)):
        assert logged("en")
    senior = senior_editor("senior")
    services.embargo_lift(edition=room.edition("en"), user=room.editors[0], whole_article=True)
    services.embargo_lift(edition=room.edition("en"), user=room.editors[0])
    services.article_withdraw(edition=room.edition("en"), user=senior, reason="Legal.")
    assert not logged("en")
    assert "corrections-log__entry" not in client.get("/kk/corrections/").content.decode()
    services.article_reinstate(edition=room.edition("en"), user=senior)
    assert logged("en")


def test_the_corrections_log_pages_along_one_query_each(
    client, room, settings, django_assert_num_queries
):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 1
    approve_at(room, correction_submitted(room))
    services.correction_open(edition=room.edition("en"), user=room.editors[1], note="Second.")
    room.save("en", room.author, {"p2": "It cost less."})
    approve_at(room, room.submit("en", room.author), APPROVED_AT + datetime.timedelta(days=1))
    with django_assert_num_queries(1):
        first = client.get("/en/corrections/").content.decode()
    with django_assert_num_queries(1):
        second = client.get("/en/corrections/?page=2").content.decode()
    assert "Second." in first and NOTE not in first and 'rel="next"' in first
    assert NOTE in second and "Second." not in second
    assert client.get("/en/corrections/?page=3").status_code == 404
    assert client.get("/en/corrections/?page=0").status_code == 404


def test_list_feed_sitemap_and_search_follow_the_approved_correction(client, room):
    feed_before, lastmod_before = feed_updated(client, "en"), sitemap_lastmods(client)
    approve_at(room, correction_submitted(room))
    assert "The bridge opens in June." in client.get("/en/").content.decode()
    assert feed_updated(client, "en") != feed_before
    assert feed_updated(client, "en")[0].startswith("2026-12-05T09:05")
    lastmods = sitemap_lastmods(client)
    assert lastmods["http://testserver/en/articles/bridge/"].startswith("2026-12-05")
    assert (
        lastmods["http://testserver/en/articles/bridge/"]
        != lastmod_before["http://testserver/en/articles/bridge/"]
    )
    assert searched(client, "en", "June") and not searched(client, "en", "May")
    # The translations' outputs still show their last approved text.
    assert not searched(client, "kk", "маусымда")
    kk_correction_approved(room)
    assert searched(client, "kk", "маусымда")
    assert "маусымда" in client.get("/kk/").content.decode()


# --- Running updates -----------------------------------------------------------------


def update_approved(room, when=APPROVED_AT):
    services.update_open(edition=room.edition("en"), user=room.author, note=ADVISORY)
    room.save("en", room.author, {"p3": "Traffic will change, the minister said."})
    return approve_at(room, room.submit("en", room.author), when)


def test_an_update_in_review_shows_nothing(client, room):
    services.update_open(edition=room.edition("en"), user=room.author, note=ADVISORY)
    room.save("en", room.author, {"p3": "Traffic will change, the minister said."})
    room.submit("en", room.author)
    for language in ("en", "kk"):
        html = page(client, language)
        assert escape(ADVISORY) not in html and "minister" not in html
        assert "story__updated" not in html


def test_the_approved_update_shows_its_stamp_and_advisory_line(client, room):
    update_approved(room)
    html = page(client, "en")
    stamp = timezone.localtime(APPROVED_AT).strftime("%H:%M")
    assert "minister said" in html
    assert f"Updated 5 December {stamp}</time>: {escape(ADVISORY)}" in html


def test_an_update_on_the_datelines_day_shows_the_time_only(client, room):
    Article.objects.filter(pk=room.article.pk).update(
        dateline=APPROVED_AT - datetime.timedelta(hours=3)
    )
    update_approved(room)
    stamp = timezone.localtime(APPROVED_AT).strftime("%H:%M")
    assert f"Updated {stamp}</time>: {escape(ADVISORY)}" in page(client, "en")


def test_translations_say_the_original_was_updated_unless_turned_off(client, room, settings):
    update_approved(room)
    notice = said("kk", "The original of this article was updated; this translation will follow.")
    html = page(client, "kk")
    assert notice in html and escape(ADVISORY) not in html and "minister" not in html
    settings.TILMASH_TRANSLATION_FOLLOWS_NOTICE = False
    assert notice not in page(client, "kk")


def test_approving_the_translated_update_shows_the_stamp_in_that_language(client, room):
    update_approved(room)
    room.save("kk", room.translator, {"p3": "Министр пікір білдірді."})
    services.edition_note_save(
        edition=room.edition("kk"), user=room.translator, note="Министрдің пікірі қосылды."
    )
    room.approve(room.submit("kk", room.translator))
    html = page(client, "kk")
    assert "Министрдің пікірі қосылды." in html and "story__updated" in html
    assert "story__follows" not in html


def test_the_feed_and_sitemap_move_with_an_update(client, room):
    update_approved(room)
    assert feed_updated(client, "en")[0].startswith("2026-12-05T09:05")
    assert sitemap_lastmods(client)["http://testserver/en/articles/bridge/"].startswith(
        "2026-12-05"
    )


# --- Query counts ----------------------------------------------------------------------


def test_the_article_page_with_an_update_and_corrections_makes_three_queries(
    client, room, django_assert_num_queries, settings
):
    # The rendering path (pre-built pages: tests/translations/test_public_pages.py).
    settings.TILMASH_PUBLIC_PAGES = False
    update_approved(room)
    services.correction_open(edition=room.edition("en"), user=room.editors[0], note=NOTE)
    room.save("en", room.editors[0], {"p1": "The bridge opens in June."})
    approve_at(room, room.submit("en", room.editors[0]), APPROVED_AT + datetime.timedelta(hours=2))
    for language in ("en", "kk"):
        with django_assert_num_queries(3):
            html = page(client, language)
        assert ("story__correction" in html) == (language == "en")
        assert ("story__updated" in html) == (language == "en")
    assert re.search(r"story__follows", page(client, "ru"))


# --- Caches ------------------------------------------------------------------------------


def test_a_cached_translation_page_shows_the_pending_correction_at_once(client, room, settings):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 300
    first = client.get("/kk/articles/bridge/")
    assert "story__follows" not in first.content.decode()
    etag = first["ETag"]
    approve_at(room, correction_submitted(room))
    again = client.get("/kk/articles/bridge/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    notice = said("kk", "A correction to this article is being translated.")
    assert notice in again.content.decode()


def test_with_a_shared_cache_the_pending_correction_shows_after_the_write_through(
    client, room, settings, django_capture_on_commit_callbacks, shared_cache  # noqa: F811
):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 300
    assert "story__follows" not in page(client, "kk")  # cached now, with its live versions
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approve_at(room, correction_submitted(room))
    assert callbacks
    assert said("kk", "A correction to this article is being translated.") in page(client, "kk")
    assert NOTE in page(client, "en")
