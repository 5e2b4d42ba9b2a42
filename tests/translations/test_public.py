"""The public pages: only approved versions, in their own language, in few queries."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    EditionState,
    article_with_paragraphs,
    edition_in_state,
    publish,
    translate,
)
from translations import selectors, services
from translations.models import Edition, Paragraph

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")


def detail_url(article, language):
    return f"/{language}/articles/{article.slug}/"


def links(html, rel):
    """``{hreflang: href}`` of the ``<link rel=...>`` tags in ``html``."""
    return dict(re.findall(rf'<link rel="{rel}" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher_languages(html):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return re.findall(r'hreflang="([^"]+)"', nav)


@pytest.fixture
def no_page_cache(settings):
    """Every request renders: no page cache, no pre-built pages (``translations.pages``)."""
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 0
    settings.TILMASH_PUBLIC_PAGES = False


# --- What shows, and what is a 404 -------------------------------------------


def test_an_approved_edition_shows_its_title_and_paragraphs(client):
    article = article_with_paragraphs(count=2, title="Floods in the north")
    publish(article, "en")

    response = client.get(detail_url(article, "en"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="story__title">Floods in the north</h1>' in html
    assert "<p>Paragraph 1.</p>" in html
    assert "<p>Paragraph 2.</p>" in html


def test_draft_only_is_not_found(client):
    article = article_with_paragraphs(count=1)
    edition_in_state(article, "en", EditionState.IN_PROGRESS)

    assert client.get(detail_url(article, "en")).status_code == 404


def test_in_review_only_is_not_found(client):
    article = article_with_paragraphs(count=1)
    translate(article, "kk")
    edition = edition_in_state(article, "kk", EditionState.IN_REVIEW)
    services.version_snapshot(edition=edition, user=None)

    assert client.get(detail_url(article, "kk")).status_code == 404


def test_approved_in_another_language_only_is_not_found(client):
    article = article_with_paragraphs(count=1)
    translate(article, "ru")
    publish(article, "ru")

    response = client.get(detail_url(article, "kk"))

    assert response.status_code == 404
    assert "[ru]" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/de/articles/{slug}/",
        "/xx/articles/{slug}/",
        "/EN/articles/{slug}/",
        "/en/articles/{slug}x/",
        "/en/articles/{slug}/extra/",
        "/en/articles/../{slug}/",
        "/en/articles/%D0%B0%D0%B1/",
        "/en/articles/a%20b/",
        "/en/articles/a.b/",
        "/en/articles/" + "a" * 300 + "/",
        "/en/articles/%00/",
    ],
)
def test_unknown_languages_and_odd_slugs_are_not_found(client, path):
    article = article_with_paragraphs(count=1)
    publish(article, "en")

    assert client.get(path.format(slug=article.slug)).status_code == 404


def test_a_working_copy_edited_after_approval_never_shows(client):
    article = article_with_paragraphs(count=1, title="Approved title")
    publish(article, "en")
    Paragraph.objects.filter(article=article).update(text_en="Unapproved rewrite.")
    type(article).objects.filter(pk=article.pk).update(title_en="Unapproved title")

    html = client.get(detail_url(article, "en")).content.decode()

    assert "Paragraph 1." in html
    assert "Approved title" in html
    assert "Unapproved" not in html


def test_a_submitted_but_unapproved_newer_version_never_shows(client):
    article = article_with_paragraphs(count=1)
    edition = publish(article, "en")
    Paragraph.objects.filter(article=article).update(text_en="Submitted, not approved.")
    services.version_snapshot(edition=edition, user=None)

    html = client.get(detail_url(article, "en")).content.decode()

    assert "Paragraph 1." in html
    assert "Submitted, not approved." not in html


def test_an_edition_back_in_review_keeps_showing_its_last_approved_version(client):
    article = article_with_paragraphs(count=1)
    edition = publish(article, "en")
    Paragraph.objects.filter(article=article).update(text_en="Resubmitted text.")
    services.version_snapshot(edition=edition, user=None)
    Edition.objects.filter(pk=edition.pk).update(state=EditionState.IN_REVIEW)

    response = client.get(detail_url(article, "en"))

    assert response.status_code == 200
    assert "Paragraph 1." in response.content.decode()
    assert "Resubmitted text." not in response.content.decode()


def test_a_live_version_of_another_language_is_never_shown(client):
    article = article_with_paragraphs(count=1)
    english = publish(article, "en")
    kazakh = services.edition_get_or_create(article=article, language="kk")
    Edition.objects.filter(pk=kazakh.pk).update(live_version=english.live_version)

    assert client.get(detail_url(article, "kk")).status_code == 404
    assert list_titles(client.get("/kk/").content.decode()) == []


def test_html_in_paragraph_text_is_shown_escaped_and_line_breaks_are_kept(client):
    article = article_with_paragraphs(texts=['<script>alert("x")</script>\nSecond line & more'])
    publish(article, "en")

    html = client.get(detail_url(article, "en")).content.decode()

    assert "<script>" not in html
    assert (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line &amp; more</p>" in html
    )


def test_html_in_the_title_is_shown_escaped(client):
    article = article_with_paragraphs(count=1, title="<i>Breaking</i>")
    publish(article, "en")

    html = client.get(detail_url(article, "en")).content.decode()

    assert "<i>Breaking</i>" not in html
    assert "&lt;i&gt;Breaking&lt;/i&gt;" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "7 January 2022, 15:23"),
        ("ru", "7 января 2022, 15:23"),
        ("kk", "7 қаңтар 2022, 15:23"),
    ],
)
def test_the_dateline_is_written_in_the_page_language_in_almaty_time(client, language, expected):
    article = article_with_paragraphs(
        count=1, dateline=datetime.datetime(2022, 1, 7, 15, 23, tzinfo=ALMATY)
    )
    translate(article, language)
    publish(article, language)

    html = client.get(detail_url(article, language)).content.decode()

    assert f'<time datetime="2022-01-07T15:23:00+06:00">{expected}</time>' in html


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_html_lang_is_the_page_language(client, language):
    article = article_with_paragraphs(count=1)
    translate(article, language)
    publish(article, language)

    html = client.get(detail_url(article, language)).content.decode()

    assert f'<html lang="{language}">' in html
    assert f'<html lang="{language}">' in client.get(f"/{language}/").content.decode()


# --- Credits ------------------------------------------------------------------


@pytest.fixture
def credited_article():
    article = article_with_paragraphs(count=1)
    saniya = ContributorFactory(
        name="Saniya Sakenova", name_ru="Сания Сакенова", name_kk="Сания Сәкенова"
    )
    assem = ContributorFactory(
        name="Assem Zhanmukhanova", name_ru="Асем Жанмуханова", name_kk="Әсем Жанмұханова"
    )
    galiya = ContributorFactory(
        name="Galiya Khassenkhanova", name_ru="Галия Хасенханова", name_kk="Ғалия Хасенханова"
    )
    for language in ("kk", "ru", "en"):
        if language != article.source_language:
            translate(article, language)
        publish(article, language, translators=[saniya, assem], editors=[galiya])
    return article


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                "Translation by Saniya Sakenova and Assem Zhanmukhanova",
                "Editing by Galiya Khassenkhanova",
            ],
        ),
        (
            "ru",
            [
                "Перевод: Сания Сакенова и Асем Жанмуханова",
                "Редактирование: Галия Хасенханова",
            ],
        ),
        (
            "kk",
            [
                "Аударған: Сания Сәкенова және Әсем Жанмұханова",
                "Редакциялаған: Ғалия Хасенханова",
            ],
        ),
    ],
)
def test_credit_lines_are_written_in_the_page_language(client, credited_article, language, lines):
    html = client.get(detail_url(credited_article, language)).content.decode()

    credits = re.search(r'<footer class="story__credits">(.*?)</footer>', html, re.S).group(1)
    assert re.findall(r"<p>(.*?)</p>", credits) == lines


def test_an_author_credit_reads_by(client):
    article = article_with_paragraphs(count=1)
    edition = services.edition_get_or_create(article=article, language="en")
    version = services.version_snapshot(edition=edition, user=None)
    services.credits_replace(
        version=version, credits=[(ContributorFactory(name="Aida Bekova"), "author")]
    )
    services.version_go_live(version=version, user=None, action="tests.publish")

    assert "<p>By Aida Bekova</p>" in client.get(detail_url(article, "en")).content.decode()


# --- Languages: switcher, hreflang, x-default, canonical ------------------------


def test_the_switcher_lists_only_the_approved_languages(client):
    article = article_with_paragraphs(count=1)
    publish(article, "en")
    translate(article, "kk")
    publish(article, "kk")
    translate(article, "ru")
    edition_in_state(article, "ru", EditionState.IN_REVIEW)

    html = client.get(detail_url(article, "en")).content.decode()

    assert switcher_languages(html) == ["kk", "en"]
    assert f'href="http://testserver/kk/articles/{article.slug}/"' in html
    assert "/ru/articles/" not in html


def test_hreflang_alternates_name_every_approved_edition_and_x_default_the_source(client):
    article = article_with_paragraphs(count=1, source_language="ru")
    publish(article, "ru")
    translate(article, "en")
    publish(article, "en")

    html = client.get(detail_url(article, "en")).content.decode()

    assert links(html, "alternate") == {
        "ru": f"http://testserver/ru/articles/{article.slug}/",
        "en": f"http://testserver/en/articles/{article.slug}/",
        "x-default": f"http://testserver/ru/articles/{article.slug}/",
    }
    assert f'<link rel="canonical" href="http://testserver/en/articles/{article.slug}/">' in html


def test_x_default_is_the_first_approved_edition_when_the_source_is_not_approved(client):
    article = article_with_paragraphs(count=1, source_language="en")
    for language in ("ru", "kk"):
        translate(article, language)
        publish(article, language)

    html = client.get(detail_url(article, "ru")).content.decode()

    assert links(html, "alternate")["x-default"] == (
        f"http://testserver/kk/articles/{article.slug}/"
    )
    assert set(links(html, "alternate")) == {"kk", "ru", "x-default"}


# --- The list -------------------------------------------------------------------


def list_titles(html):
    return re.findall(r'<h2 class="story-card__title"><a href="[^"]+">(.*?)</a></h2>', html)


def test_the_list_shows_approved_editions_of_its_language_newest_first(client):
    older = article_with_paragraphs(
        count=1, title="Older", dateline=datetime.datetime(2022, 1, 5, 9, 0, tzinfo=ALMATY)
    )
    newer = article_with_paragraphs(
        count=1, title="Newer", dateline=datetime.datetime(2022, 1, 7, 9, 0, tzinfo=ALMATY)
    )
    draft = article_with_paragraphs(count=1, title="Draft")
    russian_only = article_with_paragraphs(count=1, title="Russian only")
    publish(older, "en")
    publish(newer, "en")
    edition_in_state(draft, "en", EditionState.IN_PROGRESS)
    translate(russian_only, "ru")
    publish(russian_only, "ru")

    assert list_titles(client.get("/en/").content.decode()) == ["Newer", "Older"]
    assert list_titles(client.get("/ru/").content.decode()) == ["[ru] Russian only"]
    assert list_titles(client.get("/kk/").content.decode()) == []


def test_the_list_shows_the_approved_title_not_the_working_copy(client):
    article = article_with_paragraphs(count=1, title="Approved")
    publish(article, "en")
    type(article).objects.filter(pk=article.pk).update(title_en="Working copy")

    assert list_titles(client.get("/en/").content.decode()) == ["Approved"]


def newer_older_links(html):
    """``(newer href, older href)`` of the list's pagination, None where absent."""
    newer = re.search(r'<a class="pagination__newer" rel="prev" href="([^"]*)">', html)
    older = re.search(r'<a class="pagination__older" rel="next" href="([^"]*)">', html)
    return (newer and newer.group(1), older and older.group(1))


