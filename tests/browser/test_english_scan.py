"""The English-string scan the Russian and Kazakh journeys rely on finds what it must."""

from .english import english_in, english_strings


def test_it_finds_the_desks_english_with_its_placeholders_filled():
    found = english_in("Сохранено. Saved 3 rows. Version 2 is approved and live.")
    assert "Saved %(count)d rows." in found
    assert "Version %(number)d is approved and live." in found


def test_it_finds_the_admins_own_english():
    assert "View site" in english_in("Открыть сайт / View site")


def test_russian_kazakh_names_and_format_names_are_not_english_strings():
    assert english_in("Сохранить черновик · Сақтау · Saule Nurpeisova · XLIFF 2.0 · v1") == []


def test_words_inside_other_words_are_not_matched():
    assert english_in("Saveliy Viewsonic Claimant") == []


def test_every_msgid_of_the_projects_catalogue_is_looked_for():
    looked_for = {msgid for msgid, _pattern in english_strings()}
    assert {"Save draft", "My work", "Request changes", "Claim"} <= looked_for
