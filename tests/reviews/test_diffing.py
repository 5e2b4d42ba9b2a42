import math
import random

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import diffing
from reviews.diffing import tokens, word_diff, word_diff_html, word_diffs_html
from translations.matching import BUDGET_PER_TOKEN, RUN_WIDTHS, SMALL_GAP, matching_blocks


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("20,000 bandits", "20,000 bandits", [("equal", "20,000 bandits")]),
        (
            "Almaty alone was attacked by 20,000 bandits.",
            "Almaty alone was attacked by 2,000 bandits.",
            [
                ("equal", "Almaty alone was attacked by "),
                ("delete", "20"),
                ("insert", "2"),
                ("equal", ",000 bandits."),
            ],
        ),
        (
            "Мәжіліс 11 қаңтарда",
            "Мәжіліс 12 қаңтарда жиналады",
            [
                ("equal", "Мәжіліс "),
                ("delete", "11"),
                ("insert", "12"),
                ("equal", " қаңтарда"),
                ("insert", " жиналады"),
            ],
        ),
        ("", "New.", [("insert", "New.")]),
    ],
)
def test_word_diff_marks_whole_words(old, new, expected):
    assert word_diff(old, new) == expected


def test_word_diff_html_escapes_text():
    html = word_diff_html("<b>old</b>", "<b>new</b>")
    assert html == "&lt;b&gt;<del>old</del><ins>new</ins>&lt;/b&gt;"


# --- Tricky inputs --------------------------------------------------------------------


def applied(parts):
    """The two texts a diff describes: (without its insertions, without its deletions)."""
    old = "".join(text for op, text in parts if op != "insert")
    new = "".join(text for op, text in parts if op != "delete")
    return old, new


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("", "", []),
        ("Бәрі бірдей.", "Бәрі бірдей.", [("equal", "Бәрі бірдей.")]),
        ("Old text.", "", [("delete", "Old text.")]),
        # Every word changed: the space between them still matches.
        ("один два", "три четыре", [
            ("delete", "один"), ("insert", "три"), ("equal", " "),
            ("delete", "два"), ("insert", "четыре"),
        ]),  # fmt: skip
        # A comma added after a Cyrillic word is one token, not the word again.
        (
            "Астана Алматы",
            "Астана, Алматы",
            [("equal", "Астана"), ("insert", ","), ("equal", " Алматы")],
        ),
        # Whitespace runs are tokens too: a double space is a change of one token.
        ("а б", "а  б", [("equal", "а"), ("delete", " "), ("insert", "  "), ("equal", "б")]),
        ("line one\nline two", "line one\n\nline two", [
            ("equal", "line one"), ("delete", "\n"), ("insert", "\n\n"), ("equal", "line two"),
        ]),  # fmt: skip
        # A deleted word takes the space before it with it.
        (
            "Сенат бүгін жиналды",
            "Сенат жиналды",
            [("equal", "Сенат"), ("delete", " бүгін"), ("equal", " жиналды")],
        ),
        # A repeated word: only the added copy is marked.
        ("да да", "да да да", [("equal", "да да"), ("insert", " да")]),
    ],
)
def test_word_diff_on_tricky_inputs(old, new, expected):
    assert word_diff(old, new) == expected


def test_swapped_sentences_mark_only_the_words_that_differ():
    old = "Бірінші сөйлем. Екінші сөйлем. Үшінші сөйлем."
    new = "Екінші сөйлем. Бірінші сөйлем. Үшінші сөйлем."
    assert word_diff(old, new) == [
        ("delete", "Бірінші"), ("insert", "Екінші"), ("equal", " сөйлем. "),
        ("delete", "Екінші"), ("insert", "Бірінші"), ("equal", " сөйлем. Үшінші сөйлем."),
    ]  # fmt: skip


def test_a_few_changed_words_in_a_long_paragraph_are_marked_exactly():
    words = [f"сөз{n}" for n in range(2000)]
    new = list(words)
    new[10], new[1000], new[1990] = "бір", "екі", "үш"
    parts = word_diff(" ".join(words), " ".join(new))
    assert [part for part in parts if part[0] != "equal"] == [
        ("delete", "сөз10"), ("insert", "бір"),
        ("delete", "сөз1000"), ("insert", "екі"),
        ("delete", "сөз1990"), ("insert", "үш"),
    ]  # fmt: skip


# --- Properties ------------------------------------------------------------------------

WORDS = st.sampled_from(["Алматы", "қала", "the", "city", "20", "000", "да", "ә"])
PIECES = st.one_of(WORDS, st.sampled_from([" ", "  ", "\n", ",", ".", "«", "»", "—"]))
TEXTS = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(old=st.one_of(TEXTS, st.text(max_size=80)), new=st.one_of(TEXTS, st.text(max_size=80)))
def test_applying_the_diff_gives_back_both_texts(old, new):
    parts = word_diff(old, new)
    assert applied(parts) == (old, new)
    assert all(text for _op, text in parts)
    # Runs are merged: no two neighbours of the same kind, and a deletion never
    # follows an insertion within one changed stretch.
    kinds = [op for op, _text in parts]
    assert all(first != second for first, second in zip(kinds, kinds[1:], strict=False))
    assert ("insert", "delete") not in zip(kinds, kinds[1:], strict=False)


