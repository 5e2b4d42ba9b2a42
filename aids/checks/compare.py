"""Checks that compare what the source and the translation carry."""

import re
from abc import abstractmethod
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from translations.transliteration import kazakh_latin

from .base import ERROR, Check
from .extract import date_label, extract, match_items


class CarriedOverCheck(Check):
    """The things :meth:`items` finds in the source must all be in the translation.

    A changed thing is reported once, as "X in the source is missing: found
    Y"; a dropped or an added one on its own.
    """

    severity = ERROR

    @abstractmethod
    def items(self, text):
        """The things in ``text`` that the other text must carry too."""

    def excused(self, item, other_text, other_language):
        """Whether an unmatched item is rendered in another way in the other text."""
        return False

    def label(self, item):
        return item.text

    def check(self, source, target, source_language, target_language, context):
        missing, extra = match_items(self.items(source), self.items(target))
        missing = [i for i in missing if not self.excused(i, target, target_language)]
        extra = [i for i in extra if not self.excused(i, source, source_language)]
        issues = []
        for lost, found in zip(missing, extra, strict=False):
            issues.append(self.issue(
                _("%(source)s in the source is missing: found %(found)s")
                % {"source": self.label(lost), "found": self.label(found)}
            ))
        pairs = min(len(missing), len(extra))
        for lost in missing[pairs:]:
            issues.append(self.issue(
                _("%(source)s in the source is missing from the translation.")
                % {"source": self.label(lost)}
            ))
        for found in extra[pairs:]:
            issues.append(self.issue(
                _("%(found)s in the translation is not in the source.")
                % {"found": self.label(found)}
            ))
        return issues


# Small numbers are often spelled out in one language and written in digits in
# the other ("3 people" / "три человека"): a digit 1…10 is excused when the
# other text has the word for it.
NUMBER_WORDS = {
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "ru": [
        r"од(?:ин|на|но|ного|ной|ному|ним|ном|ну)", r"дв(?:а|е|ух|ум|умя)",
        r"тр(?:и|[её]х|[её]м|емя)", r"четыр(?:е|[её]х|[её]м|ьмя)", r"пят(?:ь|и|ью)",
        r"шест(?:ь|и|ью)", r"сем(?:ь|и|ью)", r"(?:восем|восьм)(?:ь|и|ью)",
        r"девят(?:ь|и|ью)", r"десят(?:ь|и|ью)",
    ],
    "kk": [
        r"бір(?:і|еу\w*)?", r"екі\w*", r"үш\w*", r"төрт\w*", r"бес\w*", r"алты\w*",
        r"жеті\w*", r"сегіз\w*", r"тоғыз\w*", r"он(?:ға|нан|ның|ыншы)?",
    ],
}
NUMBER_WORDS["kk-latn"] = [kazakh_latin(word).text for word in NUMBER_WORDS["kk"]]
NUMBER_WORD_RES = {
    language: [re.compile(rf"\b(?:{word})\b", re.IGNORECASE) for word in words]
    for language, words in NUMBER_WORDS.items()
}


class NumbersCheck(CarriedOverCheck):
    id = "numbers"
    name = gettext_lazy("Numbers")
    description = gettext_lazy(
        "Every number and amount of the source is in the translation, in whatever "
        "format the language writes it (20,000 / 20 000 / 20 тыс. / 20 мың)."
    )

    def items(self, text):
        return extract(text).amounts

    def excused(self, item, other_text, other_language):
        words = NUMBER_WORD_RES.get(other_language, [])
        for value in item.values:
            if value == value.to_integral_value() and 1 <= value <= len(words):
                if _spelled_out(int(value), other_language, other_text):
                    return True
        return False


@lru_cache(maxsize=64)
def _spelled_out(number, language, text):
    """Whether ``text`` has the word for ``number``: searched once per text, not once
    per digit of the other text (a paragraph of a thousand "1"s)."""
    return NUMBER_WORD_RES[language][number - 1].search(text) is not None


class PercentagesCheck(CarriedOverCheck):
    id = "percentages"
    name = gettext_lazy("Percentages")
    description = gettext_lazy(
        "Every percentage of the source is in the translation (5% / 5 % / 5 пайыз / "
        "5 процентов / 5 percent)."
    )

    def items(self, text):
        return extract(text).percentages


class DatesCheck(CarriedOverCheck):
    id = "dates"
    name = gettext_lazy("Dates")
    description = gettext_lazy(
        "Every date of the source is in the translation, written out or in digits "
        "(07.01.2022, January 11 / 11 января / 11 қаңтар)."
    )

    def items(self, text):
        return extract(text).dates

    def label(self, item):
        if len(item.values) == 1:
            (value,) = item.values
            written = date_label(value)
            return item.text if written == item.text else f"{item.text} ({written})"
        return item.text


class TimesCheck(CarriedOverCheck):
    id = "times"
    name = gettext_lazy("Times")
    description = gettext_lazy(
        "Every time of day of the source is in the translation (15:23, 3:23 p.m.)."
    )

    def items(self, text):
        return extract(text).times


class LinksCheck(CarriedOverCheck):
    id = "links"
    name = gettext_lazy("Links, e-mail addresses and hashtags")
    description = gettext_lazy(
        "Web addresses, e-mail addresses, hashtags and @names are kept as in the source."
    )

    def items(self, text):
        return extract(text).links


