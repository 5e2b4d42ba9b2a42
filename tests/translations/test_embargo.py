"""Embargo: nothing of an embargoed article or edition is public before its time,
everything is at its time, without anyone acting; caches and ETags included."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reviews import services as desk
from tests.factories import article_with_paragraphs, editor, publish, translate, translator
from tests.lifecycle_helpers import clock_at
from tests.translations.test_caching import shared_cache  # noqa: F401  (a fixture)
from translations import cache as public_cache
from translations import selectors
from translations.models import AuditEntry, Edition

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "kk", "ru")
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def story():
    """An article live in English, Kazakh and Russian, with a word to search for."""
    article = article_with_paragraphs(texts=["Embargowords from the minister."], title="Budget")
    publish(article, "en")
    for language in ("kk", "ru"):
        translate(article, language, texts=[f"Embargowords {language} text."])
        publish(article, language)
    return article


def edition(article, language):
    return Edition.objects.select_related("article").get(article=article, language=language)


def sitemap_text(client):
    index = client.get("/sitemap.xml").content.decode()
    return "".join(
        client.get(loc.removeprefix("http://testserver")).content.decode()
        for loc in re.findall(r"<loc>([^<]*)</loc>", index)
    )


def public_presence(client, article, language):
    """Where ``language``'s edition of ``article`` shows on the public site."""
    url = f"/{language}/articles/{article.slug}/"
    return {
        "page": client.get(url).status_code == 200,
        "list": url in client.get(f"/{language}/").content.decode(),
        "feed": url in client.get(f"/{language}/feed/").content.decode(),
        "sitemap": url in sitemap_text(client),
        "search": url in client.get(f"/{language}/search/?q=Embargowords").content.decode(),
    }


ALL_THERE = {"page": True, "list": True, "feed": True, "sitemap": True, "search": True}
NOWHERE = dict.fromkeys(ALL_THERE, False)


def test_an_embargoed_article_is_nowhere_until_its_time_then_everywhere(client, story):
    until = timezone.now() + 2 * HOUR
    desk.embargo_set(edition=edition(story, "en"), user=editor(), until=until, whole_article=True)

    for language in LANGUAGES:
        assert public_presence(client, story, language) == NOWHERE, language
        assert client.get(f"/{language}/articles/{story.slug}/").status_code == 404

    with clock_at(until + datetime.timedelta(seconds=1)):
        for language in LANGUAGES:
            assert public_presence(client, story, language) == ALL_THERE, language


def test_an_embargo_ends_at_its_time_not_a_second_before(client, story):
    until = timezone.now() + HOUR
    desk.embargo_set(edition=edition(story, "en"), user=editor(), until=until, whole_article=True)
    url = f"/en/articles/{story.slug}/"
    with clock_at(until - datetime.timedelta(seconds=1)):
        assert client.get(url).status_code == 404
    with clock_at(until):
        assert client.get(url).status_code == 200


def test_one_embargoed_edition_leaves_the_switcher_and_hreflang_of_its_siblings(client, story):
    until = timezone.now() + HOUR
    desk.embargo_set(edition=edition(story, "kk"), user=editor(), until=until)
    kk_url = f"/kk/articles/{story.slug}/"

    english = client.get(f"/en/articles/{story.slug}/").content.decode()
    assert kk_url not in english  # neither the switcher nor <link rel="alternate" hreflang>
    assert 'hreflang="kk"' not in english
    assert f"/ru/articles/{story.slug}/" in english
    assert public_presence(client, story, "kk") == NOWHERE
    assert public_presence(client, story, "en") == ALL_THERE
    assert kk_url not in sitemap_text(client)

    with clock_at(until + datetime.timedelta(minutes=1)):
        english = client.get(f"/en/articles/{story.slug}/").content.decode()
        assert kk_url in english
        assert 'hreflang="kk"' in english
        assert public_presence(client, story, "kk") == ALL_THERE


def test_the_later_of_the_article_s_and_the_edition_s_embargo_holds(client, story):
    now = timezone.now()
    user = editor()
    desk.embargo_set(edition=edition(story, "ru"), user=user, until=now + 3 * HOUR)
    desk.embargo_set(edition=edition(story, "ru"), user=user, until=now + HOUR, whole_article=True)
    with clock_at(now + 2 * HOUR):
        assert public_presence(client, story, "en") == ALL_THERE
        assert public_presence(client, story, "ru") == NOWHERE
    with clock_at(now + 3 * HOUR):
        assert public_presence(client, story, "ru") == ALL_THERE


def test_a_page_cached_and_its_etag_before_the_embargo_do_not_keep_the_switcher(client, story):
    until = timezone.now() + HOUR
    desk.embargo_set(edition=edition(story, "kk"), user=editor(), until=until)
    before = client.get(f"/en/articles/{story.slug}/")
    with clock_at(until):
        again = client.get(f"/en/articles/{story.slug}/", HTTP_IF_NONE_MATCH=before["ETag"])
        assert again.status_code == 200
        assert again["ETag"] != before["ETag"]
        assert f"/kk/articles/{story.slug}/" in again.content.decode()
        assert selectors.article_live_get(slug=story.slug).last_public_change_at == until


def test_an_embargo_set_before_approval_holds_when_the_edition_goes_live(client):
    article = article_with_paragraphs(texts=["Embargowords early."])
    source = Edition.objects.create(article=article, language="en")
    until = timezone.now() + HOUR
    desk.embargo_set(edition=source, user=editor(), until=until)
    publish(article, "en")
    assert public_presence(client, article, "en") == NOWHERE
    with clock_at(until):
        assert public_presence(client, article, "en") == ALL_THERE


