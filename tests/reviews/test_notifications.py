import pytest
from django.core import mail

from reviews import services
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.models import EditionState
from translations.services import edition_get_or_create

from .helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=2)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    return article, edition, translator("alice"), editor("erin")


def test_assignment_mails_the_new_assignee(desk, django_capture_on_commit_callbacks):
    _article, edition, alice, erin = desk
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_assign(edition=edition, users=[alice], by=erin)
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert mail.outbox[0].subject.startswith("Assigned to you:")


def test_request_changes_mails_the_translator_with_the_comment(
    desk, django_capture_on_commit_callbacks
):
    _article, edition, alice, erin = desk
    assign(edition, alice)
    version = submitted(alice, edition)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_request_changes(version=version, user=erin, comment="Check p2.")
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "Check p2." in mail.outbox[0].body


def test_a_source_edit_mails_each_translation_once(desk, django_capture_on_commit_callbacks):
    article, edition, alice, erin = desk
    assign(edition, alice)
    source = edition_get_or_create(article=article, language="en")
    source.state = EditionState.IN_PROGRESS
    source.save()
    rows = [
        services.RowInput(key=p.key, text=f"New {p.key}", revision=p.revision_en)
        for p in article.paragraphs.all()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.units_save(edition=source, user=erin, rows=rows)
    assert [m.subject for m in mail.outbox] == [
        f"Source changed: {article} [en → kk]"
    ]


def test_a_submission_mails_the_language_s_editors(desk, django_capture_on_commit_callbacks):
    from reviews.models import LanguagePair

    _article, edition, alice, erin = desk
    russian_desk = editor("rustam")
    LanguagePair.objects.create(user=russian_desk, source_language="en", target_language="ru")
    LanguagePair.objects.create(user=erin, source_language="en", target_language="kk")
    assign(edition, alice)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(alice, edition)
    assert [m.to for m in mail.outbox] == [[erin.email]]  # not the Russian desk's editor
    assert mail.outbox[0].subject.startswith("Waiting for review:")
    assert "Version 1 was submitted by" in mail.outbox[0].body


def test_without_recorded_languages_every_editor_hears_of_a_submission(
    desk, django_capture_on_commit_callbacks
):
    _article, edition, alice, erin = desk
    other = editor("otto")
    assign(edition, alice)
    with django_capture_on_commit_callbacks(execute=True):
        submitted(alice, edition)
    [message] = mail.outbox
    assert sorted(message.to) == sorted([erin.email, other.email])


def test_a_mail_server_that_fails_leaves_the_decision_standing(
    desk, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    import smtplib

    from reviews import tasks
    from tests.worker import approval_mails
    from translations.models import Edition

    _article, edition, alice, erin = desk
    assign(edition, alice)
    version = submitted(alice, edition)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_approve(version=version, user=erin)
    edition = Edition.objects.get(pk=edition.pk)
    assert (edition.state, edition.live_version_id) == (EditionState.APPROVED, version.pk)
    assert "could not send" in caplog.text
    # The attempt failed where an admin sees it, and the next one waits its turn.
    statuses = approval_mails().values_list("status", flat=True)
    assert sorted(statuses) == ["FAILED", "READY"]
