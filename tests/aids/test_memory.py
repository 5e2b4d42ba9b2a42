"""The translation memory: segmentation, indexing on publish, suggestions."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from aids.memory import segment_pairs, sentence_split, tm_index_version, tm_suggestions
from aids.memory.fingerprint import similarity, source_hash, text_bands
from aids.models import TMSegment
from tests.factories import article_with_paragraphs, publish, translate
from translations import services

GUARD_EN = (
    "Police officers, the National Guard and the army carry out large-scale and "
    "well-coordinated work to restore law and order in accordance with the Constitution."
)
GUARD_RU = (
    "Полиция, Национальная гвардия и армия проводят масштабную и слаженную работу по "
    "восстановлению правопорядка в соответствии с Конституцией."
)
CONDOLENCES_EN = "I express my sincere condolences to the families and loved ones of the victims."
CONDOLENCES_RU = "Выражаю искренние соболезнования семьям и близким погибших."
CALM_EN = (
    "I express my gratitude to those citizens of Kazakhstan who have remained calm "
    "during these days and have made efforts to ensure stability and public order."
)
CALM_RU = (
    "Выражаю благодарность тем гражданам Казахстана, которые сохраняли спокойствие в "
    "эти дни и прилагали усилия для обеспечения стабильности и общественного порядка."
)
WEATHER_EN = "Heavy snow is expected in the northern regions of the country over the weekend."
WEATHER_RU = "В северных регионах страны в выходные ожидается сильный снегопад."


@pytest.fixture
def approved(django_capture_on_commit_callbacks):
    """Publish a Russian translation of an English article, the memory filled on commit."""

    def make(english, russian):
        article = article_with_paragraphs(texts=english)
        translate(article, "ru", russian)
        with django_capture_on_commit_callbacks(execute=True):
            publish(article, "ru")
        return article

    return make


# --- Segmentation ---------------------------------------------------------------
@pytest.mark.parametrize(
    "text,sentences",
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("K. Tokayev spoke. He left.", ["K. Tokayev spoke.", "He left."]),
        ("Prices rose 1.5 per cent. In 2022 they fell.",
         ["Prices rose 1.5 per cent.", "In 2022 they fell."]),
        ("“We will win.” Then he left.", ["“We will win.”", "Then he left."]),
        ("He left on Jan. 11 for Astana. The rest stayed.",
         ["He left on Jan. 11 for Astana.", "The rest stayed."]),
        ("Why? Because. Really!", ["Why?", "Because.", "Really!"]),
        ("Г. Иванов выступил. В 2022 г. было тепло. Итак.",
         ["Г. Иванов выступил.", "В 2022 г. было тепло.", "Итак."]),
        ("«Это так?» — спросил он. Да, т. е. нет.", ["«Это так?» — спросил он.", "Да, т. е. нет."]),
        ("Он сказал: «Мы победим!» Потом ушел.", ["Он сказал: «Мы победим!»", "Потом ушел."]),
        ("Курс 1,5 тенге. Дата 07.01.2022 г. Конец.",
         ["Курс 1,5 тенге.", "Дата 07.01.2022 г. Конец."]),
        ("Қ.-Ж. Тоқаев сөз сөйледі. Ол 1.5 млн теңге бөлді.",
         ["Қ.-Ж. Тоқаев сөз сөйледі.", "Ол 1.5 млн теңге бөлді."]),
        ("2022 ж. 7 қаңтарда болды. «Біз жеңеміз», — деді ол. Келесі.",
         ["2022 ж. 7 қаңтарда болды.", "«Біз жеңеміз», — деді ол.", "Келесі."]),
        ("   ", []),
        ("No full stop at the end", ["No full stop at the end"]),
    ],
)
def test_sentences_are_split_as_cat_tools_do(text, sentences):
    assert sentence_split(text) == sentences


def test_sentences_pair_up_when_both_sides_have_as_many():
    pairs = segment_pairs("One here. Two here.", "Бір мұнда. Екі мұнда.", "en", "kk")
    assert pairs == [
        ("One here.", "Бір мұнда.", False),
        ("Two here.", "Екі мұнда.", False),
        ("One here. Two here.", "Бір мұнда. Екі мұнда.", True),
    ]


def test_a_paragraph_whose_sentences_do_not_pair_up_stays_whole():
    pairs = segment_pairs("One here. Two here.", "Бір мұнда, екі мұнда.", "en", "kk")
    assert pairs == [("One here. Two here.", "Бір мұнда, екі мұнда.", True)]


@pytest.mark.parametrize("source,target", [("", "Бір."), ("One.", ""), ("  ", "  ")])
def test_an_untranslated_unit_gives_no_pair(source, target):
    assert segment_pairs(source, target, "en", "kk") == []


# --- Fingerprints ---------------------------------------------------------------
def test_the_hash_ignores_spacing_and_quote_style_but_not_words():
    assert source_hash("«Мы  победим»,\n сказал он.") == source_hash('"Мы победим", сказал он.')
    assert source_hash("Мы победим.") != source_hash("Мы проиграем.")


def test_bands_are_salted_by_language_pair_and_absent_for_short_texts():
    assert text_bands(GUARD_EN, "en", "ru") == text_bands(GUARD_EN, "en", "ru")
    assert not set(text_bands(GUARD_EN, "en", "ru")) & set(text_bands(GUARD_EN, "en", "kk"))
    assert text_bands("He said so.", "en", "ru") == []


def test_a_near_duplicate_shares_bands_and_an_unrelated_text_does_not():
    changed = GUARD_EN.replace("large-scale", "broad").replace("Constitution", "law")
    bands = set(text_bands(GUARD_EN, "en", "ru"))
    assert bands & set(text_bands(changed, "en", "ru"))
    assert not bands & set(text_bands(WEATHER_EN, "en", "ru"))
    assert 80 <= similarity(GUARD_EN, changed) < 100


# --- Indexing -------------------------------------------------------------------
@pytest.mark.django_db
def test_publishing_a_translation_fills_the_memory(approved):
    article = approved([GUARD_EN, f"{CONDOLENCES_EN} {CALM_EN}"], [GUARD_RU,
                       f"{CONDOLENCES_RU} {CALM_RU}"])
    segments = TMSegment.objects.filter(article=article).order_by("pk")
    version_id = article.editions.get(language="ru").live_version_id
    assert {(s.source_language, s.target_language, s.version_id) for s in segments} == {
        ("en", "ru", version_id)
    }
    assert [(s.unit_key, s.source_text, s.target_text, s.is_paragraph) for s in segments] == [
        ("title", f"Title of {article.slug}", f"[ru] Title of {article.slug}", True),
        ("p1", GUARD_EN, GUARD_RU, True),
        ("p2", CONDOLENCES_EN, CONDOLENCES_RU, False),
        ("p2", CALM_EN, CALM_RU, False),
        ("p2", f"{CONDOLENCES_EN} {CALM_EN}", f"{CONDOLENCES_RU} {CALM_RU}", True),
    ]


@pytest.mark.django_db
def test_the_memory_is_filled_only_once_the_approval_is_committed():
    article = article_with_paragraphs(texts=[GUARD_EN])
    translate(article, "ru", [GUARD_RU])
    publish(article, "ru")
    assert not TMSegment.objects.exists()


@pytest.mark.django_db
def test_publishing_the_source_edition_adds_nothing(django_capture_on_commit_callbacks):
    article = article_with_paragraphs(texts=[GUARD_EN])
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, "en")
    assert not TMSegment.objects.exists()


@pytest.mark.django_db
def test_a_newer_live_version_replaces_the_older_ones_pairs(
    approved, django_capture_on_commit_callbacks
):
    article = approved([GUARD_EN], ["Старый перевод абзаца про гвардию и армию."])
    translate(article, "ru", [GUARD_RU])
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, "ru")
    assert list(TMSegment.objects.filter(unit_key="p1").values_list("target_text", flat=True)) == [
        GUARD_RU
    ]


@pytest.mark.django_db
def test_a_version_that_is_not_live_is_not_indexed(approved):
    article = approved([GUARD_EN], [GUARD_RU])
    edition = article.editions.get(language="ru")
    draft = services.version_snapshot(edition=edition, user=None)
    assert tm_index_version(version=draft) == 0
    assert TMSegment.objects.filter(version=draft).count() == 0


@pytest.mark.django_db
def test_the_rebuild_command_refills_the_memory_from_live_versions(approved):
    approved([GUARD_EN], [GUARD_RU])
    approved([WEATHER_EN], [WEATHER_RU])
    before = sorted(TMSegment.objects.values_list("source_text", "target_text", "source_hash"))
    TMSegment.objects.all().delete()
    call_command("tm_rebuild", stdout=open("/dev/null", "w"))
    after = sorted(TMSegment.objects.values_list("source_text", "target_text", "source_hash"))
    assert after == before and len(after) == 4


# --- Suggestions ----------------------------------------------------------------
def _suggest(text, **kwargs):
    return tm_suggestions(text=text, source_language="en", target_language="ru", **kwargs)


@pytest.mark.django_db
def test_a_paragraph_translated_in_another_article_is_an_exact_match(approved):
    approved([GUARD_EN, WEATHER_EN], [GUARD_RU, WEATHER_RU])
    new = article_with_paragraphs(texts=[GUARD_EN])
    [best, *_rest] = _suggest(GUARD_EN, exclude_article=new)
    assert (best["target"], best["similarity"], best["exact"]) == (GUARD_RU, 100, True)
    assert best["source"] == GUARD_EN and best["segment"] == GUARD_EN
    assert best["article"].editions.filter(language="ru").exists()


@pytest.mark.django_db
def test_a_paragraph_with_a_few_words_changed_is_the_best_fuzzy_match(approved):
    approved([GUARD_EN], [GUARD_RU])
    approved([CALM_EN, WEATHER_EN], [CALM_RU, WEATHER_RU])
    approved(
        ["Police officers in the north carry out routine patrols on the roads this week."],
        ["Полицейские на севере проводят плановое патрулирование дорог на этой неделе."],
    )
    changed = (
        "Police officers, the National Guard and the army are carrying out large-scale "
        "work to restore law and order in line with the Constitution."
    )
    suggestions = _suggest(changed)
    assert suggestions[0]["target"] == GUARD_RU
    assert 50 <= suggestions[0]["similarity"] < 100 and not suggestions[0]["exact"]
    assert all(s["target"] not in (WEATHER_RU, CALM_RU) for s in suggestions)
    assert [s["similarity"] for s in suggestions] == sorted(
        (s["similarity"] for s in suggestions), reverse=True
    )


@pytest.mark.django_db
def test_a_sentence_reused_inside_a_new_paragraph_is_found(approved):
    approved([f"{CONDOLENCES_EN} {CALM_EN}"], [f"{CONDOLENCES_RU} {CALM_RU}"])
    paragraph = f"The president spoke on Friday evening. {CONDOLENCES_EN}"
    exact = [s for s in _suggest(paragraph) if s["exact"]]
    assert [(s["segment"], s["target"], s["similarity"]) for s in exact] == [
        (CONDOLENCES_EN, CONDOLENCES_RU, 100)
    ]


@pytest.mark.django_db
def test_the_article_being_translated_is_left_out(approved):
    article = approved([GUARD_EN], [GUARD_RU])
    assert _suggest(GUARD_EN, exclude_article=article) == []
    assert _suggest(GUARD_EN)[0]["exact"]


@pytest.mark.django_db
def test_another_language_pair_is_not_suggested(approved):
    approved([GUARD_EN], [GUARD_RU])
    assert tm_suggestions(text=GUARD_EN, source_language="en", target_language="kk") == []
    assert tm_suggestions(text=GUARD_EN, source_language="ru", target_language="en") == []


@pytest.mark.django_db
def test_one_pair_stored_from_several_articles_is_suggested_once(approved):
    approved([GUARD_EN], [GUARD_RU])
    approved([GUARD_EN], [GUARD_RU])
    assert [s["target"] for s in _suggest(GUARD_EN)] == [GUARD_RU]


@pytest.mark.django_db
def test_suggestions_stop_at_the_limit_and_skip_weak_matches(approved):
    for n in range(4):
        approved([f"{GUARD_EN} Item {n}."], [f"{GUARD_RU} Пункт {n}."])
    assert len(_suggest(GUARD_EN, limit=2)) == 2
    assert _suggest("Completely unrelated words about football and weather.") == []
    assert _suggest("") == [] and _suggest("   ") == []


@pytest.mark.django_db
def test_the_lookup_makes_the_same_queries_for_one_sentence_or_five(approved):
    approved([GUARD_EN], [GUARD_RU])
    counts = []
    for text in (GUARD_EN, " ".join([GUARD_EN, CALM_EN, WEATHER_EN, CONDOLENCES_EN, "Ok."])):
        with CaptureQueriesContext(connection) as queries:
            _suggest(text)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.postgres
@pytest.mark.django_db
def test_on_postgresql_candidates_come_from_one_indexed_band_query(approved):
    approved([GUARD_EN], [GUARD_RU])
    approved([WEATHER_EN], [WEATHER_RU])
    changed = GUARD_EN.replace("large-scale and well-coordinated", "broad")
    with CaptureQueriesContext(connection) as queries:
        suggestions = _suggest(changed)
    assert len([query for query in queries if "aids_tm_candidates(" in query["sql"]]) == 1
    assert [s["target"] for s in suggestions] == [GUARD_RU]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc, proconfig FROM pg_proc WHERE proname = 'aids_tm_candidates'"
        )
        source, config = cursor.fetchone()
        assert "bands && $4" in source
        assert {"jit=off", "enable_seqscan=off", "max_parallel_workers_per_gather=0"} <= set(
            config
        )
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'aids_tmsegment_bands_gin'"
        )
        assert "USING gin (bands)" in cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM aids_tmsegment WHERE bands && %s::integer[]",
            [text_bands(changed, "en", "ru")],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "aids_tmsegment_bands_gin" in plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_lookups_planner_settings_do_not_outlive_it(approved):
    approved([GUARD_EN], [GUARD_RU])
    settings_sql = "SELECT current_setting('enable_seqscan'), current_setting('jit')"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(settings_sql)
        before = cursor.fetchone()
        assert _suggest(GUARD_EN)[0]["exact"]
        cursor.execute(settings_sql)
        assert cursor.fetchone() == before == ("on", before[1])


@pytest.mark.django_db
def test_on_sqlite_the_fallback_scans_and_finds_the_same(approved):
    if connection.vendor != "sqlite":
        pytest.skip("the fallback runs where the bands are not indexed")
    approved([GUARD_EN], [GUARD_RU])
    approved([WEATHER_EN], [WEATHER_RU])
    changed = GUARD_EN.replace("large-scale and well-coordinated", "broad")
    with CaptureQueriesContext(connection) as queries:
        suggestions = _suggest(changed)
    assert not any("&&" in query["sql"] for query in queries)
    assert [s["target"] for s in suggestions] == [GUARD_RU]
    stored = TMSegment.objects.get(source_text=GUARD_EN)
    assert stored.bands == text_bands(GUARD_EN, "en", "ru")  # stored as text, read as ints


@pytest.mark.django_db
def test_every_seed_paragraph_with_three_words_changed_is_found_first(seed_path, approved):
    blocks = [b.strip() for b in seed_path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    paragraphs = [b for b in blocks[2:] if not b.startswith(("Translation by", "Editing by"))]
    for paragraph in paragraphs:
        approved([paragraph], [f"[ru] {paragraph}"])
    for paragraph in paragraphs:
        words = paragraph.split()
        for position in (2, len(words) // 2, len(words) - 2):
            words[position] = "changed"
        [best, *_rest] = _suggest(" ".join(words))
        assert best["target"] == f"[ru] {paragraph}"
        assert not best["exact"] and 70 <= best["similarity"] < 100


@pytest.mark.django_db
def test_the_seed_figures_are_what_the_checks_compare(seed_path):
    from aids.checks.extract import extract

    text = seed_path.read_text(encoding="utf-8")
    found = extract(text)
    assert [item.text for item in found.dates] == ["07.01.2022", "January 11"]
    assert [item.text for item in found.times] == ["15:23"]
    assert "20,000" in [item.text for item in found.amounts]
