"""The glossary consistency check."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from translations.languages import language_name

from .base import ERROR, Check


class GlossaryCheck(Check):
    """Names found in the source are spelled in the translation as agreed.

    ``context["glossary"]`` is an :class:`aids.glossary.Glossary`; how names
    are found despite case and inflection is told in :mod:`aids.glossary`.
    """

    id = "glossary"
    name = gettext_lazy("Glossary")
    description = gettext_lazy(
        "A name of the glossary found in the source is written in the translation as "
        "agreed, and none of its wrong spellings is used."
    )
    severity = ERROR

    def check(self, source, target, source_language, target_language, context):
        glossary = context.get("glossary")
        if not glossary:
            return []
        issues = []
        found_in_target = {span.term for span in glossary.find(target, target_language)}
        seen = set()
        for span in glossary.find(source, source_language):
            agreed = span.term.rendering(target_language)
            if not agreed or span.term in found_in_target or span.term in seen:
                continue
            seen.add(span.term)
            issues.append(self.issue(
                _("%(source)s in the source should be rendered as %(agreed)s.")
                % {"source": span.text, "agreed": agreed}
            ))
        for span in glossary.find_forbidden(target, target_language):
            issues.append(self.issue(
                _("%(wrong)s is not how %(language)s spells it: write %(agreed)s.")
                % {
                    "wrong": span.text,
                    "language": language_name(target_language),
                    "agreed": span.term.rendering(target_language) or "?",
                }
            ))
        return issues
