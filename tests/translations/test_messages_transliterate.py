"""The kk_Latn catalogue, written from the Kazakh one by transliteration."""

import pytest
from django.utils import translation

from translations.management.commands.messages_transliterate import catalogue_transliterate
from translations.transliteration import kazakh_latin

polib = pytest.importorskip("polib")

KAZAKH = '''msgid ""
msgstr ""
"Language: kk\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n!=1);\\n"

msgid "Translation by %(names)s"
msgstr "Аударған: %(names)s"

msgid "%(n)d open comment"
msgid_plural "%(n)d open comments"
msgstr[0] "%(n)d ашық пікір"
msgstr[1] "%(n)d ашық пікір"

msgid "Not yet"
msgstr ""

#, fuzzy
msgid "Guessed"
msgstr "Шамамен"
'''


@pytest.fixture
def catalogues(tmp_path):
    source = tmp_path / "kk" / "LC_MESSAGES" / "django.po"
    source.parent.mkdir(parents=True)
    source.write_text(KAZAKH, encoding="utf-8")
    return source, tmp_path / "kk_Latn" / "LC_MESSAGES" / "django.po"


def test_every_translation_is_transliterated_placeholders_kept(catalogues):
    source, target = catalogues
    count = catalogue_transliterate(source, target, convert=kazakh_latin, language="kk_Latn")
    written = polib.pofile(str(target))
    assert count == 2
    assert written.metadata["Language"] == "kk_Latn"
    assert written.find("Translation by %(names)s").msgstr == "Audarğan: %(names)s"
    plural = written.find("%(n)d open comment")
    assert plural.msgstr_plural == {0: "%(n)d aşyq pıkır", 1: "%(n)d aşyq pıkır"}
    assert written.find("Not yet").msgstr == ""
    assert "fuzzy" in written.find("Guessed").flags  # stays out of the compiled catalogue


def test_writing_it_again_changes_nothing(catalogues):
    source, target = catalogues
    catalogue_transliterate(source, target, convert=kazakh_latin, language="kk_Latn")
    first = target.read_bytes()
    catalogue_transliterate(source, target, convert=kazakh_latin, language="kk_Latn")
    assert target.read_bytes() == first


@pytest.mark.parametrize("folder", ["locale", "config/locale_overrides"])
def test_the_committed_catalogue_is_what_the_kazakh_one_gives(tmp_path, settings, folder):
    locale = settings.BASE_DIR / folder
    assert locale in settings.LOCALE_PATHS
    target = tmp_path / "django.po"
    catalogue_transliterate(
        locale / "kk" / "LC_MESSAGES" / "django.po",
        target,
        convert=kazakh_latin,
        language="kk_Latn",
    )
    committed = locale / "kk_Latn" / "LC_MESSAGES" / "django.po"
    assert target.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        f"{folder}/kk_Latn is stale: run `make messages` (or manage.py messages_transliterate)"
    )


def test_latin_pages_get_latin_interface_words():
    with translation.override("kk-latn"):
        assert translation.gettext("Translation by %(names)s") == "Audarğan: %(names)s"
