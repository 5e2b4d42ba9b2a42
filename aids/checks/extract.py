"""Finding the things a translation must carry over: links, dates, times,
percentages and amounts, in Kazakh, Russian and English writing.

Each found thing is an :class:`Item`: the text as written and the set of
values it may stand for. A value set holds more than one value where the
writing is ambiguous ("1,500" is 1500 in English but 1.5 in Russian, "20.000"
is 20000 or 20): two items agree when their sets meet, so the checks flag
what certainly differs and let ambiguity pass.

Things are taken in a fixed order (links, dates, times, percentages, amounts)
and each one's characters are masked before the next is looked for, so "2022"
inside "07.01.2022" is a date and not also an amount.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from translations.transliteration import kazakh_latin

SPACES = " \u00a0\u202f\u2009"
MASK = "\x00"


@dataclass(frozen=True)
class Item:
    text: str
    values: frozenset
    start: int = 0


# --- Links ----------------------------------------------------------------------
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>«»\"“”„]+", re.IGNORECASE)
# Starts only where an address may (not inside a run of its characters), and never
# gives characters back: one pass over "aaaa…" instead of one per starting point.
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
HASHTAG_RE = re.compile(r"(?<![\w&#/])#\w*[^\W\d_]\w*")
MENTION_RE = re.compile(r"(?<![\w@./])@\w{2,}")


def _link_text(match):
    text = match.group()
    if match.re is URL_RE:
        # The sentence's own punctuation is not part of the address.
        text = text.rstrip(".,;:!?'’")
        if text.endswith(")") and text.count("(") < text.count(")"):
            text = text[:-1]
    return text


def _link_key(kind, text):
    if kind == "url":
        return text.lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    return text.casefold()


# --- Numbers --------------------------------------------------------------------
NUMBER = (
    r"(?<![\d.,])(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)*)"
)
# Scale words after a number, in any of the three languages (a Kazakh text
# quotes Russian figures and the other way round). Cyrillic ones inflect.
SCALES = [
    (Decimal(1000), r"thousands?\b|тыс\b\.?|тысяч\w*|мың\w*|myñ\w*"),
    (Decimal(10**6), r"millions?\b|mln\b\.?|млн\b\.?|миллион\w*"),
    (Decimal(10**9), r"billions?\b|bln\b\.?|млрд\b\.?|миллиард\w*"),
    (Decimal(10**12), r"trillions?\b|трлн\b\.?|триллион\w*"),
]
# Suffixes written straight after the digits: "$20k", "$1.5m", "$3bn".
SUFFIX_SCALES = {"k": Decimal(1000), "m": Decimal(10**6), "mn": Decimal(10**6),
                 "bn": Decimal(10**9)}
SCALE_RE = "|".join(f"(?P<s{n}>{pattern})" for n, (_v, pattern) in enumerate(SCALES))
AMOUNT_RE = re.compile(
    rf"(?P<number>{NUMBER})(?:(?P<suffix>k|mn|m|bn)\b|[{SPACES}]?-?(?:{SCALE_RE}))?",
    re.IGNORECASE,
)
PERCENT_RE = re.compile(
    rf"(?P<number>{NUMBER})[{SPACES}]?-?(?:%|‰|per[{SPACES}]?cent\w*|процент\w*|пайыз\w*|paiyz\w*)",
    re.IGNORECASE,
)


SPACES_RE = re.compile(f"[{SPACES}]")
MARKS_RE = re.compile(r"([.,])")


@lru_cache(maxsize=1024)
def number_values(written):
    """The values a written number may stand for (see the module docstring)."""
    compact = SPACES_RE.sub("", written)
    if compact != written:
        # Space-grouped thousands ("20 000,5"): any mark left is the decimal one.
        return frozenset({_decimal(compact.replace(",", "."))})
    parts = MARKS_RE.split(compact)
    digits, separators = parts[0::2], set(parts[1::2])
    if len(digits) == 1:
        return frozenset({_decimal(compact)})
    grouped = all(len(group) == 3 for group in digits[1:])
    if len(separators) == 2:
        # "1,234.5" or "1.234,5": the last mark is the decimal one.
        return frozenset({_decimal("".join(digits[:-1]) + "." + digits[-1])})
    if len(digits) > 2:
        return frozenset({_decimal("".join(digits))}) if grouped else frozenset()
    as_decimal = _decimal(digits[0] + "." + digits[1])
    if grouped and not digits[0].startswith("0"):
        return frozenset({as_decimal, _decimal("".join(digits))})
    return frozenset({as_decimal})


def _decimal(text):
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return Decimal(0)


def _amount_values(match):
    values = number_values(match.group("number"))
    scale = Decimal(1)
    if match.group("suffix"):
        scale = SUFFIX_SCALES[match.group("suffix").lower()]
    groups = match.groupdict()
    for n, (value, _pattern) in enumerate(SCALES):
        if groups.get(f"s{n}"):
            scale = value
    return frozenset((value * scale).normalize() for value in values)


# --- Dates and times ------------------------------------------------------------
MONTHS = {
    "en": [
        r"January|Jan\.?", r"February|Feb\.?", r"March|Mar\.?", r"April|Apr\.?", r"May",
        r"June|Jun\.?", r"July|Jul\.?", r"August|Aug\.?", r"September|Sept?\.?",
        r"October|Oct\.?", r"November|Nov\.?", r"December|Dec\.?",
    ],
    "ru": [
        r"январ\w*", r"феврал\w*", r"март\w*", r"апрел\w*", r"ма[йяею]\b", r"июн\w*",
        r"июл\w*", r"август\w*", r"сентябр\w*", r"октябр\w*", r"ноябр\w*", r"декабр\w*",
    ],
    "kk": [
        r"қаңтар\w*", r"ақпан\w*", r"наурыз\w*", r"сәуір\w*", r"мамыр\w*", r"маусым\w*",
        r"шілде\w*", r"тамыз\w*", r"қыркүйек\w*", r"қазан\w*", r"қараша\w*", r"желтоқсан\w*",
    ],
}
# Kazakh in Latin script: the Kazakh patterns, transliterated ("qañtar\w*").
MONTHS["kk-latn"] = [kazakh_latin(pattern).text for pattern in MONTHS["kk"]]
MONTH_NAMES_EN = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]


def _month_groups(word):
    """One named group per month (``m1``…``m12``) of the words ``word(month)`` gives."""
    return "|".join(f"(?P<m{month + 1}>{word(month)})" for month in range(12))


def _any_language(month):
    # English month names are capitalised: "may" is a verb, "May" a month.
    return "|".join(
        f"(?-i:{patterns[month]})" if language == "en" else patterns[month]
        for language, patterns in MONTHS.items()
    )


def _english_or_kazakh_genitive(month):
    return f"(?-i:{MONTHS['en'][month]})|(?:{MONTHS['kk'][month]})(?:ның|нің|дың|дің|тың|тің)"


DAY = r"(?<![\d.,:])(?P<day>[0-3]?\d)(?!\d|[.,:]\d)"
YEAR_BEFORE = r"(?:(?P<year0>\d{4})[\s\u00a0](?:жыл\w*|year\s+of|г\.|года?)\s+)?"
YEAR_AFTER = r"(?:,?[\s\u00a0](?P<year1>\d{4})(?!\d))?"
# "11 January", "11 января", "11 қаңтарда", "11-го января", "11th of January".
DAY_MONTH_RE = re.compile(
    rf"{YEAR_BEFORE}{DAY}(?:-?[^\W\d_]{{1,3}})?[\s\u00a0]+(?:of\s+)?(?:{_month_groups(_any_language)}){YEAR_AFTER}",
    re.IGNORECASE,
)
# "January 11, 2022" (English) and "қаңтардың 11-і" (Kazakh genitive).
MONTH_DAY_RE = re.compile(
    rf"(?:{_month_groups(_english_or_kazakh_genitive)})[\s\u00a0]+{DAY}(?:st|nd|rd|th|-\w{{1,3}})?{YEAR_AFTER}",
    re.IGNORECASE,
)
NUMERIC_DATE_RE = re.compile(
    r"(?<![\d.,/])(?:(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
    r"|(?P<sa>[0-3]?\d)/(?P<sb>[0-3]?\d)/(?P<sy>\d{4}|\d{2}))(?![\d/])"
)
TIME_RE = re.compile(
    r"(?<![\d:.,])(?P<h>[0-2]?\d):(?P<min>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
    r"(?:[\s\u00a0]?(?P<ampm>[ap])\.?[\s\u00a0]?m\b\.?)?",
    re.IGNORECASE,
)


def _valid(day, month):
    return 1 <= day <= 31 and 1 <= month <= 12


def _year(text):
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _numeric_date_values(match):
    if match.group("d"):
        options = [(match.group("d"), match.group("m"), match.group("y"))]
    elif match.group("iy"):
        options = [(match.group("id"), match.group("im"), match.group("iy"))]
    else:
        a, b, year = match.group("sa"), match.group("sb"), match.group("sy")
        options = [(a, b, year), (b, a, year)]  # 07/01 is 7 January or July 1
    return frozenset(
        (int(d), int(m), _year(y)) for d, m, y in options if _valid(int(d), int(m))
    )


def _word_date_values(match):
    month = next(n for n in range(1, 13) if match.group(f"m{n}"))
    day = int(match.group("day"))
    year = _year(match.groupdict().get("year0") or match.group("year1"))
    return frozenset({(day, month, year)}) if _valid(day, month) else frozenset()


def date_label(value):
    day, month, year = value
    return f"{day} {MONTH_NAMES_EN[month - 1]}" + (f" {year}" if year else "")


def _time_values(match):
    hour, minute = int(match.group("h")), int(match.group("min"))
    ampm = (match.group("ampm") or "").lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    return frozenset({(hour, minute)}) if hour <= 24 else frozenset()


# --- All together ---------------------------------------------------------------
@dataclass(frozen=True)
class Extraction:
    links: tuple
    dates: tuple
    times: tuple
    percentages: tuple
    amounts: tuple


def _take(text, masked, pattern, values, label=None):
    """Items ``pattern`` finds in ``masked``, and ``masked`` with them blanked out.

    The blanked text is put together once at the end (not once per item, which
    costs the text's length per item: thousands of numbers in a long paragraph)."""
    items, pieces, done = [], [], 0
    for match in pattern.finditer(masked):
        found = values(match)
        if not found:
            continue
        start, end = match.span()
        written = label(match) if label else match.group()
        items.append(Item(text=written.strip(), values=found, start=start))
        pieces += [masked[done:start], MASK * (end - start)]
        done = end
    if pieces:
        masked = "".join(pieces) + masked[done:]
    return items, masked


LINK_PATTERNS = (
    ("url", URL_RE), ("email", EMAIL_RE), ("hashtag", HASHTAG_RE), ("mention", MENTION_RE)
)


def _link_values(kind):
    def values(match):
        return frozenset({(kind, _link_key(kind, _link_text(match)))})

    return values


@lru_cache(maxsize=4096)
def extract(text):
    """Everything :mod:`aids.checks` compares, found once per text."""
    masked = text
    links = []
    for kind, pattern in LINK_PATTERNS:
        found, masked = _take(text, masked, pattern, _link_values(kind), label=_link_text)
        links += found
    dates = []
    for pattern, values in (
        (NUMERIC_DATE_RE, _numeric_date_values),
        (DAY_MONTH_RE, _word_date_values),
        (MONTH_DAY_RE, _word_date_values),
    ):
        found, masked = _take(text, masked, pattern, values)
        dates += found
    times, masked = _take(text, masked, TIME_RE, _time_values)
    percentages, masked = _take(
        text, masked, PERCENT_RE, lambda match: number_values(match.group("number"))
    )
    amounts, masked = _take(text, masked, AMOUNT_RE, _amount_values)
    return Extraction(
        links=tuple(sorted(links, key=lambda item: item.start)),
        dates=tuple(sorted(dates, key=lambda item: item.start)),
        times=tuple(times),
        percentages=tuple(percentages),
        amounts=tuple(amounts),
    )


def match_items(source_items, target_items):
    """Pair items whose values meet; return (missing from target, extra in target).

    Each source item takes the first unpaired target item with the same values,
    else the first one whose values meet its own. Target items are indexed by
    their values, so pairing costs the number of items, not its square.
    """
    targets = list(target_items)
    by_values, by_value = {}, {}
    for index, item in enumerate(targets):
        by_values.setdefault(item.values, []).append(index)
        for value in item.values:
            by_value.setdefault(value, []).append(index)
    taken = set()
    cursors = {}

    def first_free(key, table):
        # Each list is walked once overall: a cursor skips what earlier items took.
        indexes = table.get(key, ())
        at = cursors.get((id(table), key), 0)
        while at < len(indexes) and indexes[at] in taken:
            at += 1
        cursors[(id(table), key)] = at
        return indexes[at] if at < len(indexes) else None

    missing = []
    for item in source_items:
        partner = first_free(item.values, by_values)
        if partner is None:
            found = [first_free(value, by_value) for value in item.values]
            found = [index for index in found if index is not None]
            partner = min(found) if found else None
        if partner is None:
            missing.append(item)
        else:
            taken.add(partner)
    return missing, [item for index, item in enumerate(targets) if index not in taken]
