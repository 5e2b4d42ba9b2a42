"""The project's catalogues in locale/: what a translation must keep of its message.

Completeness (no untranslated, no fuzzy message) is checked by .ci/check-messages on the
.po files; these tests read the compiled catalogues the site serves.
"""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.utils.translation import to_locale

LOCALE = Path(settings.BASE_DIR) / "locale"
DJANGO_LOCALE = Path(django.__file__).parent / "conf" / "locale"
PLACEHOLDER = re.compile(r"%%|%\([a-z_]+\)[-#0 +]*[0-9.]*[sdifrX]|%[sdif]|\{[a-z_]*\}")
TAG = re.compile(r"</?[a-z][^>]*>")
# Each language's catalogue directory (kk-latn's is kk_Latn), and the language whose
# Django catalogue sets its plural forms (a derived language keeps its source's).
CODES = [to_locale(code) for code, _name in settings.LANGUAGES]
PLURALS_OF = {
    to_locale(derived): to_locale(source)
    for derived, source in settings.TILMASH_DERIVED_LANGUAGES.items()
}


def catalogue(path):
    with open(path, "rb") as fp:
        return gettext.GNUTranslations(fp)


def messages(code):
    """(message, translation) pairs of the project's catalogue, each plural form a pair."""
    for key, translation in catalogue(LOCALE / code / "LC_MESSAGES" / "django.mo")._catalog.items():
        message = key[0] if isinstance(key, tuple) else key
        if message:  # the header
            yield message.split("\x04")[-1], translation


def plural_forms(po):
    """The Plural-Forms header of a .po file, without its spaces."""
    header = re.search(r'^msgstr ""\n((?:".*"\n)+)', po.read_text(encoding="utf-8"), re.MULTILINE)
    text = "".join(line[1:-1] for line in header.group(1).splitlines())
    return re.sub(r"\s", "", re.search(r"Plural-Forms:(.*?)\\n", text).group(1))


@pytest.mark.parametrize("code", CODES)
def test_plural_forms_are_djangos_own_for_the_language(code):
    # Django's catalogue for ru declares a fourth form (fractions); ours has the same four.
    ours = plural_forms(LOCALE / code / "LC_MESSAGES" / "django.po")
    django_code = PLURALS_OF.get(code, code)
    assert ours == plural_forms(DJANGO_LOCALE / django_code / "LC_MESSAGES" / "django.po")


@pytest.mark.parametrize("code", CODES)
def test_translations_keep_the_placeholders_and_markup_of_their_message(code):
    wrong = [
        (message, translation)
        for message, translation in messages(code)
        if sorted(PLACEHOLDER.findall(translation)) != sorted(PLACEHOLDER.findall(message))
        or sorted(TAG.findall(translation)) != sorted(TAG.findall(message))
    ]
    assert wrong == []


def test_russian_translations_quote_with_guillemets():
    straight = [
        (message, translation)
        for message, translation in messages("ru")
        if re.search(r"[\"“”]", TAG.sub("", translation)) and not re.search(r"[\"“”]", message)
    ]
    assert straight == []


def test_russian_plurals_follow_the_number():
    ru = catalogue(LOCALE / "ru" / "LC_MESSAGES" / "django.mo")
    message = ("Saved %(count)d row.", "Saved %(count)d rows.")
    assert ru.ngettext(*message, 1) % {"count": 1} == "Сохранена 1 строка."
    assert ru.ngettext(*message, 3) % {"count": 3} == "Сохранено 3 строки."
    assert ru.ngettext(*message, 11) % {"count": 11} == "Сохранено 11 строк."
    assert ru.ngettext(*message, 21) % {"count": 21} == "Сохранена 21 строка."
