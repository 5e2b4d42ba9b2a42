"""Withdrawal: every edition off every public output at once, 410 Gone with a
dated notice in the page's language; the desk keeps everything; reinstating
brings it back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reviews import services as desk
from tests.factories import article_with_paragraphs, editor, publish, translate
from tests.lifecycle_helpers import clock_at, senior_editor
from tests.translations.test_caching import shared_cache  # noqa: F401  (a fixture)
from tests.translations.test_embargo import ALL_THERE, NOWHERE, public_presence
from translations.models import AuditEntry, Edition, Version
from translations.states import Move, article_state_move

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "kk", "ru")
WITHDRAWN_AT = datetime.datetime(2026, 12, 5, 9, 5, tzinfo=datetime.UTC)  # 14:05 in Almaty


@pytest.fixture
def story():
    article = article_with_paragraphs(texts=["Embargowords from the minister."], title="Budget")
    publish(article, "en")
    for language in ("kk", "ru"):
        translate(article, language, texts=[f"Embargowords {language} text."])
        publish(article, language)
    return article


def edition(article, language):
    return Edition.objects.select_related("article").get(article=article, language=language)


def withdraw(article, user=None, reason="Legal advice."):
    with clock_at(WITHDRAWN_AT):
        desk.article_withdraw(edition=edition(article, "en"), user=user or senior_editor(),
                              reason=reason)  # fmt: skip


def test_a_withdrawn_article_is_gone_from_every_output_in_every_language(client, story):
    withdraw(story)
    for language in LANGUAGES:
        assert public_presence(client, story, language) == NOWHERE, language


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "This article was withdrawn on 5 December 2026, 14:05."),
        ("ru", "Эта статья была отозвана 5 декабря 2026, 14:05."),
        ("kk", "Бұл мақала қайтарып алынды: 5 желтоқсан 2026, 14:05."),
    ],
)
def test_the_article_url_answers_410_with_a_dated_notice_in_its_language(
    client, story, language, notice
):
    withdraw(story)
    response = client.get(f"/{language}/articles/{story.slug}/")
    assert response.status_code == 410
    assert notice in response.content.decode()
    assert "ETag" not in response
    assert "Legal advice" not in response.content.decode()  # the reason is the desk's


def test_a_language_never_published_stays_a_404_not_a_410(client):
    article = article_with_paragraphs(texts=["Only English."])
    publish(article, "en")
    withdraw(article)
    assert client.get(f"/en/articles/{article.slug}/").status_code == 410
    assert client.get(f"/kk/articles/{article.slug}/").status_code == 404


def test_a_withdrawn_and_still_embargoed_article_is_a_404(client, story):
    user = senior_editor()
    until = timezone.now() + datetime.timedelta(days=2)
    desk.embargo_set(edition=edition(story, "en"), user=user, until=until, whole_article=True)
    desk.article_withdraw(edition=edition(story, "en"), user=user, reason="Wrong.")
    assert client.get(f"/en/articles/{story.slug}/").status_code == 404


def test_a_withdrawn_page_keeps_the_query_count_of_a_missing_one(
    client, story, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # its 410 pages are built
        withdraw(story)
    with django_assert_num_queries(1):
        assert client.get(f"/ru/articles/{story.slug}/").status_code == 410


def test_a_cached_page_and_its_etag_do_not_outlive_the_withdrawal(client, story):
    first = client.get(f"/en/articles/{story.slug}/")
    assert first.status_code == 200
    withdraw(story)
    again = client.get(f"/en/articles/{story.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 410


@pytest.mark.usefixtures("shared_cache")
def test_shared_cache_drops_the_article_at_once(
    client, story, django_capture_on_commit_callbacks
):
    assert client.get(f"/en/articles/{story.slug}/").status_code == 200  # cached now
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        withdraw(story)
    assert callbacks
    assert client.get(f"/en/articles/{story.slug}/").status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        desk.article_reinstate(edition=edition(story, "en"), user=senior_editor("s2"))
    assert client.get(f"/en/articles/{story.slug}/").status_code == 200


def test_the_desk_keeps_working_copies_versions_and_history(story):
    versions = Version.objects.filter(edition__article=story).count()
    withdraw(story, reason="Source retracted the claim.")
    story.refresh_from_db()
    assert story.title_in_source() == "Budget"
    assert Version.objects.filter(edition__article=story).count() == versions
    assert all(e.live_version_id for e in Edition.objects.filter(article=story))
    entry = AuditEntry.objects.get(article=story, action="reviews.article.withdraw")
    assert (entry.from_state, entry.to_state, entry.comment) == (
        "current", "withdrawn", "Source retracted the claim.",
    )  # fmt: skip


def test_reinstating_brings_every_edition_back_as_it_was(client, story):
    pages = {lang: client.get(f"/{lang}/articles/{story.slug}/").content for lang in LANGUAGES}
    withdraw(story)
    desk.article_reinstate(edition=edition(story, "kk"), user=senior_editor(), comment="Cleared.")
    for language in LANGUAGES:
        assert public_presence(client, story, language) == ALL_THERE, language
        assert client.get(f"/{language}/articles/{story.slug}/").content == pages[language]
    assert AuditEntry.objects.filter(article=story, action="reviews.article.reinstate").exists()


def test_only_a_senior_editor_withdraws_or_reinstates(story):
    with pytest.raises(PermissionDenied):
        desk.article_withdraw(edition=edition(story, "en"), user=editor(), reason="No.")
    withdraw(story)
    with pytest.raises(PermissionDenied):
        desk.article_reinstate(edition=edition(story, "en"), user=editor("other"))
    assert edition(story, "en").article.withdrawn_at == WITHDRAWN_AT


def test_a_withdrawal_without_a_reason_is_refused_and_writes_nothing(client, story):
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        desk.article_withdraw(edition=edition(story, "en"), user=senior_editor(), reason="  ")
    assert AuditEntry.objects.count() == count
    assert public_presence(client, story, "en") == ALL_THERE


def test_withdrawing_twice_or_reinstating_a_current_article_is_not_in_the_table(story):
    user = senior_editor()
    with pytest.raises(PermissionDenied):
        desk.article_reinstate(edition=edition(story, "en"), user=user)
    with pytest.raises(ValidationError):
        article_state_move(article=story, move=Move.ARTICLE_REINSTATE, user=user,
                           action="tests.reinstate", also={"withdrawn_at": None})  # fmt: skip
    withdraw(story, user)
    with pytest.raises(PermissionDenied):
        desk.article_withdraw(edition=edition(story, "en"), user=user, reason="Again.")
