"""The bounded word edit distance behind the review page's "changed by the human" share."""

import random

import pytest

from reviews.editdistance import Change, changed_share


def levenshtein(a, b):
    """The textbook full table, for comparison."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(
    "machine, human, distance, percent",
    [
        ("", "", 0, 0),
        ("The budget passed.", "The budget passed.", 0, 0),
        ("The budget passed.", "The budget failed.", 1, 25),
        ("One two three four", "One two four", 1, 25),
        ("One two three", "", 3, 100),
        ("", "Жаңа мәтін", 2, 100),
        ("a b c d", "d c b a", 4, 100),
    ],
)
def test_small_cases(machine, human, distance, percent):
    change = changed_share(machine, human)
    assert (change.distance, change.percent, change.approximate) == (distance, percent, False)


def test_it_agrees_with_the_full_table_on_random_edits():
    rng = random.Random(15)
    vocabulary = [f"w{n}" for n in range(12)]
    for _round in range(300):
        a = [rng.choice(vocabulary) for _ in range(rng.randint(0, 30))]
        b = list(a)
        for _edit in range(rng.randint(0, 12)):
            spot = rng.randint(0, len(b))
            kind = rng.choice("ids")
            if kind == "i":
                b.insert(spot, rng.choice(vocabulary))
            elif b and spot < len(b):
                if kind == "d":
                    del b[spot]
                else:
                    b[spot] = rng.choice(vocabulary)
        change = changed_share(" ".join(a), " ".join(b))
        assert not change.approximate
        assert change.distance == levenshtein(a, b), (a, b)


def test_a_long_rewrite_beyond_the_band_is_a_marked_lower_bound():
    machine = " ".join(f"m{n}" for n in range(1700))  # ~10,000 characters
    human = " ".join(f"h{n}" for n in range(1700))
    change = changed_share(machine, human, budget=20_000)
    assert change.approximate
    assert change.percent == 100  # the bag of words differs entirely
    partly = " ".join(f"m{n}" if n % 2 else f"h{n}" for n in range(1700))
    change = changed_share(machine, partly, budget=20_000)
    assert change.approximate and change.distance <= 850  # never above the true distance
    assert change.percent == 50


def test_a_local_edit_in_a_long_paragraph_is_exact_and_cheap():
    machine = " ".join(f"w{n}" for n in range(1700))
    human = machine.replace("w800 w801", "x800 x801 x802")
    change = changed_share(machine, human, budget=20_000)
    assert change == Change(distance=3, length=1701)
