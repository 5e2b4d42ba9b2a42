"""Check reports over editions and versions, and the dismissal rules."""

import pytest
from django.core.exceptions import ValidationError

from aids.models import CheckDismissal
from aids.services import (
    check_dismiss,
    edition_blocking_issues,
    edition_check_report,
    issues_by_unit,
    unit_text_hash,
    version_check_report,
)
from tests.aids.conftest import glossary_term
from tests.factories import UserFactory, article_with_paragraphs, translate
from translations import services
from translations.models import AuditEntry, Paragraph

pytestmark = pytest.mark.django_db

NUMBERS_MESSAGE = "20,000 in the source is missing: found 2 000"


def _first(edition):
    return Paragraph.objects.get(article_id=edition.article_id, position=1)


def test_the_report_lists_every_unit_title_first_with_its_issues(russian_edition):
    report = edition_check_report(edition=russian_edition)
    assert list(report) == ["title", "p1", "p2", "p3"]
    assert [issue.message for issue in report["p1"]] == [NUMBERS_MESSAGE]
    assert report["p2"] == [] and report["p3"] == [] and report["title"] == []
    issue = report["p1"][0]
    assert (issue.unit_key, issue.severity, issue.dismissed, issue.blocking) == (
        "p1", "error", False, True,
    )


def test_blocking_issues_are_the_undismissed_errors(russian_edition):
    Paragraph.objects.filter(pk=_first(russian_edition).pk).update(
        text_ru="Только на Алматы напали 20 000 бандитов. "
    )
    # A trailing space is a warning: it informs, it does not block.
    report = edition_check_report(edition=russian_edition)
    assert [issue.check_id for issue in report["p1"]] == ["whitespace"]
    assert edition_blocking_issues(edition=russian_edition) == []


def test_a_dismissal_needs_a_reason_and_without_one_nothing_is_written(russian_edition):
    user = UserFactory()
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError, match="Say why this check does not apply."):
            check_dismiss(edition=russian_edition, unit_key="p1", check_id="numbers",
                          reason=reason, user=user)
    assert not CheckDismissal.objects.exists()
    assert not AuditEntry.objects.filter(action="aids.check.dismiss").exists()


def test_a_dismissed_error_no_longer_blocks_and_shows_its_reason(russian_edition):
    user = UserFactory()
    dismissal = check_dismiss(
        edition=russian_edition, unit_key="p1", check_id="numbers",
        reason="The source's figure was corrected by the agency.", user=user,
    )
    assert edition_blocking_issues(edition=russian_edition) == []
    issue = edition_check_report(edition=russian_edition)["p1"][0]
    assert issue.dismissed and not issue.blocking
    assert issue.reason == "The source's figure was corrected by the agency."
    assert issue.dismissal == dismissal and issue.dismissal.user == user
    entry = AuditEntry.objects.get(action="aids.check.dismiss")
    assert entry.edition_id == russian_edition.pk and entry.actor == user
    assert entry.data == {"unit": "p1", "check": "numbers", "messages": [NUMBERS_MESSAGE]}


def test_dismissing_again_replaces_the_reason(russian_edition):
    user = UserFactory()
    for reason in ("First reason.", "Better reason."):
        check_dismiss(edition=russian_edition, unit_key="p1", check_id="numbers",
                      reason=reason, user=user)
    assert list(CheckDismissal.objects.values_list("reason", flat=True)) == ["Better reason."]


def test_a_dismissal_lapses_when_the_translation_changes(russian_edition):
    user = UserFactory()
    check_dismiss(edition=russian_edition, unit_key="p1", check_id="numbers",
                  reason="Agreed with the editor.", user=user)
    paragraph = _first(russian_edition)
    result = services.unit_text_save(
        unit=paragraph, language="ru", text="Только на Алматы напали 3 000 бандитов.",
        loaded_revision=paragraph.revision_ru, user=user,
    )
    assert result.saved
    [issue] = edition_blocking_issues(edition=russian_edition)
    assert issue.message == "20,000 in the source is missing: found 3 000"
    assert not issue.dismissed


def test_a_dismissal_lapses_when_the_source_changes(russian_edition):
    user = UserFactory()
    check_dismiss(edition=russian_edition, unit_key="p1", check_id="numbers",
                  reason="Agreed with the editor.", user=user)
    paragraph = _first(russian_edition)
    services.unit_text_save(
        unit=paragraph, language="en", text="Almaty alone was attacked by 25,000 bandits.",
        loaded_revision=paragraph.revision_en, user=user,
    )
    [issue] = edition_blocking_issues(edition=russian_edition)
    assert issue.message == "25,000 in the source is missing: found 2 000"


