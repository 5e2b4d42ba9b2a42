"""Exporting an edition as XLIFF 2.0 and 1.2: validity, units, states, notes, bookkeeping."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree

from reviews.services import RowInput, edition_reopen, units_save, version_approve
from reviews.xliff import formats as f
from reviews.xliff import xliff_export, xliff_export_batch
from reviews.xliff.writing import target_digest
from tests import factories
from tests.reviews.helpers import submitted, translate_as
from tests.reviews.test_xliff_helpers import TRICKY, assert_valid, desk, seed_article, unit_keys
from translations import services as content
from translations.models import AuditEntry, Edition

pytestmark = pytest.mark.django_db

X20, X12, T = f.XLIFF_20, f.XLIFF_12, f.TILMASH


def units_20(content):
    root = etree.fromstring(content)
    return {unit.get("id"): unit for unit in root.iter(f.q(X20, "unit"))}


def units_12(content):
    root = etree.fromstring(content)
    return {unit.get("id"): unit for unit in root.iter(f.q(X12, "trans-unit"))}


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_seed_export_validates_against_the_oasis_schema(seed_path, schemas_path, version):
    article = seed_article(seed_path)
    edition, user = desk(article, "kk")
    translate_as(user, edition, title=TRICKY.format(key="title"))
    export = xliff_export(edition=edition, user=user, xliff_version=version)
    assert_valid(export.content, schemas_path, version)


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_tricky_texts_export_validates_against_the_oasis_schema(schemas_path, version):
    texts = [TRICKY.format(key=n) for n in range(3)]
    article = factories.article_with_paragraphs(texts=texts, title=TRICKY.format(key="t"))
    edition, user = desk(article, "ru")
    translate_as(user, edition, texts=[t.upper() for t in texts], title="  Заголовок & <x>  ")
    export = xliff_export(edition=edition, user=user, xliff_version=version)
    assert_valid(export.content, schemas_path, version)


def test_one_unit_per_paragraph_and_the_title_keyed_by_paragraph_key(seed_path):
    article = seed_article(seed_path)
    edition, user = desk(article, "ru")
    export = xliff_export(edition=edition, user=user)
    assert list(units_20(export.content)) == unit_keys(article)
    assert list(
        units_12(xliff_export(edition=edition, user=user, xliff_version="1.2").content)
    ) == (unit_keys(article))


def test_units_carry_source_target_revisions_and_target_digest():
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    translate_as(user, edition, texts=["Бір.", "Екі."], title="Тақырып")
    export = xliff_export(edition=edition, user=user)
    unit = units_20(export.content)["p2"]
    segment = unit.find(f.q(X20, "segment"))
    assert segment.findtext(f.q(X20, "source")) == "Paragraph 2."
    assert segment.findtext(f.q(X20, "target")) == "Екі."
    assert unit.get(f.q(T, "revision")) == "1"
    assert unit.get(f.q(T, "source-revision")) == "1"
    assert unit.get(f.q(T, "target")) == target_digest("Екі.")
    root = etree.fromstring(export.content)
    assert root.get("srcLang") == "en" and root.get("trgLang") == "kk"
    assert root.get(f.q(T, "export")) == export.export_id
    assert root.find(f.q(X20, "file")).get(f.q(T, "article")) == article.slug


def test_1_2_keeps_the_bookkeeping_in_attributes_1_2_defines():
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    translate_as(user, edition, texts=["Бір."])
    export = xliff_export(edition=edition, user=user, xliff_version="1.2")
    root = etree.fromstring(export.content)
    file = root.find(f.q(X12, "file"))
    assert (file.get("original"), file.get("source-language"), file.get("target-language")) == (
        article.slug,
        "en",
        "kk",
    )
    phase = root.find(f".//{{{X12}}}phase")
    assert phase.get("job-id") == export.export_id
    extradata = f.extradata_parse(units_12(export.content)["p1"].get("extradata"))
    assert extradata == {"revision": "1", "source-revision": "1", "target": target_digest("Бір.")}
    assert not [name for el in root.iter() for name in el.attrib if name.startswith(f"{{{T}}}")]


def test_states_map_untranslated_translated_in_review_and_live():
    article = factories.article_with_paragraphs(count=3)
    edition, user = desk(article, "kk")
    version = submitted(user, edition)
    reviewer = factories.editor("reviewer-states")
    version_approve(version=version, user=reviewer)
    edition_reopen(edition=Edition.objects.get(pk=edition.pk), user=reviewer)
    revised = ["[kk] Paragraph 1.", "[kk] Paragraph 2, revised.", "[kk] Paragraph 3, revised."]
    version_two = submitted(user, Edition.objects.get(pk=edition.pk), texts=revised)
    assert version_two.number == 2
    # Then the working copy changes under the review (as a data fix would): one
    # paragraph equal to the live version, one to the version in review, one
    # emptied, and a title equal to neither.
    factories.translate(article, "kk", texts=revised[:2] + [""], user=user, title="T")
    export = xliff_export(edition=edition, user=user)
    states = {
        key: unit.find(f.q(X20, "segment")).get("state")
        for key, unit in units_20(export.content).items()
    }
    assert states == {"title": "translated", "p1": "final", "p2": "reviewed", "p3": "initial"}
    states_12 = {
        key: unit.find(f.q(X12, "target")).get("state")
        for key, unit in units_12(
            xliff_export(edition=edition, xliff_version="1.2").content
        ).items()
    }
    assert states_12 == {"title": "translated", "p1": "final", "p2": "signed-off", "p3": "new"}


def test_outdated_units_are_translated_with_a_note_and_a_mark():
    article = factories.article_with_paragraphs(count=2)
    edition, user = desk(article, "kk")
    translate_as(user, edition, texts=["Бір.", "Екі."])
    source_edition = content.edition_get_or_create(article=article, language="en")
    editor = factories.editor("source-editor")
    units_save(edition=source_edition, user=editor, rows=[RowInput("p2", "Paragraph two.", 1)])
    units = units_20(xliff_export(edition=edition, user=user).content)
    segment = units["p2"].find(f.q(X20, "segment"))
    assert (segment.get("state"), segment.get("subState")) == ("translated", "tilmash:outdated")
    notes = [note.text for note in units["p2"].iter(f.q(X20, "note"))]
    assert any("Outdated" in note for note in notes)
    assert units["p1"].find(f.q(X20, "segment")).get("subState") is None
    target_12 = units_12(xliff_export(edition=edition, xliff_version="1.2").content)["p2"].find(
        f.q(X12, "target")
    )
    assert target_12.get("state-qualifier") == "x-outdated"


def test_notes_give_the_article_title_and_dateline(seed_path):
    article = seed_article(seed_path)
    edition, user = desk(article, "kk")
    content = xliff_export(edition=edition, user=user).content.decode()
    assert "President Tokayev addresses people of Kazakhstan" in content
    assert "07.01.2022, 15:23" in content


def test_untranslated_units_have_no_target_in_2_0_and_an_empty_new_target_in_1_2():
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    unit = units_20(xliff_export(edition=edition, user=user).content)["p1"]
    assert unit.find(f".//{{{X20}}}target") is None
    target = units_12(xliff_export(edition=edition, xliff_version="1.2").content)["p1"].find(
        f.q(X12, "target")
    )
    assert (target.text, target.get("state")) == (None, "new")


def test_a_character_xml_cannot_carry_becomes_cp_in_2_0_and_refuses_1_2(schemas_path):
    article = factories.article_with_paragraphs(texts=["before\ufffeafter"])
    edition, user = desk(article, "kk")
    export = xliff_export(edition=edition, user=user)
    assert_valid(export.content, schemas_path, "2.0")
    source = units_20(export.content)["p1"].find(f".//{{{X20}}}source")
    assert source.text == "before"
    assert source[0].get("hex") == "FFFE" and source[0].tail == "after"
    with pytest.raises(ValidationError, match="U\\+FFFE, which XLIFF 1.2 cannot carry"):
        xliff_export(edition=edition, user=user, xliff_version="1.2")


def test_the_export_is_recorded_in_the_audit_with_its_id():
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    export = xliff_export(edition=edition, user=user, xliff_version="1.2")
    entry = AuditEntry.objects.get(action="reviews.xliff.export")
    assert (entry.edition_id, entry.actor_id) == (edition.pk, user.pk)
    assert entry.data == {"export": export.export_id, "xliff": "1.2", "units": 2}


def test_a_source_edition_is_refused():
    article = factories.article_with_paragraphs(count=1)
    edition = content.edition_get_or_create(article=article, language="en")
    with pytest.raises(ValidationError, match="is the source text"):
        xliff_export(edition=edition, user=factories.editor("an-editor"))


def test_someone_who_may_not_see_the_edition_is_refused():
    article = factories.article_with_paragraphs(count=1)
    edition, _user = desk(article, "kk")
    stranger = factories.translator("stranger", pairs=(("en", "ru"),))
    with pytest.raises(PermissionDenied):
        xliff_export(edition=edition, user=stranger)
    assert not AuditEntry.objects.filter(action="reviews.xliff.export").exists()


def test_an_unknown_version_is_refused():
    article = factories.article_with_paragraphs(count=1)
    edition, user = desk(article, "kk")
    with pytest.raises(ValidationError, match="Unknown XLIFF version"):
        xliff_export(edition=edition, user=user, xliff_version="3.0")


def test_batch_export_is_a_zip_with_one_file_per_edition(schemas_path):
    import io
    import zipfile

    article = factories.article_with_paragraphs(count=2)
    kk, user = desk(article, "kk")
    ru = factories.assign(desk(article, "ru", username="ru-translator")[0], user)
    data, exports = xliff_export_batch(editions=[kk, ru], user=factories.editor("batcher"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == [f"{article.slug}_en-kk.xlf", f"{article.slug}_en-ru.xlf"]
        for name in names:
            assert_valid(archive.read(name), schemas_path, "2.0")
    assert len(exports) == 2


def test_export_queries_do_not_grow_with_the_article(django_assert_num_queries):
    short = factories.article_with_paragraphs(count=2)
    long = factories.article_with_paragraphs(count=40)
    editions = [desk(article, "kk")[0] for article in (short, long)]
    editor = factories.editor("counter")
    xliff_export(edition=editions[0], user=editor)  # the editor's roles, read once
    for edition in editions:
        # Edition with its live version, the assignment check, the open
        # review, the paragraphs, the audit entry.
        with django_assert_num_queries(5):
            xliff_export(edition=edition, user=editor)
