import pytest

from translations.slugs import (
    FALLBACK_SLUG,
    slug_family,
    slug_from_title,
    slug_unique,
    transliterate,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("President Tokayev addresses people of Kazakhstan",
         "president-tokayev-addresses-people-of-kazakhstan"),
        ("Президент Токаев обратился к народу", "prezident-tokaev-obratilsya-k-narodu"),
        ("Щедрый ёжик съел объявление", "shchedryy-yozhik-sel-obyavlenie"),
        ("Цены, хлеб и чай: жизнь в Юрге", "tseny-khleb-i-chay-zhizn-v-yurge"),
        ("Қазақстан Республикасының Президенті", "qazaqstan-respublikasynyng-prezidenti"),
        ("Әлем ғылымы өңірде ұлттық үміт һәм іс", "alem-ghylymy-ongirde-ulttyq-umit-ham-is"),
        ("“Café” — naïve résumé", "cafe-naive-resume"),
        ("COVID-19: 1 234 new cases", "covid-19-1-234-new-cases"),
        ("Mixed Алматы and Astana", "mixed-almaty-and-astana"),
        ("新闻", FALLBACK_SLUG),
        ("«»—…!?", FALLBACK_SLUG),
    ],
)  # fmt: skip
def test_a_title_becomes_an_ascii_slug(title, slug):
    assert slug_from_title(title) == slug


@pytest.mark.parametrize(
    ("text", "latin"),
    [("Ә", "A"), ("Ғалым", "Ghalym"), ("ЖҰМЫС", "ZhUMYS"), ("Шығыс", "Shyghys"), ("x-ъ-y", "x--y")],
)
def test_transliteration_keeps_capitals_and_leaves_other_characters(text, latin):
    assert transliterate(text) == latin


def test_a_long_title_is_cut_at_a_word_boundary():
    title = " ".join(["Тәуелсіздік"] * 30)
    slug = slug_from_title(title, max_length=50)
    assert len(slug) <= 50
    assert slug.split("-") == ["tauelsizdik"] * len(slug.split("-"))


def test_a_single_word_longer_than_the_limit_is_cut_inside_it():
    assert slug_from_title("a" * 300, max_length=20) == "a" * 20


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        (set(), "news"),
        ({"news"}, "news-2"),
        ({"news", "news-2", "news-3"}, "news-4"),
        ({"news-2"}, "news"),
    ],
)
def test_a_taken_slug_gets_the_first_free_number(taken, expected):
    assert slug_unique("news", taken=taken.__contains__) == expected


@pytest.mark.parametrize(
    ("slug", "member"),
    [("news", True), ("news-2", True), ("news-12", True), ("news-today", False), ("new", False)],
)
def test_slug_family_holds_the_base_and_its_numbered_variants(slug, member):
    assert slug_family(slug, "news") is member