@settings(max_examples=100, deadline=None)
@given(old=TEXTS, new=TEXTS)
def test_text_both_sides_share_at_their_ends_is_never_marked(old, new):
    # Both ends are punctuation marks, so they are tokens of their own whatever is beside them.
    start, end = "Ортақ басы.", "«Соңы»"
    parts = word_diff(start + old + end, start + new + end)
    # (A change may slide over an equal token beside it: "." + "." reads the same either way.)
    assert parts[0][0] == parts[-1][0] == "equal"
    assert sum(len(text) for op, text in parts if op == "equal") >= len(start + end)


# --- The bound ------------------------------------------------------------------------


def rewritten(length, share, seed):
    """A text of about ``length`` characters and a copy with ``share`` of its words changed."""
    rng = random.Random(seed)
    syllables = "ба қа ла ма на са та жа құ рт ол ен ік ор ау ұл ым ын да ға".split()

    def word():
        return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))

    words = []
    while sum(map(len, words)) + len(words) < length:
        words.append(word())
    changed = [word() if rng.random() < share else item for item in words]
    return " ".join(words), " ".join(changed)


def token_ids(*texts):
    ids = {}
    return [[ids.setdefault(token, len(ids)) for token in tokens(text)] for text in texts]


@pytest.mark.parametrize(
    "old, new",
    [
        rewritten(10_000, 0.5, 1),
        rewritten(10_000, 1.0, 2),
        ("а " * 5000, "б " * 5000),
        ("а б " * 2500, "б а " * 2500),
        ("., " * 3333, " ,." * 3333),
        ("слово " * 1600, "слово, " * 1600),
    ],
    ids=["half", "all", "one-word", "alternating", "punctuation", "commas-added"],
)
def test_the_diff_of_10000_characters_visits_tokens_a_bounded_number_of_times(old, new):
    a, b = token_ids(old, new)
    blocks, steps = matching_blocks(a, b)
    # Each token is visited a constant number of times: the budget, one pass more over
    # the widest anchors, the matched ends, and in a small gap (at most `side` tokens
    # on its shorter side) at most `side` levels of anchors and one exact comparison.
    side = math.isqrt(SMALL_GAP)
    bound = (BUDGET_PER_TOKEN + sum(RUN_WIDTHS) + 1 + 3 * side) * (len(a) + len(b)) + SMALL_GAP
    assert steps <= bound
    # A quadratic method would compare every pair of tokens.
    assert steps * 20 < len(a) * len(b)
    assert applied(word_diff(old, new)) == (old, new)


def test_half_rewritten_paragraph_keeps_its_unchanged_words_equal():
    old, new = rewritten(10_000, 0.5, 3)
    parts = word_diff(old, new)
    unchanged = sum(len(text) for op, text in parts if op == "equal")
    # About half the words (and most spaces between them) are unchanged.
    assert unchanged > 0.45 * len(old)


# --- The cache ------------------------------------------------------------------------


def test_a_long_pair_is_diffed_once_then_read_from_the_cache(monkeypatch):
    old, new = rewritten(3000, 0.5, 4)
    calls = []
    real = diffing.word_diff
    monkeypatch.setattr(diffing, "word_diff", lambda *pair: calls.append(pair) or real(*pair))
    first = word_diffs_html([(old, new), ("a", "b")])
    second = word_diffs_html([(old, new), ("a", "b")])
    assert first == second
    assert calls.count((old, new)) == 1
    assert calls.count(("a", "b")) == 2  # short pairs cost less to diff than to fetch
    assert cache.get(diffing.pair_key(old, new)) == str(first[(old, new)])


def test_the_cache_key_tells_apart_pairs_with_the_same_concatenation():
    assert diffing.pair_key("ab", "c") != diffing.pair_key("a", "bc")


def test_a_failing_cache_costs_a_diff_not_the_page(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(diffing.cache, "get_many", broken)
    monkeypatch.setattr(diffing.cache, "set_many", broken)
    monkeypatch.setattr(diffing, "_last_cache_warning", [-1e9])
    old, new = rewritten(3000, 0.5, 5)
    with caplog.at_level("WARNING", logger="reviews.diffing"):
        html = word_diffs_html([(old, new)])[(old, new)]
        word_diffs_html([(old, new)])
    assert html == word_diff_html(old, new)
    assert "<ins>" in html and "<del>" in html
    # Logged once for the interval, not once per request.
    assert len([r for r in caplog.records if "diff cache" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    "old, new, html",
    [
        ("It's late", "It is late", "It<del>&#x27;s</del><ins> is</ins> late"),
        ("a & b", "a and b", "a <del>&amp;</del><ins>and</ins> b"),
        ("Сенат жиналды", "Сенат бүгін жиналды", "Сенат<ins> бүгін</ins> жиналды"),
    ],
)
def test_word_diff_html_escapes_what_needs_it_on_either_side(old, new, html):
    assert word_diff_html(old, new) == html
