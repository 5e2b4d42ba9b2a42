"""Cutting a paragraph into sentences, as CAT tools segment for their memories.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets after it) followed by a space and a capital letter, a digit or an
opening quote. Not at a full stop that ends an abbreviation ("Mr.", "Dr.",
"г.", "ж.", "т.е."), an initial ("K. Tokayev", "Қ.-Ж. Тоқаев", "J. R. R."),
a month abbreviation before a day ("Jan. 11"). A dash or a small letter after
the mark continues the sentence («…?» — сказал он). Decimals ("1.5") and dates
("07.01.2022") never have the space a boundary needs.
"""

import re

ABBREVIATIONS = {
    # English
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt",
    "gov", "sen", "rep", "rev", "hon", "vs", "etc", "inc", "ltd", "co", "corp", "no", "nos",
    "vol", "fig", "approx", "dept", "est", "ave", "blvd", "mt", "ft", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "a.m",
    "p.m", "u.s", "u.k", "u.n",
    # Russian
    "г", "гг", "т.е", "т.д", "т.п", "т.к", "др", "пр", "ул", "им", "тыс", "млн", "млрд",
    "трлн", "руб", "коп", "см", "ст", "проф", "акад", "доц", "обл", "р", "г-н", "г-жа",
    "пос", "с", "д", "кв", "рис", "стр", "напр", "зам", "мин", "сек", "ген",
    # Kazakh
    "ж", "жж", "т.б", "т.с.с", "т.с", "б.з.б", "б.з", "облы", "көш", "ауд", "қ", "мың",
}
TERMINATORS = ".!?…"
CLOSERS = "\"'»”’)]"
OPENERS = "\"'«“„‘(["
BOUNDARY_RE = re.compile(
    rf"[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*(?P<space>\s+)"
    rf"(?=[{re.escape(OPENERS)}]?(?:[^\W\d_a-zа-яёәғқңөұүһі]|\d))"
)
WORD_BEFORE_RE = re.compile(r"(?<![^\s\"'«“„‘(\[])([^\s\"'«“„‘(\[]*)$")
# No abbreviation or initials is longer: the word before a full stop is looked
# for in this many characters, not in the whole sentence so far.
WORD_WINDOW = 40
INITIAL_RE = re.compile(r"^(?:[^\W\d_][.\-]+)*[^\W\d_]$")


def _ends_abbreviation(text_before):
    """Whether the full stop right after ``text_before`` belongs to a word, not a sentence."""
    word = WORD_BEFORE_RE.search(text_before[-WORD_WINDOW - 1 :]).group(1)
    if not word or len(word) > WORD_WINDOW:
        return False
    if INITIAL_RE.match(word) and word[-1].isupper():
        return True  # "K." or "Қ.-Ж."
    return word.casefold().rstrip(".") in ABBREVIATIONS


def sentence_split(text, language=None):
    """The sentences of ``text``, stripped, in order; ``[]`` for blank text.

    ``language`` is accepted for symmetry with the other aids; the rules
    above hold for Kazakh, Russian and English alike.
    """
    text = (text or "").strip()
    if not text:
        return []
    sentences = []
    start = 0
    for match in BOUNDARY_RE.finditer(text):
        terminator = match.group()[0]
        before = text[max(start, match.start() - WORD_WINDOW - 1) : match.start()]
        if terminator == "." and _ends_abbreviation(before):
            continue
        sentence = text[start : match.start("space")].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
