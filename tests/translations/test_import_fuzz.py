"""Fuzzing the importer: whatever the bytes, an import or a clear refusal, never a crash.

Every example ends in one of two ways: a successful import whose stored text
is exactly what the parser read, or ArticleImportError with a one-line
message, the database then unchanged. Any other exception fails the test.
"""

import datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.translations.test_importing import row_counts
from translations.importing import ALMATY, ArticleImportError, article_import, article_parse
from translations.models import Article

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=100,
    deadline=None,
    # One database transaction per test function is what we want: imports pile
    # up across examples, so later examples also exercise re-imports.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No example database written into the working tree.
    database=None,
)

ENCODINGS = ["utf-8", "utf-8-sig", "cp1251", "koi8-r", "latin-1", "utf-16", "utf-16-le"]
CREDIT_LINES = [
    "Translation by Saniya Sakenova and Assem Zhanmukhanova",
    "Translation by A. Bekov, Dana Ali and Yerlan Omarov",
    "Editing by Galiya Khassenkhanova",
    "By Aigerim Nurlanovna",
    "Аударған: Сания Сакенова және Әсем Жанмұханова",
    "Перевод: Сания Сакенова и Асем Жанмуханова",
    "Редактирование: Галия Хасенханова",
]
WORDS = ["Алматы", "Қазақстан", "Президент", "ғылым", "өңір", "“quoted”", "news", "ёлка", "\xa0"]


@pytest.fixture(autouse=True)
def _small_limits(settings):
    # Small limits, so that huge lines and huge files are cheap to make.
    settings.TILMASH_MAX_PARAGRAPH_CHARS = 400
    settings.TILMASH_MAX_IMPORT_BYTES = 20000


def import_or_refuse(data, language, publish=False, article_slug=None):
    """Import ``data``; check the outcome is one of the two allowed ones."""
    before = row_counts()
    try:
        report = article_import(
            data=data, language=language, publish=publish, article_slug=article_slug
        )
    except ArticleImportError as refused:
        message = str(refused)
        assert refused.problem.strip()
        assert "\n" not in message and "\r" not in message
        assert refused.line is None or refused.line >= 1
        assert row_counts() == before
        event("refused")
        return None
    parsed = article_parse(data, language=language)
    article = Article.objects.get(slug=report.slug)
    if report.kind != "attached":
        assert article.text_in(language) == parsed.title
        texts = [p.text_in(language) for p in article.paragraphs.order_by("position")]
        assert texts == list(parsed.paragraphs)
    assert report.added + report.changed + report.unchanged == len(parsed.paragraphs)
    event(f"imported: {report.kind}")
    return report


printable = st.text(
    st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=12
)
words = st.lists(st.sampled_from(WORDS) | printable, min_size=1, max_size=12).map(" ".join)
valid_datelines = st.datetimes(datetime.datetime(1900, 1, 1), datetime.datetime(2100, 12, 31)).map(
    lambda moment: moment.strftime("%d.%m.%Y, %H:%M")
)
datelines = st.one_of(
    *[valid_datelines] * 6,
    st.sampled_from(
        ["31.02.2022, 15:23", "07.01.2022, 24:00", "00.00.0000, 00:00", "07.01.2022 15:23", ""]
    ),
    st.text(max_size=20),
)
paragraph_texts = st.one_of(
    *[words] * 8,
    st.lists(words, min_size=1, max_size=3).map("\n".join),
    st.text(max_size=120),
    st.integers(min_value=300, max_value=3000).map(lambda length: "ж" * length),
)


