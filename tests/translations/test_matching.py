"""Sequence matching in bounded time (translations.matching)."""

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translations.importing import aligning
from translations.importing.aligning import CHANGED, paragraphs_align
from translations.matching import match_ratio, matching_blocks

ITEMS = st.lists(st.sampled_from("abcdefg"), max_size=40)


@settings(max_examples=400, deadline=None)
@given(a=ITEMS, b=ITEMS)
def test_matched_runs_are_equal_in_order_and_never_overlap(a, b):
    blocks, _steps = matching_blocks(a, b)
    i_end = j_end = 0
    for i, j, size in blocks:
        assert size > 0 and i >= i_end and j >= j_end
        assert a[i : i + size] == b[j : j + size]
        i_end, j_end = i + size, j + size


@settings(max_examples=400, deadline=None)
@given(a=ITEMS, b=ITEMS)
def test_the_ratio_is_difflibs_measure_within_its_bounds(a, b):
    ratio = match_ratio(a, b)
    assert 0.0 <= ratio <= difflib.SequenceMatcher(None, a, b).quick_ratio() + 1e-9
    assert (ratio == 1.0) == (a == b)


@pytest.mark.parametrize(
    "first, second, ratio",
    [
        ("Prices rose.", "Prices fell sharply.", 0.4),
        ("", "", 1.0),
        ("one two three", "four five", 0.0),
        ("a b c d", "a b x d", 0.75),
    ],
)
def test_the_ratio_of_word_lists(first, second, ratio):
    assert match_ratio(first.split(), second.split()) == pytest.approx(ratio)
    assert difflib.SequenceMatcher(None, first.split(), second.split()).ratio() == (
        pytest.approx(ratio)
    )


def test_a_rewritten_stretch_of_long_paragraphs_is_paired_in_order(monkeypatch):
    old = [f"old {n} " + "word " * 50 for n in range(4)]
    new = [f"new {n} " + "word " * 50 for n in range(4)]
    compared = []
    real = aligning._likeness
    monkeypatch.setattr(aligning, "_likeness", lambda *pair: compared.append(pair) or real(*pair))
    assert sorted(row[:2] for row in paragraphs_align(old, new)) == [(n, n) for n in range(4)]
    assert len(compared) == 16  # 4 × 4 pairs of 52 words: compared by likeness
    compared.clear()
    monkeypatch.setattr(aligning, "MAX_PAIRING_WORDS", 16 * 2 * 52 - 1)
    rows = paragraphs_align(old, new)
    assert sorted(rows) == [(n, n, CHANGED) for n in range(4)]
    assert compared == []  # past the word budget: paired in order without comparing
