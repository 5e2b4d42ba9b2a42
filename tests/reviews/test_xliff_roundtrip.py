"""Export → translate in a CAT tool → import: every character back, every unit accounted for."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reviews.models import UnitEdit
from reviews.services import RowInput, units_save
from reviews.xliff import XliffError, xliff_export, xliff_import
from tests import factories
from tests.reviews.helpers import translate_as
from tests.reviews.test_xliff_helpers import (
    TRICKY,
    db_state,
    desk,
    seed_article,
    targets_set,
    unit_keys,
    working_copy,
)
from translations import services as content
from translations.models import Article, AuditEntry, Edition, EditionState, Paragraph

pytestmark = pytest.mark.django_db

KAZAKH = [
    "Мемлекет басшысы Қасым-Жомарт Тоқаев халыққа үндеу жасады.",
    "«Бейбіт келіссөздер» туралы сұраққа ол: “Қылмыскерлермен сөйлесуге бола ма?” — деді.",
    "  Алматыдағы әкімшілік ғимараттар зақымданды;\nбейбіт тұрғындардың мүлкі де.  ",
]


def translations_for(article, language):
    return {key: f"[{language}] " + TRICKY.format(key=key) for key in unit_keys(article)}


@pytest.mark.parametrize("version", ["2.0", "1.2"])
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_seed_round_trip_shows_in_the_editor_exactly(seed_path, language, version):
    article = seed_article(seed_path)
    edition, user = desk(article, language)
    export = xliff_export(edition=edition, user=user, xliff_version=version)
    texts = translations_for(article, language)
    report = xliff_import(source=targets_set(export.content, texts), user=user)
    assert working_copy(article, language) == texts
    (file,) = report.files
    assert [(unit.key, unit.status) for unit in file.units] == [
        (key, "updated") for key in unit_keys(article)
    ]
    assert report.refused == []
    assert Edition.objects.get(pk=edition.pk).state == EditionState.IN_PROGRESS
    assert UnitEdit.objects.filter(edition=edition, user=user).count() == len(texts)


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_kazakh_source_round_trip_into_english(version):
    article = factories.article_with_paragraphs(
        source_language="kk", texts=KAZAKH, title="Тоқаев халыққа үндеу жасады"
    )
    edition, user = desk(article, "en")
    export = xliff_export(edition=edition, user=user, xliff_version=version)
    texts = {key: TRICKY.format(key=key) for key in unit_keys(article)}
    xliff_import(source=targets_set(export.content, texts), user=user)
    assert working_copy(article, "en") == texts
    # The source is read back untouched too: the export carried it exactly.
    again = xliff_export(edition=edition, user=user, xliff_version=version).content.decode()
    for text in KAZAKH:
        assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in again


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_a_file_returned_untouched_changes_nothing(version):
    article = factories.article_with_paragraphs(count=3)
    edition, user = desk(article, "kk")
    translate_as(user, edition, texts=["Бір.", "", "Үш."])
    export = xliff_export(edition=edition, user=user, xliff_version=version)
    before = working_copy(article, "kk")
    edits = UnitEdit.objects.count()
    report = xliff_import(source=export.content, user=user)
    assert {unit.status for unit in report.files[0].units} == {"unchanged"}
    assert working_copy(article, "kk") == before
    assert UnitEdit.objects.count() == edits


def test_someone_saving_after_the_export_is_a_conflict_and_keeps_their_text():
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    translate_as(user, edition, texts=["Бір.", "Екі."])
    export = xliff_export(edition=edition, user=user)
    colleague = factories.translator("colleague", pairs=(("en", "kk"),))
    factories.assign(edition, colleague)
    units_save(edition=edition, user=colleague, rows=[RowInput("p1", "Бірінші.", 1)])
    report = xliff_import(
        source=targets_set(export.content, {"p1": "Менің мәтінім.", "p2": "Екінші."}), user=user
    )
    outcomes = {unit.key: unit for unit in report.files[0].units}
    assert outcomes["p1"].status == "conflict"
    assert (outcomes["p1"].text, outcomes["p1"].theirs) == ("Менің мәтінім.", "Бірінші.")
    assert outcomes["p2"].status == "updated"
    assert working_copy(article, "kk")["p1"] == "Бірінші."
    assert working_copy(article, "kk")["p2"] == "Екінші."
    assert [unit.key for unit in report.refused] == ["p1"]


def test_a_unit_the_file_left_alone_is_unchanged_even_if_someone_saved_since():
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    translate_as(user, edition, texts=["Бір.", "Екі."])
    export = xliff_export(edition=edition, user=user)
    editor = factories.editor("fixer")
    units_save(edition=edition, user=editor, rows=[RowInput("p1", "Бір (түзетілді).", 1)])
    report = xliff_import(source=targets_set(export.content, {"p2": "Екінші."}), user=user)
    statuses = {unit.key: unit.status for unit in report.files[0].units}
    assert statuses == {"title": "unchanged", "p1": "unchanged", "p2": "updated"}
    assert working_copy(article, "kk")["p1"] == "Бір (түзетілді)."


def test_a_source_change_since_the_export_applies_the_text_and_keeps_it_outdated():
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    translate_as(user, edition, texts=["Бір.", "Екі."])
    export = xliff_export(edition=edition, user=user)
    source = content.edition_get_or_create(article=article, language="en")
    units_save(
        edition=source,
        user=factories.editor("source-editor"),
        rows=[RowInput("p2", "Paragraph two, rewritten.", 1)],
    )
    report = xliff_import(
        source=targets_set(export.content, {"p1": "Бірінші.", "p2": "Екінші."}), user=user
    )
    statuses = {unit.key: unit.status for unit in report.files[0].units}
    assert statuses["p1"] == "updated"
    assert statuses["p2"] == "source_changed"
    paragraph = Paragraph.objects.get(article=article, key="p2")
    assert paragraph.text_kk == "Екінші."
    assert paragraph.is_outdated("kk", "en")
    assert not Paragraph.objects.get(article=article, key="p1").is_outdated("kk", "en")
    assert report.refused == []


def test_an_id_the_article_no_longer_has_is_unknown_and_new_paragraphs_are_not_in_the_file():
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    export = xliff_export(edition=edition, user=user)
    Paragraph.objects.filter(article=article, key="p2").update(key="p2-replaced")
    report = xliff_import(
        source=targets_set(export.content, {"p1": "Бір.", "p2": "Екі."}), user=user
    )
    statuses = [(unit.key, unit.status) for unit in report.files[0].units]
    assert statuses == [
        ("title", "unchanged"),
        ("p1", "updated"),
        ("p2", "unknown"),
        ("p2-replaced", "not_in_file"),
    ]
    assert [unit.key for unit in report.refused] == ["p2"]


def test_the_import_is_recorded_in_the_audit_with_the_export_id():
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    export = xliff_export(edition=edition, user=user)
    xliff_import(source=targets_set(export.content, {"p1": "Бір."}), user=user, name="a.xlf")
    entry = AuditEntry.objects.get(action="reviews.xliff.import")
    assert (entry.edition_id, entry.actor_id) == (edition.pk, user.pk)
    assert entry.data["export"] == export.export_id
    assert entry.data["counts"]["updated"] == 1


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_a_zip_of_files_imports_each_into_its_edition(version):
    article = factories.article_with_paragraphs(count=2)
    kk, user = desk(article, "kk")
    ru = factories.assign(desk(article, "ru", username="ru-translator")[0], user)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writer:
        for edition in (kk, ru):
            export = xliff_export(edition=edition, user=user, xliff_version=version)
            texts = {key: f"{edition.language}: {key}" for key in unit_keys(article)}
            writer.writestr(export.filename, targets_set(export.content, texts))
    report = xliff_import(source=archive.getvalue(), user=user, name="batch.zip")
    assert [file.edition.language for file in report.files] == ["kk", "ru"]
    assert working_copy(article, "kk")["p2"] == "kk: p2"
    assert working_copy(article, "ru")["title"] == "ru: title"


def test_a_zip_with_one_bad_file_imports_nothing():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("good.xlf", targets_set(export.content, {"p1": "Бір."}))
        writer.writestr("bad.xlf", b"<xliff")
    before = db_state()
    with pytest.raises(XliffError, match="bad.xlf"):
        xliff_import(source=archive.getvalue(), user=user, name="batch.zip")
    assert db_state() == before


def test_two_files_for_the_same_edition_in_one_zip_are_refused():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("one.xlf", targets_set(export.content, {"p1": "Бір."}))
        writer.writestr("two.xlf", targets_set(export.content, {"p1": "Екі."}))
    before = db_state()
    with pytest.raises(XliffError, match="same edition"):
        xliff_import(source=archive.getvalue(), user=user, name="batch.zip")
    assert db_state() == before


def test_a_file_for_another_article_is_refused_where_an_edition_is_expected():
    first = factories.article_with_paragraphs(count=1)
    second = factories.article_with_paragraphs(count=1)
    kk_first, user = desk(first, "kk")
    kk_second = factories.assign(desk(second, "kk", username="other")[0], user)
    export = xliff_export(edition=kk_first, user=user)
    before = db_state()
    with pytest.raises(XliffError, match=f"This file is for “{first.slug}”"):
        xliff_import(
            source=targets_set(export.content, {"p1": "Бір."}), user=user, edition=kk_second
        )
    assert db_state() == before


def test_a_file_whose_language_pair_is_not_the_article_s_is_refused():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user).content
    forged = export.replace(b'srcLang="en"', b'srcLang="ru"')
    before = db_state()
    with pytest.raises(XliffError, match="is written in en"):
        xliff_import(source=targets_set(forged, {"p1": "Бір."}), user=user)
    assert db_state() == before


def test_a_language_tag_with_a_region_finds_the_edition():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user).content
    regional = export.replace(b'trgLang="kk"', b'trgLang="kk-KZ"').replace(
        b'srcLang="en"', b'srcLang="en-US"'
    )
    xliff_import(source=targets_set(regional, {"p1": "Бір."}), user=user)
    assert working_copy(article, "kk")["p1"] == "Бір."


def test_a_translator_not_assigned_may_not_import():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user)
    pool = factories.translator("pool", pairs=(("en", "kk"),))
    before = db_state()
    with pytest.raises(PermissionDenied, match="You may not edit"):
        xliff_import(source=targets_set(export.content, {"p1": "Бір."}), user=pool)
    assert db_state() == before


def test_an_edition_in_review_cannot_take_an_import():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user)
    Edition.objects.filter(pk=kk.pk).update(state=EditionState.IN_REVIEW)
    before = db_state()
    with pytest.raises(PermissionDenied, match="in review"):
        xliff_import(source=export.content, user=user)
    assert db_state() == before


def test_text_no_paragraph_may_hold_refuses_the_file_naming_every_unit(settings):
    settings.TILMASH_MAX_PARAGRAPH_CHARS = 20
    article = factories.article_with_paragraphs(count=2)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user)
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        xliff_import(
            source=targets_set(export.content, {"p1": "x" * 21, "p2": "y" * 30}), user=user
        )
    assert "Paragraph 1 is 21 characters long" in str(refused.value)
    assert "Paragraph 2 is 30 characters long" in str(refused.value)
    assert db_state() == before


def test_a_title_longer_than_the_column_is_refused():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user)
    before = db_state()
    with pytest.raises(XliffError, match="Title is 501 characters long; the limit is 500"):
        xliff_import(source=targets_set(export.content, {"title": "т" * 501}), user=user)
    assert db_state() == before


def test_the_title_unit_is_the_article_title():
    article = factories.article_with_paragraphs(count=1)
    kk, user = desk(article, "kk")
    export = xliff_export(edition=kk, user=user)
    xliff_import(source=targets_set(export.content, {"title": "  Тақырып\u00a0"}), user=user)
    assert Article.objects.get(pk=article.pk).title_kk == "  Тақырып\u00a0"
