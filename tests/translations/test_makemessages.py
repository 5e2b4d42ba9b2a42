"""The project's makemessages: an up-to-date catalogue is left byte for byte as it was."""

import re
import shutil

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="needs GNU gettext (apt-get install gettext)",
)

OLD_DATE = '"POT-Creation-Date: 2001-02-03 04:05+0000\\n"'


def _catalogue_date(text):
    return re.search(r'^"POT-Creation-Date: [^"]*"$', text, re.MULTILINE).group(0)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A tiny project with one translatable string and a Russian catalogue for it."""
    (tmp_path / "locale" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "app.py").write_text(
        "from django.utils.translation import gettext as _\n\n_('Submit for review')\n"
    )
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["ru"], verbosity=0)
        po = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
        text = (
            po.read_text(encoding="utf-8")
            .replace('#, fuzzy\nmsgid ""', 'msgid ""')  # a new catalogue's header, as in locale/
            .replace('"Submit for review"\nmsgstr ""', '"Submit for review"\nmsgstr "Отправить"')
        )
        # As if the catalogue had been made long ago: a new run would stamp today's date.
        po.write_text(text.replace(_catalogue_date(text), OLD_DATE), encoding="utf-8")
        yield tmp_path, po


def test_nothing_new_leaves_the_catalogue_and_its_date_unchanged(project):
    _root, po = project
    before = po.read_bytes()

    call_command("makemessages", locale=["ru"], verbosity=0)

    assert po.read_bytes() == before


def test_a_new_string_is_added_untranslated_and_dates_the_catalogue(project):
    root, po = project
    (root / "app.py").write_text(
        "from django.utils.translation import gettext as _\n\n"
        "_('Submit for review')\n_('Submit for reviews')\n"
    )

    call_command("makemessages", locale=["ru"], verbosity=0)

    text = po.read_text(encoding="utf-8")
    assert 'msgid "Submit for review"\nmsgstr "Отправить"' in text
    # Not guessed from its near twin: no fuzzy entry, just an empty one.
    assert 'msgid "Submit for reviews"\nmsgstr ""' in text
    assert "fuzzy" not in text
    assert _catalogue_date(text) != OLD_DATE


def test_the_override_catalogues_are_not_makemessages_business(tmp_path, monkeypatch):
    # As in settings: config/locale_overrides (corrections to Django's catalogues) comes
    # first in LOCALE_PATHS, which makes it makemessages' default; the strings of the code,
    # config/ included, must still go to locale/ and the overrides stay as they are.
    overrides = tmp_path / "config" / "locale_overrides" / "ru" / "LC_MESSAGES" / "django.po"
    overrides.parent.mkdir(parents=True)
    overrides.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "- Select an option -"\nmsgstr "- Выберите значение -"\n',
        encoding="utf-8",
    )
    before = overrides.read_bytes()
    (tmp_path / "locale" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "config" / "settings.py").write_text(
        "from django.utils.translation import gettext_lazy as _\n\n_('Kazakh')\n"
    )
    monkeypatch.chdir(tmp_path)
    locale_paths = [tmp_path / "config" / "locale_overrides", tmp_path / "locale"]
    with override_settings(LOCALE_PATHS=locale_paths):
        call_command("makemessages", locale=["ru"], verbosity=0)

    assert overrides.read_bytes() == before
    assert 'msgid "Kazakh"' in (tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po").read_text(
        encoding="utf-8"
    )
