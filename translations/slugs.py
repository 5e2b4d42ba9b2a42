"""ASCII slugs for article URLs, from titles in Kazakh, Russian or English.

Cyrillic is transliterated by one fixed table (Russian letters as in common
newsroom romanisation, the nine Kazakh letters as in the 2021 Kazakh Latin
alphabet with its diacritics dropped: қ → q, ғ → gh, ң → ng), so a title gives
the same slug on every machine and the URL stays readable. Anything else is
reduced to ASCII by Unicode decomposition (é → e); what has no ASCII form
(Chinese, emoji) is dropped, and a title with nothing left becomes "article".
"""

import re

from django.utils.text import slugify

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters beyond the Russian alphabet.
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip

FALLBACK_SLUG = "article"
# Leaves room for a "-<n>" suffix within Article.slug's 200 characters.
MAX_BASE_LENGTH = 100


def transliterate(text):
    """Cyrillic letters of ``text`` in Latin; every other character unchanged."""
    out = []
    for char in text:
        lower = char.lower()
        latin = CYRILLIC_TO_LATIN.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower:
            out.append(latin.capitalize())
        else:
            out.append(latin)
    return "".join(out)


def slug_from_title(title, *, max_length=MAX_BASE_LENGTH):
    """``"Қазақстан Президенті"`` → ``"qazaqstan-prezidenti"``: ASCII, lower case.

    A long title is cut at a hyphen, so the slug never ends in half a word.
    """
    slug = slugify(transliterate(title))
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.strip("-") or FALLBACK_SLUG


def slug_unique(base, *, taken):
    """``base``, else ``base-2``, ``base-3`` …: the first for which ``taken(slug)`` is false."""
    if not taken(base):
        return base
    number = 2
    while taken(f"{base}-{number}"):
        number += 1
    return f"{base}-{number}"


def slug_family(slug, base):
    """Whether ``slug`` is ``base`` or one of its numbered variants (``base-2`` …)."""
    return slug == base or re.fullmatch(re.escape(base) + r"-[0-9]+", slug) is not None
