"""Dismissing a QA check is a desk service: whoever may edit the working copy may."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from aids.models import CheckDismissal
from aids.services import edition_blocking_issues, unit_text_hash
from reviews import services
from reviews.models import ParagraphCheck
from reviews.services.comments import checked_keys, unit_fingerprint
from tests.factories import assign, editor, translator
from translations.models import AuditEntry, Edition, EditionState
from translations.texts import text_hash, text_pair_hash

pytestmark = pytest.mark.django_db


def dismiss(edition, user, reason="The source rounds it; 2 000 is what the agency wrote."):
    return services.check_dismiss(
        edition=edition, user=user, unit_key="p1", check_id="numbers", reason=reason
    )


def test_an_assigned_translator_dismisses_and_the_error_stops_blocking(russian_edition):
    alice = translator()
    assign(russian_edition, alice)
    assert edition_blocking_issues(edition=russian_edition)
    dismissal = dismiss(russian_edition, alice)
    assert (dismissal.user, dismissal.check_id, dismissal.unit_key) == (alice, "numbers", "p1")
    assert edition_blocking_issues(edition=russian_edition) == []


def test_someone_who_may_not_edit_is_refused_and_nothing_is_written(russian_edition):
    outsider = translator(pairs=(("en", "kk"),))
    with pytest.raises(PermissionDenied, match="You may not dismiss checks"):
        dismiss(russian_edition, outsider)
    assert not CheckDismissal.objects.exists()
    assert not AuditEntry.objects.filter(action="aids.check.dismiss").exists()


def test_an_edition_in_review_takes_no_dismissals_even_from_its_translator(russian_edition):
    alice = translator()
    assign(russian_edition, alice)
    Edition.objects.filter(pk=russian_edition.pk).update(state=EditionState.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        dismiss(russian_edition, alice)
    assert not CheckDismissal.objects.exists()


def test_the_aids_rules_still_apply_through_the_desk_service(russian_edition):
    erin = editor()
    with pytest.raises(ValidationError, match="Say why"):
        dismiss(russian_edition, erin, reason=" ")
    assert not CheckDismissal.objects.exists()


def test_a_checked_mark_and_a_dismissal_hash_source_and_text_alike():
    unit = {"key": "p1", "source": "20,000 bandits", "text": "2 000 бандитов"}
    assert unit_fingerprint(unit) == unit_text_hash(unit["source"], unit["text"])
    assert unit_fingerprint(unit) == text_pair_hash("20,000 bandits", "2 000 бандитов")
    assert text_pair_hash("ab", "") != text_pair_hash("a", "b")


def test_the_migration_rekeys_checked_marks_so_they_keep_holding(russian_edition):
    from reviews.services import version_submit

    alice, erin = translator(), editor()
    assign(russian_edition, alice)
    services.check_dismiss(
        edition=russian_edition, user=alice, unit_key="p1", check_id="numbers", reason="As sent."
    )
    version = version_submit(edition=russian_edition, user=alice)
    unit = next(u for u in version.units if u["key"] == "p2")
    other = next(u for u in version.units if u["key"] == "p3")
    old = text_hash(f"{unit['source']}\x00{unit['text']}")
    ParagraphCheck.objects.create(
        edition=russian_edition, unit_key="p2", text_hash=old, checked_by=erin
    )
    ParagraphCheck.objects.create(  # made on a text no version holds: lapsed, left alone
        edition=russian_edition, unit_key="p3", text_hash="0" * 64, checked_by=erin
    )
    assert checked_keys(version, ParagraphCheck.objects.all()) == set()
    migration = importlib.import_module("reviews.migrations.0006_paragraphcheck_pair_hash")
    migration.forwards(apps, None)
    marks = dict(ParagraphCheck.objects.values_list("unit_key", "text_hash"))
    assert marks == {"p2": unit_fingerprint(unit), "p3": "0" * 64}
    assert unit_fingerprint(other) != "0" * 64
    assert checked_keys(version, ParagraphCheck.objects.all()) == {"p2"}
    migration.backwards(apps, None)
    assert ParagraphCheck.objects.get(unit_key="p2").text_hash == old
