"""Kazakh in Cyrillic → the Kazakh Latin alphabet of 2021, with the words to check.

The alphabet is the one the Government presented on 28 January 2021 (31
letters: A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z). Each
Kazakh Cyrillic letter has one Latin letter::

    А A   Ә Ä   Б B   В V   Г G   Ғ Ğ   Д D   Е E   Ж J   З Z   И İ   Й İ
    К K   Қ Q   Л L   М M   Н N   Ң Ñ   О O   Ө Ö   П P   Р R   С S   Т T
    У U   Ұ Ū   Ү Ü   Ф F   Х H   Һ H   Ш Ş   Ы Y   І I

І is the dotless I/ı and И, Й the dotted İ/i, so case is converted letter by
letter from this table and never with ``str.upper`` (which would turn "i" into
"I", the letter for І). У is U whether it is the vowel (су → su) or the glide
(тау → tau): the 2021 alphabet has no W.

The letters Kazakh writes only in loanwords from Russian have no letter of
their own; they are spelled as they sound (Ч → Ç, as the 2021 tables give it)::

    Ё İo   Ц Ts   Ч Ç   Щ Şş   Ъ –   Ь –   Э E   Ю İu   Я İa

Those spellings are where the Latin orthography departs from letter-by-letter
conversion (a loanword may keep its source-language spelling, "ия" may be
"ia"), so a word holding one of them is reported as *unsure*, for a reviewer
to check; so is a word with И after a vowel (Аида and Айда both give "Aida"),
and a word mixing Cyrillic and Latin letters. Names with an agreed Latin
spelling (``names``: the glossary's) take it, inflected by their Kazakh
ending ("Тоқаевтың" → "Toqaevtyñ"), and are never unsure.

A word in capitals stays in capitals ("ЦЕНТР" → "TSENTR"); a capital at the
start of a word capitalises only the first Latin letter ("Цирк" → "Tsirk").
"""

import re
from dataclasses import dataclass

# Lowercase Cyrillic → lowercase Latin. Ъ and Ь are not written.
LETTERS = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
    "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip

# The Latin capitals, where Python's own would be wrong for Kazakh.
CAPITALS = {"i": "İ", "ı": "I"}

LOANWORD_LETTERS = set("ёцщъьэюя")
VOWELS = set("аәеёиоөуұүыіэюя")

# Kinds of doubt, reported with each unsure word.
LOANWORD = "loanword"  # a letter Kazakh writes only in loanwords
HIATUS = "hiatus"  # И after a vowel: reads the same as Й
MIXED = "mixed"  # Cyrillic and Latin letters in one word

WORD = re.compile(r"[^\W\d_]+")
# The longest Kazakh ending a glossary name may carry (as aids.glossary allows).
MAX_NAME_ENDING = 7


@dataclass(frozen=True)
class Unsure:
    """A word of the Latin text the conversion may have got wrong (offsets in the output)."""

    start: int
    end: int
    word: str
    reason: str


@dataclass(frozen=True)
class Transliteration:
    text: str
    unsure: tuple = ()


def latin_capital(text):
    return "".join(CAPITALS.get(char, char.upper()) for char in text)


def _table(capitalise):
    table = {}
    for small, latin in LETTERS.items():
        table[ord(small)] = latin
        table[ord(small.upper())] = capitalise(latin) if latin else ""
    return str.maketrans(table)


# One table for words in capitals ("ЦЕНТР" → "TSENTR"), one for the others, where a
# capital turns only the first Latin letter it gives into one ("Цирк" → "Tsirk").
IN_CAPITALS = _table(latin_capital)
IN_WORDS = _table(lambda latin: latin_capital(latin[0]) + latin[1:])


def _letters(word, *, all_caps):
    """``word``'s Latin letters; its letters that are not Cyrillic are kept."""
    return word.translate(IN_CAPITALS if all_caps else IN_WORDS)


def _caps(word):
    return len(word) > 1 and word.isupper()


LOANWORD_RE = re.compile(f"[{''.join(LOANWORD_LETTERS)}]", re.IGNORECASE)
HIATUS_RE = re.compile(f"[{''.join(VOWELS)}]и", re.IGNORECASE)
CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
OTHER_LETTER_RE = re.compile(r"[^\W\d_\u0400-\u04ff]")


def _doubt(word):
    """Why ``word`` (Cyrillic) may come out wrong, or ``""``."""
    if LOANWORD_RE.search(word):
        return LOANWORD
    if HIATUS_RE.search(word):
        return HIATUS
    if CYRILLIC_RE.search(word) and OTHER_LETTER_RE.search(word):
        return MIXED
    return ""


def _names_index(names):
    """``{first two letters: [(folded Cyrillic, Latin)]}``, longest first, from
    ``(Cyrillic, Latin)`` pairs: a word is compared only with the names it could start."""
    pairs = {
        cyrillic.strip().casefold(): latin.strip()
        for cyrillic, latin in names
        if cyrillic and cyrillic.strip() and latin and latin.strip()
    }
    index = {}
    for cyrillic, latin in sorted(pairs.items(), key=lambda pair: -len(pair[0])):
        index.setdefault(cyrillic[:2], []).append((cyrillic, latin))
    return index


def _name_at(text, start, names):
    """``(end of the name, end of the word, Latin)`` when a name starts at ``start``."""
    for cyrillic, latin in names.get(text[start : start + 2].casefold(), ()):
        end = start + len(cyrillic)
        if text[start:end].casefold() != cyrillic:
            continue
        ending = WORD.match(text, end)
        word_end = ending.end() if ending else end
        if word_end - end <= MAX_NAME_ENDING:
            return end, word_end, latin
    return None


def kazakh_latin(text, *, names=()):
    """``text`` (Kazakh in Cyrillic) in the 2021 Latin alphabet, with its unsure words.

    ``names`` are ``(Cyrillic, Latin)`` pairs of agreed spellings, matched at
    the start of a word with up to seven letters of Kazakh ending after them.
    Everything that is not a Cyrillic letter (digits, punctuation, Latin
    words) is kept as it is.
    """
    names = _names_index(names)
    pieces, unsure, length = [], [], 0
    position = 0
    while position < len(text):
        match = WORD.search(text, position)
        if match is None:
            pieces.append(text[position:])
            break
        if match.start() > position:
            between = text[position : match.start()]
            pieces.append(between)
            length += len(between)
        start = match.start()
        name = _name_at(text, start, names) if names else None
        if name is not None:
            name_end, word_end, latin = name
            caps = _caps(text[start:word_end])
            latin_text = (latin_capital(latin) if caps else latin) + _letters(
                text[name_end:word_end], all_caps=caps
            )
            pieces.append(latin_text)
            length += len(latin_text)
            position = word_end
            continue
        word = match.group()
        latin_text = _letters(word, all_caps=_caps(word))
        reason = _doubt(word)
        if reason:
            unsure.append(Unsure(length, length + len(latin_text), latin_text, reason))
        pieces.append(latin_text)
        length += len(latin_text)
        position = match.end()
    return Transliteration(text="".join(pieces), unsure=tuple(unsure))


# (from language, to language) → the function converting between their scripts.
TRANSLITERATORS = {("kk", "kk-latn"): kazakh_latin}


def transliterator(source, target):
    """The function writing ``source`` text in ``target``'s script, or ``None``."""
    return TRANSLITERATORS.get((source, target))
