"""The QA checks, glossary and sentence splitting do work linear in the text, and
find exactly what the simpler (slower) forms they replace found.

Each rewritten piece is compared with its earlier form, kept here as the
reference, on generated texts short enough for the earlier form to be quick.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aids.checks import checks_run
from aids.checks.extract import EMAIL_RE, Item, extract, match_items
from aids.checks.typography import DOUBLE_SPACE_RE, SPACE, SPACE_BEFORE_RE, after_words
from aids.glossary import WORD_RE, Glossary, Term, fold, word_matches
from aids.memory import segmentation

# --- The earlier forms ------------------------------------------------------------------

OLD_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
OLD_DOUBLE_SPACE_RE = re.compile(rf"(\S*){SPACE}{{2,}}(?=\S)")
OLD_SPACE_BEFORE_RE = re.compile(rf"(\S*){SPACE}+([,.;:!?…)»”])(?!\d)")
OLD_WORD_BEFORE_RE = re.compile(r"([^\s\"'«“„‘(\[]*)$")


def old_match_items(source_items, target_items):
    unmatched = list(target_items)
    missing = []
    for item in source_items:
        partner = next((t for t in unmatched if t.values == item.values), None)
        if partner is None:
            partner = next((t for t in unmatched if t.values & item.values), None)
        if partner is None:
            missing.append(item)
        else:
            unmatched.remove(partner)
    return missing, unmatched


def old_sentence_split(text):
    text = (text or "").strip()
    if not text:
        return []
    sentences, start = [], 0
    for match in segmentation.BOUNDARY_RE.finditer(text):
        if match.group()[0] == ".":
            word = OLD_WORD_BEFORE_RE.search(text[start : match.start()]).group(1)
            if word and (
                (segmentation.INITIAL_RE.match(word) and word[-1].isupper())
                or word.casefold().rstrip(".") in segmentation.ABBREVIATIONS
            ):
                continue
        sentence = text[start : match.start("space")].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    return sentences + ([tail] if tail else [])


def old_glossary_find(phrases, text, language):
    """Every phrase tried at every word, longest first: the rule, without an index."""
    entries = []
    for order, (term, phrase) in enumerate(phrases):
        words = [fold(word) for word in WORD_RE.findall(phrase)]
        if words:
            entries.append(((-len(words), order), term, words))
    entries.sort(key=lambda entry: entry[0])
    tokens = [(m.start(), m.end(), fold(m.group())) for m in WORD_RE.finditer(text)]
    spans, position = [], 0
    while position < len(tokens):
        for _rank, term, words in entries:
            window = tokens[position : position + len(words)]
            if len(window) == len(words) and all(
                word_matches(w, t[2], language) for w, t in zip(words, window, strict=True)
            ) and all(
                re.fullmatch(r"[\s\-‐‑–'’]*", text[a[1] : b[0]])
                for a, b in zip(window, window[1:], strict=False)
            ):
                spans.append((window[0][0], window[-1][1], term))
                position += len(words)
                break
        else:
            position += 1
    return spans


# --- Generated texts ----------------------------------------------------------------------

PIECES = st.sampled_from([
    " ", "  ", "   ", "\u00a0", "\t", "\n", ",", ".", "!", "»", ")", "…", "1", "2022", "20",
    "a", "ab", "Қ", "т.б", "т.б.", "млн", "@", "#", "+", "-", "x.y", "mail", "kz", ".kz",
    "Астана", "Москвы", "Москва", "Токаев", "Тоқаевтың", "Nur-Sultan", "’s", "ж.", "А",
])  # fmt: skip
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_the_email_pattern_finds_what_it_found_before(text):
    assert [m.span() for m in EMAIL_RE.finditer(text)] == [
        m.span() for m in OLD_EMAIL_RE.finditer(text)
    ]


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_the_spacing_patterns_find_what_they_found_before(text):
    text = text.strip()
    assert [(word, m.end()) for word, m in after_words(DOUBLE_SPACE_RE, text)] == [
        (m.group(1), m.end()) for m in OLD_DOUBLE_SPACE_RE.finditer(text)
    ]
    assert [(word, m.group(1), m.end()) for word, m in after_words(SPACE_BEFORE_RE, text)] == [
        (m.group(1), m.group(2), m.end()) for m in OLD_SPACE_BEFORE_RE.finditer(text)
    ]


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_sentences_split_where_they_split_before(text):
    assert segmentation.sentence_split(text) == old_sentence_split(text)


def test_a_word_longer_than_any_abbreviation_ends_a_sentence():
    long_word = "а" * 60
    assert segmentation.sentence_split(f"Бір {long_word}. Екі.") == [f"Бір {long_word}.", "Екі."]
    assert segmentation.sentence_split("Бір т.б. Екі.") == ["Бір т.б. Екі."]


VALUES = st.frozensets(st.integers(0, 6), min_size=1, max_size=2)


@settings(max_examples=400, deadline=None)
@given(source=st.lists(VALUES, max_size=12), target=st.lists(VALUES, max_size=12))
def test_items_pair_as_they_paired_before(source, target):
    source_items = [Item(text=f"s{n}", values=v, start=n) for n, v in enumerate(source)]
    target_items = [Item(text=f"t{n}", values=v, start=n) for n, v in enumerate(target)]
    assert match_items(source_items, target_items) == old_match_items(source_items, target_items)


def test_masking_blanks_each_found_thing_once():
    found = extract("07.01.2022 at 15:23, 5% of 20 000 people, see www.gov.kz")
    assert [item.text for item in found.dates] == ["07.01.2022"]
    assert [item.text for item in found.times] == ["15:23"]
    assert [item.text for item in found.percentages] == ["5%"]
    assert [item.text for item in found.amounts] == ["20 000"]
    assert [item.text for item in found.links] == ["www.gov.kz"]


def test_a_thousand_numbers_missing_from_a_translation_are_each_reported():
    source = " ".join(str(n) for n in range(1000, 2000))
    target = " ".join(str(n) for n in range(3000, 4000))
    issues = checks_run(
        source=source, target=target, source_language="en", target_language="ru",
        only={"numbers"},
    )  # fmt: skip
    assert len(issues) == 1000
    assert issues[0].message == "1000 in the source is missing: found 3000"


# --- The glossary --------------------------------------------------------------------------

NAMES = ["Астана", "Москва", "ООН", "Тоқаев", "Nur-Sultan", "Senate", "Ұлттық гвардия",
         "Ұлттық банк", "Ас", "Мәжіліс", "Мәжіліс депутаты"]  # fmt: skip
TEXT_WORDS = st.sampled_from([
    "Астана", "Астанада", "Астанасы", "Москвы", "Москвааааааа", "ООН", "ООНға", "Тоқаевтың",
    "Nur-Sultan", "Senates", "Senateses", "ұлттық", "гвардиясы", "банкі", "Ас", "Аса",
    "Мәжілісіндегі", "депутаты", "және", "-", "’", ",",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(TEXT_WORDS, max_size=30),
    separators=st.lists(st.sampled_from([" ", "-", ", ", "  "]), min_size=30, max_size=30),
    language=st.sampled_from(["kk", "ru", "en", "de"]),
)
def test_the_indexed_glossary_finds_what_trying_every_term_finds(words, separators, language):
    text = "".join(word + separator for word, separator in zip(words, separators, strict=False))
    terms = [Term(renderings={language: name}) for name in NAMES]
    found = [(s.start, s.end, s.term) for s in Glossary(terms).find(text, language)]
    assert found == old_glossary_find([(t, t.rendering(language)) for t in terms], text, language)


@pytest.mark.parametrize("language", ["kk", "en"])
def test_among_thousands_of_terms_the_right_ones_are_found(language):
    terms = [Term(renderings={language: f"Атау{n:04d}"}) for n in range(5000)]
    wanted = terms[1234]
    text = "Бүгін Атау1234 туралы, ертең атау4999 және Атау9999 емес."
    found = Glossary(terms).find(text, language)
    assert [span.term for span in found] == [wanted, terms[4999]]