def current_page(html):
    return re.search(r'<span class="pagination__current">(.*?)</span>', html).group(1)


@pytest.fixture
def five_days(settings):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 2
    for day in range(1, 6):
        article = article_with_paragraphs(
            count=1,
            title=f"Day {day}",
            dateline=datetime.datetime(2022, 1, day, 9, 0, tzinfo=ALMATY),
        )
        publish(article, "en")


def test_the_list_is_paginated(client, five_days):
    first = client.get("/en/").content.decode()
    third = client.get("/en/?page=3").content.decode()

    assert list_titles(first) == ["Day 5", "Day 4"]
    assert list_titles(third) == ["Day 1"]
    assert current_page(first) == "Page 1"
    assert '<link rel="canonical" href="http://testserver/en/?page=3">' in third


def test_the_list_links_newer_and_older_pages_without_a_page_count(client, five_days):
    pages = [client.get("/en/", {"page": n}).content.decode() for n in (1, 2, 3)]

    assert [newer_older_links(html) for html in pages] == [
        (None, "?page=2"),
        ("/en/", "?page=3"),
        ("?page=2", None),
    ]
    assert [list_titles(html) for html in pages] == [
        ["Day 5", "Day 4"],
        ["Day 3", "Day 2"],
        ["Day 1"],
    ]
    assert [current_page(html) for html in pages] == ["Page 1", "Page 2", "Page 3"]


