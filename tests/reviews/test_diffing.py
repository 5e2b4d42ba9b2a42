import pytest

from reviews.diffing import word_diff, word_diff_html


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
