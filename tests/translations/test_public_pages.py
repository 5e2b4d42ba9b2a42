"""Article pages built when what they show changes, served by one read (``translations.pages``)."""

import datetime

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

from reviews import services as desk
from tests.factories import ContributorFactory, article_with_paragraphs, editor, publish, translate
from tests.lifecycle_helpers import clock_at, senior_editor
from translations import pages, views
from translations.models import Article, Edition, PublicPage, PublicPageGeneration

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def detail_url(article, language):
    return f"/{language}/articles/{article.slug}/"


@pytest.fixture(autouse=True)
def fresh_memory():
    """Each test starts with nothing kept in this process's memory of pages."""
    pages._memory.clear()
    yield
    pages._memory.clear()


@pytest.fixture
def built(django_capture_on_commit_callbacks):
    """Publish as the desk does, the pages built after each commit."""

    def run(article, language, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return publish(article, language, **kwargs)

    return run


@pytest.fixture
def story(built):
    article = article_with_paragraphs(count=3)
    built(article, "en", translators=[ContributorFactory()], editors=[ContributorFactory()])
    translate(article, "kk")
    built(article, "kk")
    return article


def approve_new_text(article, language, text):
    """Edit the first paragraph's working copy and approve it as the next version."""
    from translations import services
    from translations.models import Paragraph

    Paragraph.objects.filter(article=article, position=1).update(**{f"text_{language}": text})
    edition = services.edition_get_or_create(article=article, language=language)
    version = services.version_snapshot(edition=edition, user=None)
    services.version_go_live(version=version, user=None, action="tests.publish")
    return version


def rendered(client, url, settings):
    """The page as the view renders it for this request, without pre-built pages."""
    settings.TILMASH_PUBLIC_PAGES = False
    try:
        return client.get(url)
    finally:
        settings.TILMASH_PUBLIC_PAGES = True


def no_render(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("the page was rendered for a reader")

    monkeypatch.setattr(views, "_detail_render", refused)


# --- Built at publication, served by one read ---------------------------------------------


def test_publication_builds_every_language_s_page(story):
    keys = set(PublicPage.objects.values_list("page_key", "status"))

    assert keys == {(f"article:en:{story.slug}", 200), (f"article:kk:{story.slug}", 200)}


@pytest.mark.parametrize("language", ["en", "kk"])
def test_a_built_page_is_byte_for_byte_the_rendered_page(client, story, settings, language):
    served = client.get(detail_url(story, language))
    fresh = rendered(client, detail_url(story, language), settings)

    assert served.status_code == fresh.status_code == 200
    assert served.content == fresh.content
    assert served["Content-Type"] == fresh["Content-Type"]


@pytest.mark.parametrize("paragraphs", [3, 300])
def test_a_built_page_is_one_query_and_no_render_however_long(
    client, built, django_assert_num_queries, monkeypatch, paragraphs
):
    article = article_with_paragraphs(count=paragraphs)
    built(article, "en")
    no_render(monkeypatch)

    with django_assert_num_queries(1):
        response = client.get(detail_url(article, "en"))

    assert response.status_code == 200
    assert response.content.decode().count("<p>Paragraph ") == paragraphs


@pytest.mark.parametrize("paragraphs", [3, 300])
def test_building_an_article_s_pages_costs_the_same_queries_however_long(
    built, django_assert_max_num_queries, paragraphs
):
    article = article_with_paragraphs(count=paragraphs)
    built(article, "en")
    translate(article, "kk")
    built(article, "kk")

    with django_assert_max_num_queries(14):
        rows = pages.article_pages_build(article_id=article.pk)

    assert len(rows) == 2


def test_a_page_read_within_the_bound_costs_no_query(client, story, django_assert_num_queries):
    first = client.get(detail_url(story, "en"))

    with django_assert_num_queries(0):
        again = client.get(detail_url(story, "en"))

    assert again.content == first.content


def test_the_built_page_carries_validators_and_answers_304(client, story, monkeypatch):
    first = client.get(detail_url(story, "en"))
    no_render(monkeypatch)

    by_etag = client.get(detail_url(story, "en"), headers={"If-None-Match": first["ETag"]})
    by_date = client.get(
        detail_url(story, "en"), headers={"If-Modified-Since": first["Last-Modified"]}
    )

    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert by_etag.status_code == 304
    assert by_date.status_code == 304


def test_another_host_is_rendered_for_that_host(client, story):
    response = client.get(detail_url(story, "en"), HTTP_HOST="localhost")

    assert response.status_code == 200
    assert "http://localhost/en/articles/" in response.content.decode()
    assert "http://testserver/" not in response.content.decode()


# --- Fresh: what changes a page replaces it -----------------------------------------------


def test_an_approval_replaces_the_page_after_its_commit(
    client, story, django_capture_on_commit_callbacks, django_assert_num_queries, monkeypatch
):
    client.get(detail_url(story, "en"))  # kept in this process's memory
    with django_capture_on_commit_callbacks(execute=True):
        approve_new_text(story, "en", "The bridge opens in June.")
    no_render(monkeypatch)

    with django_assert_num_queries(1):
        html = client.get(detail_url(story, "en")).content.decode()

    assert "The bridge opens in June." in html


def test_another_language_going_live_replaces_the_other_pages(client, story, built):
    assert 'hreflang="ru"' not in client.get(detail_url(story, "en")).content.decode()
    translate(story, "ru")
    built(story, "ru")

    assert 'hreflang="ru"' in client.get(detail_url(story, "en")).content.decode()
    assert PublicPage.objects.filter(page_key=f"article:ru:{story.slug}").exists()


def test_a_missed_rebuild_is_never_served_and_the_next_request_repairs_it(
    client, story, django_assert_num_queries
):
    client.get(detail_url(story, "en"))
    # The approval commits but its build after the commit never runs (a killed
    # process): the generation moved on in the approving transaction.
    approve_new_text(story, "en", "The bridge opens in June.")

    repaired = client.get(detail_url(story, "en")).content.decode()
    pages._memory.clear()
    with django_assert_num_queries(1):
        served = client.get(detail_url(story, "en")).content.decode()

    assert "The bridge opens in June." in repaired
    assert served == repaired


def test_a_change_without_a_signal_is_caught_when_the_row_is_checked(client, story, settings):
    client.get(detail_url(story, "en"))
    Article.objects.filter(pk=story.pk).update(withdrawn_at=timezone.now())
    pages._memory.clear()
    assert client.get(detail_url(story, "en")).status_code == 200  # within the bound
    pages._memory.clear()
    settings.TILMASH_PUBLIC_PAGES_VERIFY_SECONDS = 0

    assert client.get(detail_url(story, "en")).status_code == 410
    assert client.get(detail_url(story, "kk")).status_code == 410


def test_a_rename_replaces_the_pages_that_credit_the_contributor(
    client, built, django_capture_on_commit_callbacks, monkeypatch
):
    translator = ContributorFactory(name_en="Saniya Sakenova")
    article = article_with_paragraphs(count=1)
    built(article, "en", translators=[translator])
    assert "Saniya Sakenova" in client.get(detail_url(article, "en")).content.decode()

    translator.name_en = "Saniya Sakenova-Akhmetova"
    with django_capture_on_commit_callbacks(execute=True):
        translator.save()
    no_render(monkeypatch)

    assert "Sakenova-Akhmetova" in client.get(detail_url(article, "en")).content.decode()


def test_a_new_build_tag_serves_no_old_row(client, story, monkeypatch):
    client.get(detail_url(story, "en"))
    monkeypatch.setattr(views, "PAGE_MARKUP_VERSION", views.PAGE_MARKUP_VERSION + 1)
    pages._build_tag.cache_clear()
    old_tag = PublicPage.objects.values_list("build_tag", flat=True).first()

    assert client.get(detail_url(story, "en")).status_code == 200  # rendered, then rebuilt
    assert set(PublicPage.objects.values_list("build_tag", flat=True)) == {pages.build_tag()}
    assert pages.build_tag() != old_tag
    pages._build_tag.cache_clear()


# --- Embargo and withdrawal ---------------------------------------------------------------


def test_an_embargoed_language_appears_at_its_time_without_a_render(
    client, story, django_capture_on_commit_callbacks, monkeypatch
):
    until = timezone.now() + HOUR
    kazakh = Edition.objects.select_related("article").get(article=story, language="kk")
    with django_capture_on_commit_callbacks(execute=True):
        desk.embargo_set(edition=kazakh, user=editor(), until=until)
    no_render(monkeypatch)

    english_before = client.get(detail_url(story, "en")).content.decode()
    with clock_at(until - datetime.timedelta(seconds=1)):
        pages._memory.clear()
        assert pages.page_get(language="kk", slug=story.slug) is None
    with clock_at(until):
        pages._memory.clear()
        kazakh_then = client.get(detail_url(story, "kk"))
        english_then = client.get(detail_url(story, "en")).content.decode()

    assert 'hreflang="kk"' not in english_before
    assert kazakh_then.status_code == 200
    assert 'hreflang="kk"' in english_then


def test_a_withdrawn_article_answers_410_from_its_built_page(
    client, story, django_capture_on_commit_callbacks, monkeypatch
):
    english = Edition.objects.select_related("article").get(article=story, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        desk.article_withdraw(edition=english, user=senior_editor(), reason="Legal advice.")

    with monkeypatch.context() as patched:
        patched.setattr(views, "_withdrawn", lambda *args: pytest.fail("rendered"))
        gone = client.get(detail_url(story, "kk"))

    assert gone.status_code == 410
    assert PublicPage.objects.filter(status=410).count() == 2


# --- Across processes, and while the database is down --------------------------------------


def test_a_change_from_another_process_shows_within_the_bound(client, story, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(pages.store.time, "monotonic", lambda: clock[0])
    before = client.get(detail_url(story, "en")).content
    # Another process approved and rebuilt: this process was not told.
    approve_new_text(story, "en", "Approved elsewhere.")
    pages.article_pages_build(article_id=story.pk)
    pages._memory.generation -= 2  # as if neither had happened here

    within = client.get(detail_url(story, "en")).content
    clock[0] += 1.01
    after = client.get(detail_url(story, "en")).content

    assert within == before
    assert b"Approved elsewhere." in after


def test_a_kept_page_is_served_stale_while_the_database_is_down(client, story, monkeypatch):
    fresh = client.get(detail_url(story, "en"))

    def refused(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    pages._memory.forget()  # the kept copy is no longer current
    monkeypatch.setattr(type(connections["default"]), "cursor", refused)
    stale = client.get(detail_url(story, "en"))

    assert stale.status_code == 200
    assert stale["X-Tilmash-Stale"] == "1"
    assert stale.content == fresh.content
    assert "ETag" not in stale.headers


def test_a_generation_is_replaced_in_the_approving_transaction(story):
    before = PublicPageGeneration.objects.get(article=story).generation

    approve_new_text(story, "en", "Changed.")  # its after-commit build never runs here

    assert PublicPageGeneration.objects.get(article=story).generation != before


def test_the_command_builds_the_pages_of_articles_written_without_the_services(client, story):
    import io

    from django.core.management import call_command

    PublicPage.objects.all().delete()

    call_command("public_pages_build", stdout=io.StringIO())

    assert PublicPage.objects.filter(article=story).count() == 2


# --- The list's pages, kept a bound per process -------------------------------------------


def test_a_list_page_rendered_within_the_bound_costs_no_query(
    client, story, django_assert_num_queries
):
    first = client.get("/en/")

    with django_assert_num_queries(0):
        again = client.get("/en/")

    assert again.content == first.content
    assert again["Cache-Control"] == first["Cache-Control"]


def test_a_publication_in_this_process_shows_on_the_list_at_once(client, story, built):
    client.get("/en/")
    article = article_with_paragraphs(count=1, title="Second story")

    built(article, "en")

    assert "Second story" in client.get("/en/").content.decode()


def test_each_origin_keeps_its_own_list(client, story):
    client.get("/en/")

    other = client.get("/en/", HTTP_HOST="localhost").content.decode()

    assert "http://localhost/en/" in other
    assert "http://testserver/" not in other


def test_a_feed_rendered_within_the_bound_costs_no_query_and_keeps_its_headers(
    client, story, django_assert_num_queries
):
    first = client.get("/en/feed/")
    assert first["Content-Type"] == "application/atom+xml; charset=utf-8"

    with django_assert_num_queries(0):
        again = client.get("/en/feed/")

    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_a_publication_in_this_process_shows_in_the_feed_at_once(client, story, built):
    client.get("/en/feed/")
    article = article_with_paragraphs(count=1, title="Second story")

    built(article, "en")

    assert "Second story" in client.get("/en/feed/").content.decode()