def test_a_full_last_page_has_no_older_link_and_the_next_is_not_found(client, settings):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 2
    for _n in range(4):
        publish(article_with_paragraphs(count=1), "en")

    second = client.get("/en/?page=2")

    assert second.status_code == 200
    assert len(list_titles(second.content.decode())) == 2
    assert newer_older_links(second.content.decode()) == ("/en/", None)
    assert client.get("/en/?page=3").status_code == 404


def test_pages_skip_articles_without_a_published_edition_in_the_language(client, settings):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 2
    for day in range(1, 8):
        article = article_with_paragraphs(
            count=1,
            title=f"Day {day}",
            dateline=datetime.datetime(2022, 1, day, 9, 0, tzinfo=ALMATY),
        )
        if day % 2:
            publish(article, "en")
        else:
            translate(article, "ru")
            publish(article, "ru")
            edition_in_state(article, "en", EditionState.IN_PROGRESS)

    pages = [client.get("/en/", {"page": n}).content.decode() for n in (1, 2)]

    assert [list_titles(html) for html in pages] == [["Day 7", "Day 5"], ["Day 3", "Day 1"]]
    assert newer_older_links(pages[1]) == ("/en/", None)
    assert client.get("/en/?page=3").status_code == 404
    assert list_titles(client.get("/ru/").content.decode()) == ["[ru] Day 6", "[ru] Day 4"]