def test_lifting_an_embargo_makes_it_public_at_once(client, story):
    user = editor()
    desk.embargo_set(edition=edition(story, "en"), user=user, until=timezone.now() + HOUR,
                     whole_article=True)  # fmt: skip
    desk.embargo_lift(edition=edition(story, "en"), user=user, whole_article=True)
    assert public_presence(client, story, "en") == ALL_THERE


def test_setting_and_lifting_are_audited_moves_that_keep_the_state(story):
    user = editor()
    ru = edition(story, "ru")
    until = timezone.now() + HOUR
    desk.embargo_set(edition=ru, user=user, until=until)
    desk.embargo_lift(edition=edition(story, "ru"), user=user)
    entries = list(AuditEntry.objects.filter(edition=ru).order_by("id"))
    assert [e.action for e in entries][-2:] == [
        "reviews.edition.embargo_set",
        "reviews.edition.embargo_lift",
    ]
    assert entries[-2].data == {"until": until.isoformat()}
    assert entries[-1].from_state == entries[-1].to_state == "approved"
    desk.embargo_set(edition=ru, user=user, until=until, whole_article=True)
    assert AuditEntry.objects.filter(
        article=story, edition=None, action="reviews.article.embargo_set"
    ).exists()


def test_a_translator_may_not_set_or_lift_an_embargo(story):
    user = translator()
    with pytest.raises(PermissionDenied):
        desk.embargo_set(edition=edition(story, "kk"), user=user,
                         until=timezone.now() + HOUR)  # fmt: skip
    desk.embargo_set(edition=edition(story, "kk"), user=editor(), until=timezone.now() + HOUR)
    with pytest.raises(PermissionDenied):
        desk.embargo_lift(edition=edition(story, "kk"), user=user)
    assert edition(story, "kk").embargo_until is not None


def test_an_embargo_in_the_past_or_a_lift_of_none_is_refused_and_writes_nothing(story):
    user = editor()
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        desk.embargo_set(edition=edition(story, "en"), user=user,
                         until=timezone.now() - HOUR)  # fmt: skip
    with pytest.raises(ValidationError):
        desk.embargo_lift(edition=edition(story, "en"), user=user, whole_article=True)
    assert AuditEntry.objects.count() == count
    assert edition(story, "en").embargo_until is None


def test_embargoed_pages_keep_their_query_counts(client, story, django_assert_num_queries):
    desk.embargo_set(edition=edition(story, "kk"), user=editor(), until=timezone.now() + HOUR)
    # The built page's read (none before its time), then the live versions.
    with django_assert_num_queries(2):
        assert client.get(f"/kk/articles/{story.slug}/").status_code == 404
    with django_assert_num_queries(1):  # the list is empty: as any empty list
        assert client.get("/kk/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/en/").status_code == 200


@pytest.mark.usefixtures("shared_cache")
def test_shared_cache_an_entry_read_before_the_embargo_ends_is_read_again_at_its_time(
    client, story, django_capture_on_commit_callbacks
):
    until = timezone.now() + HOUR
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        desk.embargo_set(edition=edition(story, "kk"), user=editor(), until=until)
    assert callbacks, "the embargo wrote nothing through"
    english = f"/en/articles/{story.slug}/"
    assert f"/kk/articles/{story.slug}/" not in client.get(english).content.decode()
    assert client.get(f"/kk/articles/{story.slug}/").status_code == 404
    # Served from the shared cache: no query while the embargo runs.
    assert public_cache.live_read(story.slug)[0].next_change_at == until

    with clock_at(until):
        assert f"/kk/articles/{story.slug}/" in client.get(english).content.decode()
        assert client.get(f"/kk/articles/{story.slug}/").status_code == 200


def test_an_embargo_set_after_publication_beats_the_cached_page_and_its_etag(client, story):
    first = client.get(f"/kk/articles/{story.slug}/")
    assert first.status_code == 200
    desk.embargo_set(edition=edition(story, "kk"), user=editor(), until=timezone.now() + HOUR)
    again = client.get(f"/kk/articles/{story.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 404
    assert "Embargowords kk" not in again.content.decode()


@pytest.mark.usefixtures("shared_cache")
def test_shared_cache_an_embargo_set_after_publication_hides_the_cached_page_at_once(
    client, story, django_capture_on_commit_callbacks
):
    first = client.get(f"/en/articles/{story.slug}/")
    assert first.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        desk.embargo_set(edition=edition(story, "en"), user=editor(),
                         until=timezone.now() + HOUR, whole_article=True)  # fmt: skip
    again = client.get(f"/en/articles/{story.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 404


def test_a_shared_entry_never_outlives_the_next_embargo_end(settings, story):
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 300
    now = timezone.now()
    desk.embargo_set(edition=edition(story, "kk"), user=editor(),
                     until=now + datetime.timedelta(seconds=40))  # fmt: skip
    with clock_at(now):
        live = selectors.article_live_get(slug=story.slug)
        assert live.next_change_at == now + datetime.timedelta(seconds=40)
        assert public_cache._timeout(live) == 40
        assert public_cache._timeout(selectors.article_live_get(slug="nothing-here")) == 300
        assert public_cache._expired(public_cache._pack(live), now) is False
    assert public_cache._expired(public_cache._pack(live), live.next_change_at) is True


def test_the_feed_dates_an_embargoed_edition_from_its_embargo_s_end(client, story):
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    approved_at = edition(story, "kk").live_version.approved_at
    until = timezone.now() + HOUR
    desk.embargo_set(edition=edition(story, "kk"), user=editor(), until=until)
    with clock_at(until + datetime.timedelta(minutes=5)):
        feed = ElementTree.fromstring(client.get("/kk/feed/").content)
    [entry] = feed.findall(f"{atom}entry")
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{atom}updated"))
    assert updated == until > approved_at
