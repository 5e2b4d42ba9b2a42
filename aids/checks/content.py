"""Checks on the translation as a whole: missing, untranslated, out of proportion."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from translations.languages import language_name

from .base import ERROR, WARNING, Check

LETTER_RE = re.compile(r"[^\W\d_]")


class EmptyCheck(Check):
    id = "empty"
    name = gettext_lazy("Empty translation")
    description = gettext_lazy("The source has text and the translation has none.")
    severity = ERROR
    runs_on_empty = True

    def check(self, source, target, source_language, target_language, context):
        if source.strip() and not target.strip():
            return [self.issue(_("The translation is empty."))]
        return []


class SameCheck(Check):
    id = "same"
    name = gettext_lazy("Same as the source")
    description = gettext_lazy(
        "The translation is the source text unchanged: most likely it was never translated."
    )
    severity = ERROR

    def check(self, source, target, source_language, target_language, context):
        # A bare name, number or address ("COVID-19", "akorda.kz") is the same
        # in every language; a sentence is not.
        words = [word for word in source.split() if LETTER_RE.search(word)]
        if len(words) >= 2 and source.strip() == target.strip():
            return [self.issue(_("The translation is identical to the source."))]
        return []


# Expected length of a translation relative to its source, in characters:
# (shortest, longest) ratio before the check warns. Russian and Kazakh run
# longer than English; the bounds are wide because news paragraphs vary.
LENGTH_RATIOS = {
    ("en", "ru"): (0.75, 2.0),
    ("en", "kk"): (0.75, 2.0),
    ("ru", "en"): (0.5, 1.35),
    ("kk", "en"): (0.5, 1.35),
    ("ru", "kk"): (0.65, 1.55),
    ("kk", "ru"): (0.65, 1.55),
}
DEFAULT_LENGTH_RATIO = (0.5, 2.0)
# Below this many source characters a ratio says little (a title, a name).
LENGTH_MIN_SOURCE = 40


class LengthCheck(Check):
    id = "length"
    name = gettext_lazy("Length")
    description = gettext_lazy(
        "The translation is far shorter or far longer than translations between "
        "these languages usually are: a sentence may be missing or doubled."
    )
    severity = WARNING

    def check(self, source, target, source_language, target_language, context):
        source_length = len(source.strip())
        if source_length < LENGTH_MIN_SOURCE:
            return []
        low, high = LENGTH_RATIOS.get((source_language, target_language), DEFAULT_LENGTH_RATIO)
        ratio = len(target.strip()) / source_length
        if low <= ratio <= high:
            return []
        return [self.issue(
            _(
                "The translation is %(ratio).2f times as long as the source; from "
                "%(source)s to %(target)s between %(low).2f and %(high).2f is expected."
            )
            % {
                "ratio": ratio,
                "low": low,
                "high": high,
                "source": language_name(source_language),
                "target": language_name(target_language),
            }
        )]
