"""A unit's text bookkeeping, the one copy the desk, the importer and the structure edits use."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.factories import article_with_paragraphs, translator
from translations.models import Article, Paragraph
from translations.units import (
    paragraph_key_new,
    paragraphs_place,
    paragraphs_renumber,
    unit_author_copy,
    unit_fields,
    unit_text_set,
)

pytestmark = pytest.mark.django_db


def test_setting_text_bumps_the_revision_and_records_who_and_when():
    article = article_with_paragraphs(count=1)
    paragraph = article.paragraphs.get()
    alice, now = translator(), timezone.now()
    assert unit_text_set(paragraph, "en", "New.", edited=(alice, now)) == 2
    assert (paragraph.text_en, paragraph.revision_en) == ("New.", 2)
    assert (paragraph.edited_by_en, paragraph.edited_at_en) == (alice, now)
    paragraph.save(update_fields=unit_fields(Paragraph, "en"))
    stored = Paragraph.objects.get(pk=paragraph.pk)
    assert (stored.text_en, stored.revision_en, stored.edited_by_en_id) == ("New.", 2, alice.pk)


def test_a_translation_records_its_source_revision_and_may_keep_its_author():
    article = article_with_paragraphs(count=1)
    paragraph = article.paragraphs.get()
    unit_text_set(paragraph, "ru", "Новое.", revision=1, source_revision=1)
    assert (paragraph.revision_ru, paragraph.source_revision_ru) == (1, 1)
    assert paragraph.edited_by_ru_id is None and paragraph.edited_at_ru is None
    other = Paragraph(article=article, key="x", position=9)
    alice = translator()
    unit_text_set(paragraph, "ru", "Новое!", edited=(alice, timezone.now()))
    unit_author_copy(paragraph, other, "ru")
    assert (other.edited_by_ru_id, other.edited_at_ru) == (alice.pk, paragraph.edited_at_ru)


def test_the_written_fields_name_the_model_text_field_per_language():
    assert unit_fields(Article, "kk") == ["title_kk", "revision_kk", "edited_by_kk", "edited_at_kk"]
    assert unit_fields(Paragraph, "ru", "en", source_revision=True) == [
        "text_ru", "revision_ru", "source_revision_ru", "edited_by_ru", "edited_at_ru",
        "text_en", "revision_en", "source_revision_en", "edited_by_en", "edited_at_en",
    ]  # fmt: skip


def test_a_new_key_is_never_one_in_use_and_joins_them(monkeypatch):
    keys = {"aaaaaaaaaaaa"}
    draws = iter(["a" * 32, "b" * 32])
    monkeypatch.setattr("translations.units.uuid.uuid4", lambda: SimpleNamespace(hex=next(draws)))
    assert paragraph_key_new(keys) == "b" * 12
    assert keys == {"a" * 12, "b" * 12}


def test_paragraphs_take_new_places_without_two_sharing_one():
    article = article_with_paragraphs(count=4)
    paragraphs = list(article.paragraphs.order_by("position"))
    paragraphs.reverse()
    moved = paragraphs_renumber(paragraphs)
    assert len(moved) == 4
    stored = list(article.paragraphs.order_by("position").values_list("key", flat=True))
    assert stored == ["p4", "p3", "p2", "p1"]
    kept = list(article.paragraphs.order_by("position"))[:2]  # p4, p3 to places 2 and 5
    assert paragraphs_place(kept, [2, 5]) == kept
    positions = dict(article.paragraphs.values_list("key", "position"))
    assert positions == {"p4": 2, "p3": 5, "p2": 3, "p1": 4}
    assert paragraphs_place(kept, [2, 5]) == []
