"""Nothing half-written: a move that fails midway leaves no trace."""

from unittest import mock

import pytest
from django.db import DatabaseError

from reviews import services
from reviews.models import Review, UnitEdit
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations import services as content
from translations import states
from translations.models import (
    Article,
    AuditEntry,
    Credit,
    Edition,
    EditionState,
    Paragraph,
    Version,
)
from translations.services import edition_get_or_create, saving

from .helpers import rows_for, submitted, translate_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice")
    assign(edition, alice)
    return article, edition, alice, editor("erin")


def snapshot():
    return {
        "paragraphs": list(Paragraph.objects.order_by("pk").values_list("text_kk", "revision_kk")),
        "editions": list(Edition.objects.order_by("pk").values_list("state", "live_version")),
        "versions": Version.objects.count(),
        "reviews": list(Review.objects.order_by("pk").values_list("state", flat=True)),
        "credits": Credit.objects.count(),
        "audit": AuditEntry.objects.count(),
        "edits": UnitEdit.objects.count(),
    }


def test_a_save_failing_after_its_first_statement_writes_no_row(desk):
    # The title is written first, then one statement writes every paragraph: it fails.
    _article, edition, alice, _erin = desk
    before = snapshot()
    rows = rows_for(edition)
    written_first = []

    def paragraphs_fail(model, rows, **kwargs):
        if model is Paragraph:
            written_first.append(Article.objects.get(pk=edition.article_id).title_kk)
            raise DatabaseError("disk full")
        return real(model, rows, **kwargs)

    real = saving._units_update
    with (
        mock.patch.object(saving, "_units_update", paragraphs_fail),
        pytest.raises(DatabaseError),
    ):
        services.units_save(edition=edition, user=alice, rows=rows)
    assert written_first == [rows[0].text]  # the title was written when the paragraphs failed
    assert snapshot() == before
    assert Article.objects.get(pk=edition.article_id).title_kk in ("", None)


def test_a_save_failing_at_its_edit_records_writes_no_row(desk):
    _article, edition, alice, _erin = desk
    before = snapshot()
    with (
        mock.patch.object(UnitEdit.objects, "bulk_create", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        services.units_save(edition=edition, user=alice, rows=rows_for(edition))
    assert snapshot() == before


def test_a_submission_failing_at_its_credits_leaves_no_version(desk):
    _article, edition, alice, _erin = desk
    translate_as(alice, edition)
    before = snapshot()
    with (
        mock.patch.object(content, "credits_replace", side_effect=DatabaseError("boom")),
        pytest.raises(DatabaseError),
    ):
        services.version_submit(edition=edition, user=alice)
    assert snapshot() == before
    assert Edition.objects.get(pk=edition.pk).state == EditionState.IN_PROGRESS


def test_an_approval_failing_at_its_audit_entry_publishes_nothing(desk):
    _article, edition, alice, erin = desk
    version = submitted(alice, edition)
    before = snapshot()
    with (
        mock.patch.object(states, "audit_record", side_effect=DatabaseError("boom")),
        pytest.raises(DatabaseError),
    ):
        services.version_approve(version=version, user=erin)
    assert snapshot() == before
    version.refresh_from_db()
    assert version.approved_at is None


def test_a_request_for_changes_failing_midway_keeps_the_review_open(desk):
    _article, edition, alice, erin = desk
    version = submitted(alice, edition)
    before = snapshot()
    with (
        mock.patch.object(states, "audit_record", side_effect=DatabaseError("boom")),
        pytest.raises(DatabaseError),
    ):
        services.version_request_changes(version=version, user=erin, comment="Fix it.")
    assert snapshot() == before
