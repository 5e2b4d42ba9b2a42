"""The glossary: agreed renderings of names, and finding them in running text.

Matching rule. Text and terms are cut into words at every character that is
not a letter or digit (so hyphens and apostrophes separate words:
"Kassym-Jomart", "Tokayev's", "ОДКБ-ға"), case-folded, with ё read as е. A
multi-word term matches consecutive words of the text, separated only by
spaces, hyphens or apostrophes. One term word matches one text word when:

- the term word has at most 3 letters ("ООН", "CSTO" is 4): the words are equal;
- English: the words are equal, or the text word adds "s" or "es" (the
  possessive's "s" is a word of its own, see above);
- Russian and Kazakh, which inflect names with endings: the text word starts
  with the term word's *stem* and adds at most 4 (Russian) or 7 (Kazakh,
  whose endings stack: "Мәжіліс|індегі") letters. The stem is the word less
  its last one or two letters when they are vowels, "й" or "ь", keeping at
  least four ("Москва" → "Москв", so "Москвы", "Москве"; "Национальная
  гвардия" → "национальн гвард", so "Национальной гвардии"); the whole word
  otherwise ("Тоқаев" → "Тоқаевтың", "Токаев" → "Токаева").

The rule over-matches words derived from a name by a short suffix
("Иранский" for "Иран"), which for a consistency check costs little: such a
word is about the same thing. It never matches across a word's first
letters, so "Казахстан" is not "Казан".
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q

WORD_RE = re.compile(r"[^\W_]+")
JOINERS_RE = re.compile(r"[\s\-‐‑–'’]*")
STRIPPABLE_ENDINGS = set("aeiouyаеёиоуыэюяәөүұіьй")
MAX_SUFFIX = {"en": 2, "ru": 4, "kk": 7}
DEFAULT_MAX_SUFFIX = 4
EXACT_UP_TO = 3


def fold(word):
    return word.casefold().replace("ё", "е")


def word_stem(word, language):
    if len(word) <= EXACT_UP_TO or language == "en":
        return word
    stem = word
    while len(stem) > 4 and len(word) - len(stem) < 2 and stem[-1] in STRIPPABLE_ENDINGS:
        stem = stem[:-1]
    return stem


def word_matches(term_word, text_word, language):
    """Whether ``text_word`` is a form of ``term_word`` (both folded): see the module."""
    if len(term_word) <= EXACT_UP_TO:
        return text_word == term_word
    if language == "en":
        return text_word in (term_word, term_word + "s", term_word + "es")
    stem = word_stem(term_word, language)
    suffix = len(text_word) - len(stem)
    return text_word.startswith(stem) and suffix <= MAX_SUFFIX.get(language, DEFAULT_MAX_SUFFIX)


@dataclass(frozen=True, eq=False)
class Term:
    """A glossary entry, detached from the database (compared by identity)."""

    renderings: dict
    forbidden: dict = field(default_factory=dict)
    kind: str = "other"
    note: str = ""
    pk: int | None = None

    def rendering(self, language):
        return self.renderings.get(language, "")

    @classmethod
    def from_model(cls, term):
        return cls(
            renderings=term.renderings(),
            forbidden=term.forbidden_variants(),
            kind=term.kind,
            note=term.note,
            pk=term.pk,
        )


@dataclass(frozen=True)
class GlossarySpan:
    """Where a term (or, for ``forbidden``, a wrong spelling of it) stands in a text."""

    start: int
    end: int
    text: str
    term: Term
    forbidden: str = ""


class _Matcher:
    """All phrases of one language, indexed by their first word's stem.

    A text word can only be a form of a term word whose stem (the whole word
    for English and short words) it starts with, followed by at most
    ``MAX_SUFFIX`` letters: so for each word of the text only its few longest
    prefixes are looked up, whatever the number of terms.
    """

    def __init__(self, phrases, language):
        self.language = language
        self.longest_suffix = max(2, MAX_SUFFIX.get(language, DEFAULT_MAX_SUFFIX))
        self.index = {}
        for order, (term, phrase) in enumerate(phrases):
            words = [fold(word) for word in WORD_RE.findall(phrase)]
            if words:
                # Longest phrase first, then in the glossary's order.
                rank = (-len(words), order)
                key = word_stem(words[0], language)
                self.index.setdefault(key, []).append((rank, term, phrase, words))
        for entries in self.index.values():
            entries.sort(key=lambda entry: entry[0])

    def find(self, text):
        tokens = [(m.start(), m.end(), fold(m.group())) for m in WORD_RE.finditer(text)]
        spans = []
        position = 0
        while position < len(tokens):
            found = self._match_at(text, tokens, position)
            if found is None:
                position += 1
                continue
            term, phrase, length = found
            start, end = tokens[position][0], tokens[position + length - 1][1]
            spans.append((start, end, term, phrase))
            position += length
        return spans

    def _candidates(self, word):
        """The phrases whose first word ``word`` may be a form of, best first."""
        found = []
        for length in range(len(word), max(1, len(word) - self.longest_suffix) - 1, -1):
            found += self.index.get(word[:length], ())
        if len(found) > 1:
            found.sort(key=lambda entry: entry[0])
        return found

    def _match_at(self, text, tokens, position):
        for _rank, term, phrase, words in self._candidates(tokens[position][2]):
            if position + len(words) > len(tokens):
                continue
            window = tokens[position : position + len(words)]
            same_words = all(
                word_matches(w, t[2], self.language)
                for w, t in zip(words, window, strict=True)
            )
            joined = all(
                JOINERS_RE.fullmatch(text[a[1] : b[0]])
                for a, b in zip(window, window[1:], strict=False)
            )
            if same_words and joined:
                return term, phrase, len(words)
        return None


class Glossary:
    """A set of terms, ready to be looked for in texts of any language."""

    def __init__(self, terms=()):
        self.terms = [term if isinstance(term, Term) else Term.from_model(term) for term in terms]
        self._matchers = {}

    def __bool__(self):
        return bool(self.terms)

    def _matcher(self, language, forbidden=False):
        key = (language, forbidden)
        if key not in self._matchers:
            if forbidden:
                phrases = [(t, v) for t in self.terms for v in t.forbidden.get(language, ())]
            else:
                phrases = [(t, t.rendering(language)) for t in self.terms if t.rendering(language)]
            self._matchers[key] = _Matcher(phrases, language)
        return self._matchers[key]

    def find(self, text, language):
        """The agreed renderings of terms found in ``text``, in order."""
        return [
            GlossarySpan(start, end, text[start:end], term)
            for start, end, term, _phrase in self._matcher(language).find(text)
        ]

    def find_forbidden(self, text, language):
        """Wrong spellings (a term's forbidden variants) found in ``text``."""
        return [
            GlossarySpan(start, end, text[start:end], term, forbidden=phrase)
            for start, end, term, phrase in self._matcher(language, forbidden=True).find(text)
        ]

    def contains(self, term, text, language):
        return any(span.term == term for span in self.find(text, language))


def glossary_for_article(*, article=None):
    """The newsroom-wide terms and, given an article, that article's own (one query)."""
    from .models import GlossaryTerm

    scope = Q(article__isnull=True)
    if article is not None:
        scope |= Q(article=article)
    return Glossary(GlossaryTerm.objects.filter(scope))


def glossary_highlight(*, text, language, glossary):
    """Spans of ``text`` to mark for the translator: agreed terms and wrong spellings.

    ``glossary`` is a :class:`Glossary` (see :func:`glossary_for_article`) or
    an iterable of terms. Returns :class:`GlossarySpan` objects sorted by
    position; a wrong spelling carries the variant in ``forbidden``.
    """
    if not isinstance(glossary, Glossary):
        glossary = Glossary(glossary)
    spans = glossary.find(text, language) + glossary.find_forbidden(text, language)
    return sorted(spans, key=lambda span: (span.start, -span.end))