def test_articles_with_the_same_dateline_are_ordered_by_id_across_pages(client, settings):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 2
    same = datetime.datetime(2022, 1, 7, 9, 0, tzinfo=ALMATY)
    articles = [
        article_with_paragraphs(count=1, title=f"Same {n}", dateline=same) for n in range(5)
    ]
    for article in articles:
        publish(article, "en")

    titles = [
        title
        for page in (1, 2, 3)
        for title in list_titles(client.get("/en/", {"page": page}).content.decode())
    ]

    assert titles == [f"Same {n}" for n in reversed(range(5))]


@pytest.mark.parametrize(
    "page", ["0", "4", "-1", "abc", "1.5", "last", "01", " 2", "2 ", "1e3", "+2", "9" * 10]
)
def test_a_page_that_does_not_exist_is_not_found(client, settings, page):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 2
    for _n in range(5):
        publish(article_with_paragraphs(count=1), "en")

    assert client.get("/en/", {"page": page}).status_code == 404


def test_a_page_far_beyond_the_end_is_not_found(client):
    publish(article_with_paragraphs(count=1), "en")

    assert client.get("/en/", {"page": "9" * 9}).status_code == 404


def test_an_empty_list_is_a_page_not_a_404(client):
    response = client.get("/kk/")

    assert response.status_code == 200
    assert '<html lang="kk">' in response.content.decode()


def test_the_list_does_not_load_the_versions_text():
    publish(article_with_paragraphs(count=3), "en")

    (edition,) = selectors.editions_published_page(language="en", size=20).editions

    assert "units" in edition.live_version.get_deferred_fields()
    assert edition.lead == "Paragraph 1."