@pytest.mark.parametrize(
    "unit_key,check_id,message",
    [
        ("p1", "no_such_check", "Unknown check: no_such_check."),
        ("p9", "numbers", "This article has no paragraph p9."),
        ("p2", "numbers", "The check “Numbers” finds nothing to dismiss in this paragraph."),
        ("title", "quotes_style", "The check “Quotation mark style” finds nothing to dismiss"),
    ],
)
def test_dismissing_what_is_not_there_is_refused(russian_edition, unit_key, check_id, message):
    with pytest.raises(ValidationError) as error:
        check_dismiss(edition=russian_edition, unit_key=unit_key, check_id=check_id,
                      reason="Because.", user=UserFactory())
    assert error.value.messages[0].startswith(message)
    assert not CheckDismissal.objects.exists()


def test_the_source_edition_has_no_report_and_nothing_to_dismiss(russian_edition):
    source = services.edition_get_or_create(article=russian_edition.article, language="en")
    assert edition_check_report(edition=source) == {}
    with pytest.raises(ValidationError, match="The source text is not checked."):
        check_dismiss(edition=source, unit_key="p1", check_id="numbers", reason="x", user=None)


def test_a_warning_can_be_dismissed_too(russian_edition):
    Paragraph.objects.filter(pk=_first(russian_edition).pk).update(
        text_ru="Только на Алматы напали 20 000 бандитов. "
    )
    check_dismiss(edition=russian_edition, unit_key="p1", check_id="whitespace",
                  reason="Kept as the agency wrote it.", user=UserFactory())
    [issue] = edition_check_report(edition=russian_edition)["p1"]
    assert issue.dismissed and issue.severity == "warning"


def test_the_title_is_checked_and_dismissable(russian_edition):
    article = russian_edition.article
    article.title_ru = "Tokayev addresses the nation"
    article.save()
    report = edition_check_report(edition=russian_edition)
    assert [i.check_id for i in report["title"]] == ["same", "glossary"]
    check_dismiss(edition=russian_edition, unit_key="title", check_id="same",
                  reason="Headline kept in English on purpose.", user=UserFactory())
    blocking = edition_blocking_issues(edition=russian_edition)
    assert [(i.unit_key, i.check_id) for i in blocking] == [
        ("title", "glossary"),
        ("p1", "numbers"),
    ]


def test_the_articles_own_glossary_terms_are_checked(russian_edition):
    glossary_term(article=russian_edition.article, en="Almaty", ru="Алма-Ата")
    other = article_with_paragraphs(count=1)
    glossary_term(article=other, en="Head of State", ru="Президент")
    report = edition_check_report(edition=russian_edition)
    assert [i.message for i in report["p1"] if i.check_id == "glossary"] == [
        "Almaty in the source should be rendered as Алма-Ата."
    ]
    assert [i for i in report["p2"] if i.check_id == "glossary"] == []


def test_the_version_report_carries_working_copy_dismissals(russian_edition):
    user = UserFactory()
    check_dismiss(edition=russian_edition, unit_key="p1", check_id="numbers",
                  reason="Agency correction.", user=user)
    version = services.version_snapshot(edition=russian_edition, user=user)
    issues = version_check_report(version=version)
    assert [(i.unit_key, i.check_id, i.dismissed, i.reason) for i in issues] == [
        ("p1", "numbers", True, "Agency correction.")
    ]
    assert list(issues_by_unit(issues)) == ["p1"]


def test_the_version_report_reads_the_snapshot_not_the_working_copy(russian_edition):
    version = services.version_snapshot(edition=russian_edition, user=None)
    Paragraph.objects.filter(pk=_first(russian_edition).pk).update(
        text_ru="Только на Алматы напали 20 000 бандитов."
    )
    assert [i.message for i in version_check_report(version=version)] == [NUMBERS_MESSAGE]
    assert edition_blocking_issues(edition=russian_edition) == []


def test_unit_text_hash_covers_source_and_translation():
    assert unit_text_hash("a", "b") == unit_text_hash("a", "b")
    assert unit_text_hash("a", "b") != unit_text_hash("a", "c")
    assert unit_text_hash("a", "b") != unit_text_hash("c", "b")
    assert unit_text_hash("ab", "") != unit_text_hash("a", "b")


@pytest.mark.parametrize("count", [3, 40])
def test_the_edition_report_makes_the_same_queries_for_any_length(
    count, tokayev, django_assert_num_queries
):
    article = article_with_paragraphs(count=count)
    translate(article, "kk")
    edition = services.edition_get_or_create(article=article, language="kk")
    # The article, its paragraphs, the glossary, the dismissals.
    with django_assert_num_queries(4):
        report = edition_check_report(edition=edition)
    assert len(report) == count + 1


@pytest.mark.parametrize("count", [3, 40])
def test_the_version_report_makes_the_same_queries_for_any_length(
    count, django_assert_num_queries
):
    article = article_with_paragraphs(count=count)
    translate(article, "kk")
    edition = services.edition_get_or_create(article=article, language="kk")
    version = services.version_snapshot(edition=edition, user=None)
    # The edition with its article, the glossary, the dismissals.
    with django_assert_num_queries(3):
        version_check_report(version=version)
