"""Checks on how the translation is written: quotation marks and spacing."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from translations.languages import language_name

from .base import ERROR, WARNING, Check

# The quotation marks each language opens and closes with, outer first.
QUOTE_STYLES = {
    "en": (("“", "”"), ("‘", "’")),
    "ru": (("«", "»"), ("„", "“")),
    "kk": (("«", "»"), ("„", "“")),
}


def quote_imbalance(text, language):
    """Describe the first unbalanced pair of quotation marks, or return ""."""
    if text.count('"') % 2:
        return _('an odd number of straight quotes (")')
    pairs = [("«", "»")]
    if language in ("ru", "kk") and "„" in text:
        # Nested Russian quotes close with “, which English opens with.
        pairs.append(("„", "“"))
    else:
        pairs.append(("“", "”"))
    for opening, closing in pairs:
        depth = 0
        for char in text:
            if char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth < 0:
                    break
        if depth:
            return _("%(opening)d × %(open)s and %(closing)d × %(close)s") % {
                "opening": text.count(opening),
                "open": opening,
                "closing": text.count(closing),
                "close": closing,
            }
    return ""


class QuotesBalanceCheck(Check):
    id = "quotes_balance"
    name = gettext_lazy("Unbalanced quotation marks")
    description = gettext_lazy(
        "Every quotation mark the translation opens is closed, and none is closed "
        "before it opens. A paragraph whose source leaves a quote open (a quote "
        "running on into the next paragraph) is not flagged."
    )
    severity = ERROR

    def check(self, source, target, source_language, target_language, context):
        if quote_imbalance(source, source_language):
            return []
        problem = quote_imbalance(target, target_language)
        if problem:
            return [self.issue(
                _("Unbalanced quotation marks: %(problem)s.") % {"problem": problem}
            )]
        return []


class QuotesStyleCheck(Check):
    id = "quotes_style"
    name = gettext_lazy("Quotation mark style")
    description = gettext_lazy(
        "Quotation marks are the target language's: «…» for Kazakh and Russian, "
        "“…” for English; straight quotes are flagged."
    )
    severity = WARNING

    def check(self, source, target, source_language, target_language, context):
        style = QUOTE_STYLES.get(target_language)
        if style is None:
            return []
        expected = "{}…{}".format(*style[0])
        language = language_name(target_language)
        issues = []
        if '"' in target:
            issues.append(self.issue(
                _('Straight quotes (") are used: %(language)s uses %(expected)s.')
                % {"language": language, "expected": expected}
            ))
        allowed = {mark for pair in style for mark in pair} | {"’", "'"}
        foreign = [mark for mark in "«»„“”" if mark in target and mark not in allowed]
        if target_language in ("ru", "kk") and "„" not in target and "“" in target:
            foreign.insert(0, "“")
        if foreign:
            issues.append(self.issue(
                _("%(marks)s are not %(language)s quotation marks: use %(expected)s.")
                % {"marks": " ".join(foreign), "language": language, "expected": expected}
            ))
        return issues


SPACE = "[ \u00a0\u202f\t]"
# Each looks at a run of spaces from its first space only, and never gives spaces
# back: the time is linear in the text (a leading ``(\S*)``, tried at every
# character of a long word or of a long run of spaces, took seconds on 10,000).
DOUBLE_SPACE_RE = re.compile(rf"(?<!{SPACE}){SPACE}{{2,}}+(?=\S)")
SPACE_BEFORE_RE = re.compile(rf"(?<!{SPACE}){SPACE}++([,.;:!?…)»”])(?!\d)")


def after_words(pattern, text):
    """``(word, match)`` for each match of ``pattern``, ``word`` being the non-space
    characters right before it (none of them inside the previous match)."""
    previous_end = 0
    for match in pattern.finditer(text):
        start = match.start()
        while start > previous_end and not text[start - 1].isspace():
            start -= 1
        yield text[start : match.start()], match
        previous_end = match.end()


class WhitespaceCheck(Check):
    id = "whitespace"
    name = gettext_lazy("Stray spaces")
    description = gettext_lazy(
        "No space at the start or end, no double spaces, no line breaks inside a "
        "paragraph, no space before a punctuation mark."
    )
    severity = WARNING

    def check(self, source, target, source_language, target_language, context):
        issues = []
        if target[:1].isspace():
            issues.append(self.issue(_("The translation starts with a space.")))
        if target[-1:].isspace():
            issues.append(self.issue(_("The translation ends with a space.")))
        if "\n" in target.strip():
            issues.append(self.issue(_("The translation has a line break inside it.")))
        for word, _match in after_words(DOUBLE_SPACE_RE, target.strip()):
            issues.append(self.issue(
                _("Double space after “%(word)s”.") % {"word": word}
                if word
                else _("Double space in the translation.")
            ))
        for word, match in after_words(SPACE_BEFORE_RE, target.strip()):
            issues.append(self.issue(
                _("Space before “%(mark)s” after “%(word)s”.")
                % {"mark": match.group(1), "word": word}
            ))
        return issues
