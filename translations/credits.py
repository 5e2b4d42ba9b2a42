"""Credit lines, written and read in each language.

"Translation by Saniya Sakenova and Assem Zhanmukhanova" on an English page
is "Перевод: …" on a Russian one and "Аударған: …" on a Kazakh one. The same
gettext strings serve the public pages (writing) and the importer (reading),
so a credit line the desk prints is one it can import again.
"""

import re

from django.utils import translation
from django.utils.translation import gettext, pgettext

from .models import CreditRole

# Roles in the order their lines appear under an article.
ROLE_ORDER = [CreditRole.AUTHOR, CreditRole.TRANSLATOR, CreditRole.EDITOR]


def _line_templates():
    """The credit-line template per role in the active language (``%(names)s``)."""
    return {
        CreditRole.AUTHOR: gettext("By %(names)s"),
        CreditRole.TRANSLATOR: gettext("Translation by %(names)s"),
        CreditRole.EDITOR: gettext("Editing by %(names)s"),
    }


def _conjunction():
    # Translators: the word joining the last two names of a list ("A, B and C").
    return pgettext("list of names", "and")


def join_names(names, language):
    """``["A", "B", "C"]`` → "A, B and C" in ``language``'s own words."""
    names = list(names)
    with translation.override(language):
        conjunction = _conjunction()
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def credit_lines(credits, language):
    """Credit lines for ``credits`` (Credit objects, any order) on a ``language`` page."""
    by_role = {}
    for credit in sorted(credits, key=lambda c: (c.role, c.order)):
        by_role.setdefault(credit.role, []).append(credit.contributor.name_in(language))
    with translation.override(language):
        templates = _line_templates()
    return [
        templates[role] % {"names": join_names(by_role[role], language)}
        for role in ROLE_ORDER
        if by_role.get(role)
    ]


def parse_credit_line(line, language):
    """``(role, [names])`` when ``line`` is a credit line in ``language`` (or English).

    Returns ``None`` for any other line.
    """
    line = line.strip()
    for code in dict.fromkeys([language, "en"]):
        with translation.override(code):
            templates = _line_templates()
            conjunction = _conjunction()
        for role, template in templates.items():
            prefix, _sep, suffix = template.partition("%(names)s")
            pattern = re.escape(prefix.strip()) + r"\s*(?P<names>.+?)\s*" + re.escape(suffix)
            match = re.fullmatch(pattern, line) if prefix.strip() else None
            names = _split_names(match["names"], conjunction) if match else None
            if names:
                return role, names
    return None


# A name is a few words without digits or sentence punctuation; anything else
# ("By the end of the year, prices rose.") is a paragraph, not a credit.
NAME = re.compile(r"[^\W\d_][\w'’.\- ]{0,80}", re.UNICODE)


def _split_names(text, conjunction):
    parts = [part.strip() for part in re.split(rf",\s*|\s+{re.escape(conjunction)}\s+", text)]
    if not parts or any(
        not NAME.fullmatch(part) or len(part.split()) > 5 or part.endswith(".") for part in parts
    ):
        return None
    return parts