def test_the_list_reads_the_leads_of_the_page_s_editions_only(django_assert_num_queries):
    articles = []
    for day in range(1, 6):
        article = article_with_paragraphs(
            count=1, dateline=datetime.datetime(2022, 1, day, 9, 0, tzinfo=ALMATY)
        )
        publish(article, "en")
        articles.append(article)

    with django_assert_num_queries(2) as captured:
        page = selectors.editions_published_page(language="en", size=2, number=2)

    pick_sql, read_sql = (query["sql"] for query in captured.captured_queries)
    assert "units" not in pick_sql
    assert "COUNT(" not in pick_sql.upper()
    assert "LIMIT 3" in pick_sql and "OFFSET 2" in pick_sql
    assert "units" in read_sql
    (listed,) = re.findall(r'"article_id" IN \(([^)]*)\)', read_sql)
    assert {int(pk) for pk in listed.split(",")} == {articles[2].pk, articles[1].pk}
    assert [edition.article_id for edition in page.editions] == [articles[2].pk, articles[1].pk]
    assert [edition.lead for edition in page.editions] == ["Paragraph 1.", "Paragraph 1."]
    assert page.has_previous and page.has_next


def test_the_list_lead_is_the_first_paragraph_cut_to_its_length():
    long = "Word " * 200
    publish(article_with_paragraphs(texts=[long.strip(), "Second."]), "en")

    (edition,) = selectors.editions_published_page(language="en", size=20).editions

    assert edition.lead == long[: selectors.LEAD_CHARS]


def test_the_list_lead_is_escaped(client):
    publish(article_with_paragraphs(texts=["<b>Bold</b> claim"]), "en")

    html = client.get("/en/").content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in html
    assert "<b>Bold</b>" not in html


# --- Query counts -----------------------------------------------------------------


@pytest.mark.parametrize("paragraphs", [3, 300])
def test_the_detail_page_makes_three_queries_however_long_the_article(
    client, django_assert_num_queries, no_page_cache, paragraphs
):
    article = article_with_paragraphs(count=paragraphs)
    translator, editor = ContributorFactory(), ContributorFactory()
    publish(article, "en", translators=[translator], editors=[editor])
    translate(article, "kk")
    publish(article, "kk", translators=[translator])

    with django_assert_num_queries(3):
        response = client.get(detail_url(article, "en"))

    assert response.status_code == 200
    assert response.content.decode().count("<p>Paragraph ") == paragraphs


@pytest.mark.parametrize("articles", [5, 50])
def test_the_list_page_makes_two_queries_however_large_the_archive(
    client, django_assert_num_queries, settings, articles
):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 100
    for _n in range(articles):
        publish(article_with_paragraphs(count=2), "en")

    with django_assert_num_queries(2):
        response = client.get("/en/")

    assert len(list_titles(response.content.decode())) == articles


@pytest.mark.parametrize("articles", [5, 50])
@pytest.mark.parametrize("page", [1, 2])
def test_each_list_page_makes_two_queries_and_counts_nothing(
    client, django_assert_num_queries, settings, articles, page
):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 4
    for _n in range(articles):
        publish(article_with_paragraphs(count=2), "en")

    with django_assert_num_queries(2) as captured:
        response = client.get("/en/", {"page": page})

    assert response.status_code == 200
    assert len(list_titles(response.content.decode())) == (1 if (articles, page) == (5, 2) else 4)
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_an_empty_list_makes_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/kk/")

    assert response.status_code == 200


def test_a_404_for_an_unknown_slug_makes_two_queries(client, django_assert_num_queries):
    ArticleFactory()

    # The pre-built page's read (none), then the article's live versions (none).
    with django_assert_num_queries(2):
        assert client.get("/en/articles/no-such-article/").status_code == 404


def test_the_not_found_page_is_in_the_requested_language(client):
    with translation.override("ru"):
        response = client.get("/ru/articles/no-such-article/")

    assert response.status_code == 404
    assert '<html lang="ru">' in response.content.decode()


def test_the_server_error_page_renders_without_a_request_context(rf):
    response = server_error(rf.get("/en/"))

    assert response.status_code == 500
    assert "Server error" in response.content.decode()


def test_the_site_root_redirects_to_a_language_front_page(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_the_front_page_switcher_lists_every_language(client):
    html = client.get("/ru/").content.decode()

    assert switcher_languages(html) == ["kk", "ru", "en", "kk-Latn"]
    assert 'lang="kk">Қазақша</a>' in html
    assert 'lang="kk-Latn">Qazaqşa (latyn)</a>' in html
    assert 'aria-current="page">Русский</a>' in html