@st.composite
def article_files(draw, paragraph_counts=None):
    title = draw(st.one_of(*[words] * 6, st.text(max_size=60)))
    sections = [title, draw(datelines)]
    count = draw(paragraph_counts if paragraph_counts is not None else st.integers(0, 6))
    sections += draw(st.lists(paragraph_texts, min_size=count, max_size=count))
    credits = draw(st.lists(st.sampled_from(CREDIT_LINES), max_size=4, unique=True))
    sections += draw(st.permutations(credits))
    mutation = draw(st.sampled_from(["none"] * 6 + ["drop", "repeat", "swap"]))
    if mutation != "none":
        index = draw(st.integers(0, len(sections) - 1))
        if mutation == "drop":
            del sections[index]
        elif mutation == "repeat":
            sections.insert(index, sections[index])
        else:
            other = draw(st.integers(0, len(sections) - 1))
            sections[index], sections[other] = sections[other], sections[index]
    separator = draw(st.sampled_from(["\n\n"] * 4 + ["\n\n\n", "\r\n\r\n", "\n \n", "\n"]))
    text = separator.join(sections) + draw(st.sampled_from(["", "\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8"] * len(ENCODINGS) + ENCODINGS))
    return text.encode(encoding, errors="replace")


languages = st.sampled_from(["en", "kk", "ru", "en", "de"])


@FUZZ
@given(data=st.binary(max_size=3000), language=languages)
def test_random_bytes_import_or_are_refused(data, language):
    import_or_refuse(data, language)


@FUZZ
@given(data=article_files(), language=languages, publish=st.booleans())
def test_article_like_files_import_or_are_refused(data, language, publish):
    import_or_refuse(data, language, publish=publish)


@FUZZ
@given(data=st.data())
def test_damaged_copies_of_the_seed_import_or_are_refused(seed_path, data):
    seed = bytearray(seed_path.read_bytes())
    for _damage in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(seed)))
        kind = data.draw(st.sampled_from(["insert", "replace", "delete"]))
        chunk = data.draw(st.binary(min_size=1, max_size=8))
        if kind == "insert":
            seed[position:position] = chunk
        elif kind == "replace":
            seed[position : position + len(chunk)] = chunk
        else:
            del seed[position : position + len(chunk)]
    import_or_refuse(bytes(seed), "en", publish=data.draw(st.booleans()))


@pytest.fixture
def seed_article(seed_path):
    return Article.objects.get(slug=article_import(data=seed_path.read_bytes(), language="en").slug)


@FUZZ
@given(
    data=article_files(paragraph_counts=st.sampled_from([9, 9, 9, 8, 10])),
    language=st.sampled_from(["kk", "ru"]),
    publish=st.booleans(),
)
def test_files_attached_to_an_article_import_or_are_refused(seed_article, data, language, publish):
    import_or_refuse(data, language, publish=publish, article_slug=seed_article.slug)


# Words that stay words: printable, and not all whitespace (or the line would be blank).
solid_words = st.lists(
    st.sampled_from(WORDS[:-1])
    | st.text(
        st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"], exclude_characters="\ufeff"),
        min_size=1,
        max_size=10,
    ).filter(str.strip),
    min_size=1,
    max_size=8,
).map(" ".join)


@st.composite
def well_formed_files(draw):
    title = draw(solid_words)
    moment = draw(st.datetimes(datetime.datetime(1900, 1, 1), datetime.datetime(2100, 12, 31)))
    # A full stop at the end keeps a closing paragraph from reading as a credit line.
    paragraphs = draw(
        st.lists(
            st.lists(solid_words, min_size=1, max_size=2).map(lambda lines: "\n".join(lines) + "."),
            min_size=1,
            max_size=8,
        )
    )
    credits = draw(st.permutations(draw(st.lists(st.sampled_from(CREDIT_LINES[:4]), unique=True))))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    blocks = [title, moment.strftime("%d.%m.%Y, %H:%M"), *paragraphs, *credits]
    text = (newline * 2).join(block.replace("\n", newline) for block in blocks)
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))
    return data, title, moment, paragraphs


# Every example here is a full import (often published): the slowest kind.
@settings(FUZZ, max_examples=60)
@given(file=well_formed_files(), publish=st.booleans())
def test_well_formed_files_always_import_exactly(file, publish):
    data, title, moment, paragraphs = file
    report = import_or_refuse(data, "en", publish=publish)
    assert report is not None
    parsed = article_parse(data, language="en")
    assert (parsed.title, list(parsed.paragraphs)) == (title, paragraphs)
    assert parsed.dateline == moment.replace(second=0, microsecond=0, tzinfo=ALMATY)
