"""All the rows of a save are written together, and each keeps its own compare-and-set.

``units_save`` hands its rows to ``translations.services.units_text_save``,
which writes them in one statement per model (title, paragraphs) where the
database has UPDATE … FROM, and one row at a time elsewhere: every test here
runs both ways.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import services
from reviews.models import UnitEdit
from reviews.services import RowInput
from reviews.services.structure import source_units_save
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.models import Article, Edition, EditionState, Paragraph
from translations.services import edition_get_or_create
from translations.services import saving as content
from translations.signals import source_changed

from .helpers import rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["one statement", "row by row"])
def way(request, monkeypatch):
    if request.param == "row by row":
        monkeypatch.setattr(content, "_update_from_supported", lambda: False)
    elif not content._update_from_supported():
        pytest.skip("this database has no UPDATE … FROM with RETURNING")
    return request.param


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=4)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice, bob = translator("alice"), translator("bob")
    assign(edition, alice, bob)
    return {"article": article, "edition": edition, "alice": alice, "bob": bob}


def paragraph(desk, key):
    return Paragraph.objects.get(article=desk["article"], key=key)


def test_rows_others_saved_meanwhile_conflict_and_the_rest_are_saved(desk, way):
    rows_alice = rows_for(desk["edition"], ["A1", "A2", "A3", "A4"])
    title_revision = rows_alice[0].revision
    services.units_save(
        edition=desk["edition"],
        user=desk["bob"],
        rows=[RowInput("p2", "B2", 0), RowInput("p4", "B4", 0)],
    )
    report = services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows_alice)
    statuses = {row.key: row.status for row in report.rows}
    assert statuses == {
        "title": "saved",
        "p1": "saved",
        "p2": "conflict",
        "p3": "saved",
        "p4": "conflict",
    }
    conflict = next(row for row in report.conflicts if row.key == "p4")
    assert (conflict.mine, conflict.theirs) == ("A4", "B4")
    assert (conflict.their_revision, conflict.their_author_id) == (1, desk["bob"].pk)
    assert [paragraph(desk, key).text_kk for key in ("p1", "p2", "p3", "p4")] == [
        "A1",
        "B2",
        "A3",
        "B4",
    ]
    assert paragraph(desk, "p1").edited_by_kk == desk["alice"]
    assert paragraph(desk, "p2").edited_by_kk == desk["bob"]
    alice_edits = UnitEdit.objects.filter(user=desk["alice"]).values_list("unit_key", "revision")
    assert sorted(alice_edits) == [("p1", 1), ("p3", 1), ("title", title_revision + 1)]


def test_a_saved_row_reports_its_new_revision_and_records_the_source_revision(desk, way):
    Paragraph.objects.filter(article=desk["article"], key="p1").update(revision_en=3)
    rows = [RowInput("p1", "Бір", 0, source_revision=2), RowInput("p2", "Екі", 0)]
    report = services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows)
    assert [(row.status, row.their_revision) for row in report.rows] == [
        ("saved", 1),
        ("saved", 1),
    ]
    assert report.rows[0].their_author_id == desk["alice"].pk
    p1, p2 = paragraph(desk, "p1"), paragraph(desk, "p2")
    assert (p1.source_revision_kk, p1.is_outdated("kk", "en")) == (2, True)  # shown revision 2
    assert (p2.source_revision_kk, p2.is_outdated("kk", "en")) == (1, False)  # the current one
    assert p1.edited_at_kk is not None and p1.revision_kk == 1


def test_a_revision_never_set_counts_as_zero(desk, way):
    Paragraph.objects.filter(article=desk["article"], key="p1").update(revision_kk=None)
    Paragraph.objects.filter(article=desk["article"], key="p2").update(revision_kk=None)
    rows = [RowInput("p1", "Бір", 0), RowInput("p2", "Екі", 1)]
    report = services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows)
    assert [row.status for row in report.rows] == ["saved", "conflict"]
    assert (paragraph(desk, "p1").text_kk, paragraph(desk, "p1").revision_kk) == ("Бір", 1)
    assert paragraph(desk, "p2").revision_kk is None


def test_still_correct_and_new_text_in_one_save(desk, way):
    services.units_save(
        edition=desk["edition"],
        user=desk["alice"],
        rows=[RowInput("p1", "Бір", 0), RowInput("p2", "Екі", 0)],
    )
    Paragraph.objects.filter(article=desk["article"]).update(revision_en=2)
    rows = [
        RowInput("p1", "", 1, source_revision=2, confirm=True),
        RowInput("p2", "Екі, жаңа", 1, source_revision=2),
    ]
    report = services.units_save(edition=desk["edition"], user=desk["bob"], rows=rows)
    assert [row.status for row in report.rows] == ["confirmed", "saved"]
    p1, p2 = paragraph(desk, "p1"), paragraph(desk, "p2")
    assert (p1.text_kk, p1.revision_kk, p1.is_outdated("kk", "en")) == ("Бір", 2, False)
    assert (p2.text_kk, p2.revision_kk, p2.is_outdated("kk", "en")) == ("Екі, жаңа", 2, False)
    assert UnitEdit.objects.get(unit_key="p1", user=desk["bob"]).confirmed_only


def test_a_row_already_holding_its_text_is_left_alone(desk, way):
    services.units_save(
        edition=desk["edition"], user=desk["alice"], rows=[RowInput("p1", "Бір", 0)]
    )
    report = services.units_save(
        edition=desk["edition"],
        user=desk["bob"],
        rows=[RowInput("p1", "Бір", 1), RowInput("p2", "Екі", 0)],
    )
    assert [row.status for row in report.rows] == ["unchanged", "saved"]
    assert paragraph(desk, "p1").edited_by_kk == desk["alice"]
    assert paragraph(desk, "p1").revision_kk == 1


def test_one_bad_text_refuses_the_whole_save(desk, way):
    rows = rows_for(desk["edition"], ["Бір", "Екі\x00", "Үш", "Төрт"])
    with pytest.raises(ValidationError, match="Paragraph p2 contains a character"):
        services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows)
    assert not Paragraph.objects.filter(article=desk["article"], text_kk__gt="").exists()
    assert not UnitEdit.objects.exists()


def test_the_source_text_saved_together_makes_translations_outdated_and_says_so(desk, way):
    erin = editor("erin")
    source = Edition.objects.get(article=desk["article"], language="en")
    Edition.objects.filter(pk=source.pk).update(state=EditionState.IN_PROGRESS)
    assign(source, erin)
    services.units_save(
        edition=desk["edition"], user=desk["alice"], rows=[RowInput("p1", "Бір", 0)]
    )
    sent = []

    def receiver(sender, *, unit, article, user, **kwargs):
        sent.append((sender, getattr(unit, "key", "title"), user))

    source_changed.connect(receiver)
    try:
        report = source_units_save(
            edition=Edition.objects.get(pk=source.pk),
            user=erin,
            rows=[
                RowInput("title", "A new title", 1),
                RowInput("p1", "Paragraph one, rewritten.", 1),
                RowInput("p2", "Paragraph two, rewritten.", 0),  # stale: not written
            ],
        )
    finally:
        source_changed.disconnect(receiver)
    assert [row.status for row in report.rows] == ["saved", "saved", "conflict"]
    assert sent == [(Article, "title", erin), (Paragraph, "p1", erin)]
    assert paragraph(desk, "p1").is_outdated("kk", "en")
    assert paragraph(desk, "p2").text_en == "Paragraph 2."


def test_saving_300_rows_takes_as_many_queries_as_saving_3(way):
    counts = {}
    for count in (3, 300):
        article = article_with_paragraphs(count=count)
        edition = edition_get_or_create(article=article, language="kk")
        user = translator(f"writer{count}")
        assign(edition, user)
        rows = rows_for(edition)
        with CaptureQueriesContext(connection) as queries:
            report = services.units_save(edition=edition, user=user, rows=rows)
        assert len(report.saved) == count + 1
        counts[count] = len(queries)
    if way == "one statement":
        assert counts[300] == counts[3]
    else:
        assert counts[300] - counts[3] == 297  # one UPDATE a row


def test_a_unit_named_twice_is_saved_in_turn(desk, way):
    p1 = paragraph(desk, "p1")
    writes = [
        content.UnitWrite(unit=p1, text="Бір", loaded_revision=0),
        content.UnitWrite(unit=p1, text="Бір, тағы", loaded_revision=0),  # stale by then
        content.UnitWrite(unit=p1, text="Бір, үшінші", loaded_revision=1),
    ]
    results = content.units_text_save(writes=writes, language="kk", user=desk["alice"])
    assert [(r.saved, r.conflict) for r in results] == [(True, False), (False, True), (True, False)]
    stored = paragraph(desk, "p1")
    assert (stored.text_kk, stored.revision_kk) == ("Бір, үшінші", 2)


def test_a_paragraph_deleted_before_the_write_is_reported_unknown(desk, way, monkeypatch):
    real = content._units_update

    def delete_first(model, rows, **kwargs):
        Paragraph.objects.filter(article=desk["article"], key="p3").delete()
        return real(model, rows, **kwargs)

    monkeypatch.setattr(content, "_units_update", delete_first)
    rows = [RowInput("p2", "Екі", 0), RowInput("p3", "Үш", 0)]
    report = services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows)
    assert [(row.key, row.status) for row in report.rows] == [("p2", "saved"), ("p3", "unknown")]
    assert list(UnitEdit.objects.values_list("unit_key", flat=True)) == ["p2"]


def test_texts_reach_the_database_as_typed(desk, way):
    texts = ["O'Brien \\ \"q\" %s %(x)s ?", "Екі\n\tжол", "", "ы" * 5000]
    rows = [RowInput(f"p{n}", text, 0) for n, text in enumerate(texts, 1)]
    services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows)
    assert [paragraph(desk, f"p{n}").text_kk for n in range(1, 5)] == texts
