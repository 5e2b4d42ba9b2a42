"""Public search: only live text, per language, in two queries; PostgreSQL's index and stemming."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from reviews import services as desk
from tests.factories import ALMATY, article_with_paragraphs, publish, translate
from translations import search
from translations.models import Paragraph, SearchEntry
from translations.services import edition_get_or_create, version_go_live, version_snapshot

pytestmark = pytest.mark.django_db


def search_url(language, query, page=None):
    from django.utils import translation

    with translation.override(language):
        url = reverse("public:search")
    url += f"?q={query}"
    return url + (f"&page={page}" if page else "")


def titles(response):
    return [edition.live_version.title for edition in response.context["editions"]]


def story(texts, *, title, days=0, language="en"):
    dateline = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=ALMATY) + datetime.timedelta(days=days)
    article = article_with_paragraphs(
        count=len(texts), texts=texts, title=title, source_language=language, dateline=dateline
    )
    publish(article, language)
    return article


def test_a_word_of_the_live_text_finds_the_article_and_links_to_it(client):
    article = story(["The tram line opened with 14 stops."], title="Tram line opens")
    story(["Farmers finished the harvest."], title="Harvest ends", days=1)
    response = client.get(search_url("en", "tram"))
    assert response.status_code == 200
    assert titles(response) == ["Tram line opens"]
    page = response.content.decode()
    assert reverse("public:article_detail", kwargs={"slug": article.slug}) in page
    assert "Search results for “tram”" in page
    assert '<meta name="robots" content="noindex, follow">' in page


def test_every_word_must_match(client):
    story(["The tram line opened."], title="Tram line opens")
    story(["The tram depot closed."], title="Depot closes", days=1)
    assert titles(client.get(search_url("en", "tram opened"))) == ["Tram line opens"]


def test_working_copies_and_submissions_are_never_found(client):
    article = story(["The tram line opened."], title="Tram line opens")
    # A newer working copy, then submitted for review: neither is live.
    Paragraph.objects.filter(article=article, position=1).update(
        text_en="Embargoed: the mayor resigns."
    )
    edition = edition_get_or_create(article=article, language="en")
    version_snapshot(edition=edition, user=None)
    translate(article, "kk", ["Жасырын жоба мәтіні."])
    assert titles(client.get(search_url("en", "embargoed"))) == []
    assert titles(client.get(search_url("kk", "жасырын"))) == []
    assert titles(client.get(search_url("en", "opened"))) == ["Tram line opens"]


def test_a_newer_approved_version_replaces_what_is_found(client):
    article = story(["The depot was busy."], title="Tram news")
    Paragraph.objects.filter(article=article, position=1).update(text_en="The line closed.")
    edition = edition_get_or_create(article=article, language="en")
    version = version_snapshot(edition=edition, user=None)
    version_go_live(version=version, user=None, action="tests.publish")
    assert titles(client.get(search_url("en", "closed"))) == ["Tram news"]
    assert titles(client.get(search_url("en", "busy"))) == []
    assert SearchEntry.objects.get(edition=edition).version == version


def test_an_entry_behind_its_edition_s_live_version_shows_nothing(client):
    article = story(["The tram line opened."], title="Tram line opens")
    old = SearchEntry.objects.get(article=article)
    Paragraph.objects.filter(article=article, position=1).update(text_en="Now different.")
    edition = edition_get_or_create(article=article, language="en")
    version_go_live(
        version=version_snapshot(edition=edition, user=None), user=None, action="tests.publish"
    )
    # An entry left behind (put back by hand here) must not surface the old text.
    SearchEntry.objects.filter(pk=old.pk).update(version=old.version, document=old.document)
    assert titles(client.get(search_url("en", "opened"))) == []


def test_languages_are_searched_apart(client):
    article = story(["The tram line opened."], title="Tram line opens")
    translate(article, "ru", ["Открылась трамвайная линия."], title="Трамвай пошёл")
    publish(article, "ru")
    assert titles(client.get(search_url("ru", "трамвайная"))) == ["Трамвай пошёл"]
    assert titles(client.get(search_url("en", "трамвайная"))) == []
    assert titles(client.get(search_url("ru", "tram"))) == []


def test_case_does_not_matter_in_cyrillic_either(client):
    story(["Қала әкімдігі трамвай желісін ашты."], title="Трамвай", language="kk")
    assert titles(client.get(search_url("kk", "ҚАЛА ӘКІМДІГІ"))) == ["Трамвай"]
    assert titles(client.get(search_url("kk", "трамвай"))) == ["Трамвай"]


def test_search_rebuild_writes_live_editions_and_drops_stale_entries(client, capsys):
    from django.core.management import call_command

    story(["The tram line opened."], title="Tram line opens")
    SearchEntry.objects.all().delete()
    call_command("search_rebuild")
    assert "written for 1 live editions" in capsys.readouterr().out
    assert titles(client.get(search_url("en", "tram"))) == ["Tram line opens"]
    SearchEntry.objects.update(document="garbled")  # an existing entry is rewritten
    call_command("search_rebuild")
    assert SearchEntry.objects.get().document == "Tram line opens\nThe tram line opened."


def test_the_language_switcher_runs_the_same_search_in_each_language(client):
    page = client.get(search_url("en", "tram line")).content.decode()
    switcher = page[page.index('class="language-switcher"') :]
    assert 'href="http://testserver/kk/search/?q=tram+line"' in switcher
    assert 'href="http://testserver/ru/search/?q=tram+line"' in switcher
    assert 'aria-current="page">English' in switcher


def test_the_kazakh_page_speaks_kazakh(client):
    page = client.get(search_url("kk", "жоқсөз")).content.decode()
    assert "«жоқсөз» бойынша ештеңе табылмады." in page
    assert '<html lang="kk">' in page


def test_a_query_is_shown_escaped(client):
    response = client.get(search_url("en", "%3Cscript%3Ealert(1)%3C/script%3E"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_words_no_query_and_odd_pages_are_404(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("public:search"))
    assert response.status_code == 200
    assert "Type words to find" in response.content.decode()
    assert client.get(search_url("en", "tram", page="0")).status_code == 404
    assert client.get(search_url("en", "tram", page="2")).status_code == 404  # no such page
    assert client.get(search_url("en", "", page="2")).status_code == 404
    assert client.get(search_url("en", "tram", page="51")).status_code == 404


def test_a_long_query_is_cut_to_the_limit(client):
    response = client.get(search_url("en", "tram " * 100))
    assert response.status_code == 200
    assert len(response.context["query"]) <= search.QUERY_MAX_CHARS


def test_pages_of_results_go_on_to_the_next(client, settings):
    settings.TILMASH_PUBLIC_PAGE_SIZE = 2
    for day in range(5):
        story([f"Tram news number {day}."], title=f"Tram {day}", days=day)
    first = client.get(search_url("en", "tram"))
    second = client.get(search_url("en", "tram", page=2))
    third = client.get(search_url("en", "tram", page=3))
    found = titles(first) + titles(second) + titles(third)
    assert sorted(found) == [f"Tram {day}" for day in range(5)]
    assert first.context["page_obj"].has_next and not third.context["page_obj"].has_next
    assert "?q=tram&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_a_search_makes_two_queries_however_many_match(client, count, django_assert_num_queries):
    for day in range(count):
        story([f"Tram news {day}. " * 20], title=f"Tram {day}", days=day)
    with django_assert_num_queries(2):
        response = client.get(search_url("en", "tram"))
    assert len(titles(response)) == min(count, 20)


def test_the_header_of_every_public_page_has_the_search_form(client):
    article = story(["The tram line opened."], title="Tram line opens")
    for path in (
        reverse("public:article_list"),
        reverse("public:article_detail", args=[article.slug]),
    ):
        page = client.get(path).content.decode()
        assert f'action="{reverse("public:search")}"' in page and 'name="q"' in page


def test_the_migration_fills_entries_for_editions_already_live(client):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("translations.migrations.0005_search_entry")
    story(["The tram line opened."], title="Tram line opens")
    article = story(["A draft only."], title="Not live", days=1)
    Paragraph.objects.filter(article=article).update(text_kk="Жоба.")
    SearchEntry.objects.all().delete()
    migration.entries_fill(apps, SimpleNamespace(connection=connection))
    assert SearchEntry.objects.count() == 2  # the two live English editions, nothing else
    assert titles(client.get(search_url("en", "opened"))) == ["Tram line opens"]
    assert SearchEntry.objects.get(article=article).document == "Not live\nA draft only."


def test_an_approval_through_the_desk_is_found(client):
    from tests.factories import editor, translator

    article = story(["The tram line opened."], title="Tram line opens")
    alice = translator("alice")
    edition = edition_get_or_create(article=article, language="kk")
    from tests.factories import assign
    from tests.reviews.helpers import submitted

    assign(edition, alice)
    version = submitted(alice, edition, ["Трамвай желісі ашылды."])
    assert titles(client.get(search_url("kk", "трамвай"))) == []  # in review: not yet
    desk.version_approve(version=version, user=editor("erin"))
    assert len(titles(client.get(search_url("kk", "трамвай")))) == 1


# --- PostgreSQL: the index, stemming, the query language ------------------------------


@pytest.mark.postgres
def test_postgresql_stems_russian_and_english(client):
    story(["Trams were running late on Monday."], title="Trams late")
    article = story(
        ["Трамваи ходили с опозданием."], title="Трамваи опоздали", language="ru", days=1
    )
    assert article.source_language == "ru"
    assert titles(client.get(search_url("en", "tram running"))) == ["Trams late"]
    assert titles(client.get(search_url("ru", "трамвай"))) == ["Трамваи опоздали"]


@pytest.mark.postgres
def test_postgresql_reads_phrases_and_exclusions(client):
    story(["The new tram line opened."], title="Line opens")
    story(["The tram line was new."], title="Line was new", days=1)
    assert titles(client.get(search_url("en", '"new tram"'))) == ["Line opens"]
    assert titles(client.get(search_url("en", "tram -opened"))) == ["Line was new"]


@pytest.mark.postgres
def test_postgresql_ranks_the_better_match_first(client):
    story(["Tram. Tram. Tram line, the tram depot and tram drivers."], title="All about trams")
    story(["A bus, and once a tram."], title="Mostly buses", days=1)
    assert titles(client.get(search_url("en", "tram"))) == ["All about trams", "Mostly buses"]


@pytest.mark.postgres
def test_postgresql_has_a_gin_index_per_language_and_uses_it():
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [SearchEntry._meta.db_table],
        )
        indexes = dict(cursor.fetchall())
        for code, _name in settings.LANGUAGES:
            name = search._index_name(code)  # "kk-latn" → translations_search_kk_latn
            assert name in indexes and "USING gin" in indexes[name]
            assert f"'{search.config_for(code)}'::regconfig" in indexes[name]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT edition_id FROM translations_searchentry "
            f"WHERE language = 'ru' AND {search._tsvector_sql('ru')} "
            "@@ websearch_to_tsquery('russian'::regconfig, 'трамвай')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "translations_search_ru" in plan
