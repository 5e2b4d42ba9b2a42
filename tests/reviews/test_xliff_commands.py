"""``export_xliff`` and ``import_xliff``: files, reports and exit statuses."""

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from reviews.services import RowInput, units_save
from tests import factories
from tests.reviews.test_xliff_helpers import (
    assert_valid,
    db_state,
    desk,
    seed_article,
    targets_set,
    unit_keys,
    working_copy,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_export_writes_a_valid_file(seed_path, schemas_path, tmp_path, version, capsys):
    article = seed_article(seed_path)
    desk(article, "kk")
    output = tmp_path / "out.xlf"
    call_command(
        "export_xliff",
        "--article",
        article.slug,
        "--language",
        "kk",
        "--xliff-version",
        version,
        "-o",
        str(output),
    )
    assert_valid(output.read_bytes(), schemas_path, version)
    assert f"{len(unit_keys(article))} units" in capsys.readouterr().err


def test_export_of_a_missing_edition_fails_with_a_message():
    article = factories.article_with_paragraphs(count=1)
    with pytest.raises(CommandError, match="There is no kk edition of"):
        call_command("export_xliff", "--article", article.slug, "--language", "kk")


def test_import_prints_every_unit_and_exits_zero(tmp_path, capsys):
    article = factories.article_with_paragraphs(count=2)
    _edition, user = desk(article, "kk")
    exported = tmp_path / "kk.xlf"
    call_command("export_xliff", "--article", article.slug, "--language", "kk", "-o", exported)
    exported.write_bytes(targets_set(exported.read_bytes(), {"p1": "Бір.", "p2": "Екі."}))
    call_command("import_xliff", str(exported), "--user", user.username)
    out = capsys.readouterr().out
    assert "  title\tunchanged" in out
    assert "  p1\tupdated" in out and "  p2\tupdated" in out
    assert working_copy(article, "kk")["p2"] == "Екі."


def test_import_with_a_refused_unit_exits_non_zero_after_the_report(tmp_path, capsys):
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    exported = tmp_path / "kk.xlf"
    call_command("export_xliff", "--article", article.slug, "--language", "kk", "-o", exported)
    units_save(edition=edition, user=factories.editor("early"), rows=[RowInput("p1", "Ерте.", 0)])
    exported.write_bytes(targets_set(exported.read_bytes(), {"p1": "Бір.", "p2": "Екі."}))
    with pytest.raises(CommandError, match="1 unit\\(s\\) refused: p1") as error:
        call_command("import_xliff", str(exported), "--user", user.username)
    assert error.value.returncode == 2
    out = capsys.readouterr().out
    assert "  p1\tconflict" in out and "  p2\tupdated" in out


def test_import_of_a_refused_file_exits_non_zero_and_writes_nothing(tmp_path):
    article = factories.article_with_paragraphs(count=1)
    _edition, user = desk(article, "kk")
    broken = tmp_path / "broken.xlf"
    broken.write_bytes(b"<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0'>")
    before = db_state()
    with pytest.raises(CommandError, match="nothing imported. broken.xlf: This is not well-formed"):
        call_command("import_xliff", str(broken), "--user", user.username)
    assert db_state() == before


def test_import_needs_an_existing_user(tmp_path):
    path = tmp_path / "a.xlf"
    path.write_bytes(b"<x/>")
    with pytest.raises(CommandError, match="There is no user “nobody”"):
        call_command("import_xliff", str(path), "--user", "nobody")


def test_import_of_a_file_over_the_limit_is_refused_by_its_size(tmp_path, settings):
    article = factories.article_with_paragraphs(count=1)
    _edition, user = desk(article, "kk")
    settings.TILMASH_MAX_XLIFF_BYTES = 100
    path = tmp_path / "big.xlf"
    path.write_bytes(b" " * 101)
    with pytest.raises(CommandError, match="The file is 101 bytes; the limit is 100 bytes"):
        call_command("import_xliff", str(path), "--user", user.username)


def run(*argv):
    """Run a command as manage.py does; return its exit status."""
    try:
        ManagementUtility(["manage.py", *map(str, argv)]).execute()
    except SystemExit as exit:
        return exit.code
    return 0


def test_the_exit_statuses_a_shell_sees(tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when done, the test's included.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    exported = tmp_path / "kk.xlf"
    assert run("export_xliff", "--article", article.slug, "--language", "kk", "-o", exported) == 0
    translated = tmp_path / "translated.xlf"
    translated.write_bytes(targets_set(exported.read_bytes(), {"p1": "Бір."}))
    assert run("import_xliff", str(translated), "--user", user.username) == 0
    units_save(edition=edition, user=factories.editor("late"), rows=[RowInput("p2", "Кеш.", 0)])
    translated.write_bytes(targets_set(exported.read_bytes(), {"p2": "Екі."}))
    assert run("import_xliff", str(translated), "--user", user.username) == 2
    broken = tmp_path / "broken.xlf"
    broken.write_bytes(b"not xml")
    assert run("import_xliff", str(broken), "--user", user.username) == 1
    assert "not well-formed XML" in capsys.readouterr().err
