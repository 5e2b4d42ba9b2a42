"""Urgency clocks: when they start and stop, what the desk shows, notices sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from reviews import services
from reviews.admin.clock import clock_html, duration_text
from reviews.clocks import clocks_run
from reviews.models import DeskNotice, PublishTiming
from reviews.preferences import desk_language_set
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.clocks import FULL, HALF, clock_of, publish_target
from translations.models import Edition, Priority, Version
from translations.services import edition_get_or_create

from .helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """A Kazakh translation opened before its English source went live, Alice on it."""
    article = article_with_paragraphs(count=2)
    edition = edition_get_or_create(article=article, language="kk")
    Edition.objects.filter(pk=edition.pk).update(priority=Priority.BREAKING)
    alice = translator("alice", pairs=[("en", "kk")], is_staff=True)
    erin = editor("erin", is_staff=True)
    assign(edition, alice)
    return article, edition, alice, erin


def fresh(edition):
    return Edition.objects.get(pk=edition.pk)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """One clock pass as of ``now``, its mail tasks run as its transactions commit."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return clocks_run(now=now)

    return run


def test_targets_come_from_the_settings(settings):
    settings.TILMASH_PUBLISH_TARGETS = {"breaking": 900, "urgent": timedelta(hours=1),
                                        "normal": timedelta(days=1)}  # fmt: skip
    assert publish_target(Priority.BREAKING) == timedelta(minutes=15)
    assert publish_target(Priority.URGENT) == timedelta(hours=1)
    assert publish_target(Priority.NORMAL) == timedelta(days=1)


def test_no_clock_before_the_source_goes_live(desk):
    _article, edition, _alice, _erin = desk
    edition = fresh(edition)
    assert edition.clock_started_at is None and edition.due_at is None
    assert clock_of(edition) is None
    assert clock_html(edition) == "–"


def test_the_source_going_live_starts_each_translation_s_clock(desk):
    article, edition, _alice, _erin = desk
    ru = edition_get_or_create(article=article, language="ru")  # normal priority
    source = publish(article, "en")
    live_at = source.live_version.approved_at
    edition, ru = fresh(edition), fresh(ru)
    assert edition.clock_started_at == live_at
    assert edition.due_at == live_at + timedelta(minutes=15)
    assert edition.clock_next_at == live_at + timedelta(minutes=7, seconds=30)
    assert ru.due_at == live_at + timedelta(hours=24)
    assert fresh(source).clock_started_at is None  # the source has no clock


def test_an_edition_opened_after_the_source_went_live_starts_its_clock_then():
    article = article_with_paragraphs(count=1)
    publish(article, "en")
    before = timezone.now()
    ru = fresh(edition_get_or_create(article=article, language="ru"))
    assert ru.clock_started_at >= before
    assert ru.due_at == ru.clock_started_at + timedelta(hours=24)


def test_a_priority_change_keeps_the_start_and_takes_the_new_target(desk):
    article, edition, _alice, erin = desk
    publish(article, "en")
    started = fresh(edition).clock_started_at
    services.edition_assign(edition=fresh(edition), users=[], by=erin, priority=Priority.URGENT)
    edition = fresh(edition)
    assert edition.clock_started_at == started
    assert edition.due_at == started + timedelta(hours=1)
    assert edition.clock_next_at == started + timedelta(minutes=30)


def test_going_live_stops_the_clock_and_records_the_timing(desk):
    article, edition, alice, erin = desk
    publish(article, "en")
    started = fresh(edition).clock_started_at
    version = submitted(alice, fresh(edition))
    services.version_approve(version=version, user=erin)
    edition = fresh(edition)
    assert edition.clock_next_at is None
    assert edition.clock_stopped_at == Version.objects.get(pk=version.pk).approved_at
    timing = PublishTiming.objects.get(version=version)
    assert timing.seconds == int((edition.clock_stopped_at - started).total_seconds())
    assert timing.target_seconds == 15 * 60
    assert timing.on_time is True
    assert timing.translators == [alice.pk]
    assert timing.priority == Priority.BREAKING and timing.language == "kk"


def test_round_trips_count_the_changes_requested_since_the_last_live_version(desk):
    article, edition, alice, erin = desk
    publish(article, "en")
    first = submitted(alice, fresh(edition))
    services.version_request_changes(version=first, user=erin, comment="Again.")
    second = submitted(alice, fresh(edition), texts=["[kk] Paragraph 1 .", "[kk] Paragraph 2 ."])
    services.version_request_changes(version=second, user=erin, comment="Once more.")
    third = submitted(alice, fresh(edition), texts=["[kk] 1 Paragraph.", "[kk] 2 Paragraph."])
    services.version_approve(version=third, user=erin)
    assert PublishTiming.objects.get(version=third).round_trips == 2


def test_the_clock_shows_time_left_then_overdue_then_how_long_it_took(desk):
    article, edition, _alice, _erin = desk
    publish(article, "en")
    edition = fresh(edition)
    start = edition.clock_started_at
    assert "10 min left" in clock_html(edition, now=start + timedelta(minutes=5))
    late = clock_html(edition, now=start + timedelta(minutes=20))
    assert "5 min overdue" in late and "desk-clock-overdue" in late
    edition.clock_stopped_at = start + timedelta(minutes=12)
    assert "live in 12 min" in clock_html(edition)
    edition.clock_stopped_at = start + timedelta(minutes=17)
    assert "live in 17 min, late" in clock_html(edition)


def test_durations_read_as_people_say_them():
    assert duration_text(59) == "0 min"
    assert duration_text(-125) == "2 min"
    assert duration_text(3 * 3600 + 5 * 60) == "3 h 05 min"
    assert duration_text(50 * 3600) == "2 d 2 h"


def test_my_work_the_review_queue_and_the_edition_page_show_the_clock(client, desk):
    article, edition, alice, erin = desk
    publish(article, "en")
    submitted(alice, fresh(edition))
    client.force_login(erin)
    for url in (
        reverse("admin:translations_edition_changelist"),
        reverse("admin:reviews_review_changelist"),
        reverse("admin:translations_edition_change", args=[edition.pk]),
    ):
        page = client.get(url, follow=True).content.decode()
        assert "min left" in page, url
        assert "time to go live" in page.lower(), url


def test_notices_go_out_at_half_and_at_full_time_once_each(desk, run):
    article, edition, alice, erin = desk
    publish(article, "en")
    start = fresh(edition).clock_started_at
    mail.outbox.clear()

    assert run(start + timedelta(minutes=7)) == 0
    assert mail.outbox == []

    assert run(start + timedelta(minutes=8)) == 1
    assert run(start + timedelta(minutes=9)) == 0  # the same notice: not again
    assert [sorted(m.to) for m in mail.outbox] == [sorted([alice.email, erin.email])]
    assert mail.outbox[0].subject.startswith("Half the time gone:")
    assert fresh(edition).clock_stage == HALF
    assert set(DeskNotice.objects.values_list("user__username", "kind")) == {
        ("alice", "half"), ("erin", "half")}  # fmt: skip

    assert run(start + timedelta(minutes=16)) == 1
    assert run(start + timedelta(minutes=30)) == 0
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Half the time gone", "Overdue"]
    assert fresh(edition).clock_stage == FULL and fresh(edition).clock_next_at is None
    assert DeskNotice.objects.filter(kind="due").count() == 2



def test_each_notice_goes_out_in_its_recipient_s_language_with_a_link(desk, run):
    article, edition, alice, erin = desk
    desk_language_set(user=alice, language="ru")
    publish(article, "en")
    start = fresh(edition).clock_started_at
    mail.outbox.clear()
    assert run(start + timedelta(hours=2)) == 1
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    russian, english = by_recipient[(alice.email,)], by_recipient[(erin.email,)]
    with translation.override("ru"):
        assert russian.subject.startswith(translation.gettext("Overdue: %(edition)s")[:8])
    assert english.subject.startswith("Overdue:")
    link = reverse("admin:translations_edition_editor", args=[edition.pk])
    assert link in russian.body and link in english.body

def test_a_pass_after_full_time_sends_only_the_overdue_notice(desk, run):
    article, edition, _alice, _erin = desk
    publish(article, "en")
    start = fresh(edition).clock_started_at
    mail.outbox.clear()
    assert run(start + timedelta(hours=2)) == 1
    assert run(start + timedelta(hours=3)) == 0
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Overdue"]
    assert set(DeskNotice.objects.values_list("kind", flat=True)) == {"due"}


def test_a_notice_taken_by_another_pass_is_not_sent_again(desk, run):
    article, edition, _alice, _erin = desk
    publish(article, "en")
    stale = fresh(edition)  # what a second pass read before the first one took it
    start = stale.clock_started_at
    mail.outbox.clear()
    assert run(start + timedelta(minutes=8)) == 1
    from reviews.clocks import _notice_take

    assert _notice_take(stale, start + timedelta(minutes=8)) is False
    assert len(mail.outbox) == 1


def test_no_notice_for_an_edition_that_went_live(desk, run):
    article, edition, alice, erin = desk
    publish(article, "en")
    start = fresh(edition).clock_started_at
    services.version_approve(version=submitted(alice, fresh(edition)), user=erin)
    mail.outbox.clear()
    assert run(start + timedelta(hours=1)) == 0
    assert mail.outbox == [] and not DeskNotice.objects.exists()


def test_the_desk_home_shows_the_notices_of_editions_not_live_yet(client, desk):
    article, edition, alice, erin = desk
    publish(article, "en")
    clocks_run(now=fresh(edition).clock_started_at + timedelta(minutes=20))
    client.force_login(alice)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Urgency clocks" in page and "overdue" in page
    assert reverse("admin:translations_edition_change", args=[edition.pk]) in page
    services.version_approve(version=submitted(alice, fresh(edition)), user=erin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Urgency clocks" not in page


def test_the_desk_clocks_command_runs_one_pass(desk):
    article, edition, _alice, _erin = desk
    publish(article, "en")
    Edition.objects.filter(pk=edition.pk).update(
        clock_next_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("desk_clocks")
    assert fresh(edition).clock_stage == HALF
    assert DeskNotice.objects.filter(edition=edition, kind="half").count() == 2


def test_the_worker_s_periodic_loop_runs_the_clock_pass(monkeypatch):
    """``db_worker`` runs the pass beside its recovery of lost tasks, even when that fails."""
    import threading

    from reviews.management.commands import db_worker

    stop, passes = threading.Event(), []

    def recover():
        raise RuntimeError("database blip")

    def clock_pass():
        passes.append(1)
        stop.set()

    monkeypatch.setattr(db_worker, "recovery_period", lambda: 0.01)
    monkeypatch.setattr(db_worker, "tasks_recover", recover)
    monkeypatch.setattr(db_worker, "clocks_run", clock_pass)
    monkeypatch.setattr(db_worker.connection, "close", lambda: None)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    db_worker._recover_periodically(stop)
    assert passes == [1]


def test_a_version_made_live_again_keeps_its_one_timing(desk):
    from translations.services import version_go_live

    article, edition, alice, erin = desk
    publish(article, "en")
    version = submitted(alice, fresh(edition))
    services.version_approve(version=version, user=erin)
    first = PublishTiming.objects.get(version=version)
    version_go_live(version=Version.objects.get(pk=version.pk), user=erin, action="tests.again")
    assert list(PublishTiming.objects.filter(version=version)) == [first]


def test_my_work_sorts_by_the_clock_most_urgent_first(client, desk):
    import re

    article, breaking, _alice, erin = desk
    normal = edition_get_or_create(article=article, language="ru")
    publish(article, "en")
    no_clock = edition_get_or_create(article=article_with_paragraphs(count=1), language="kk")
    client.force_login(erin)
    url = reverse("admin:translations_edition_changelist")
    page = client.get(url, follow=True).content.decode()
    sort = re.search(r'column-clock_shown.*?href="(\?o=[^"]+)"', page, re.DOTALL).group(1)
    listed = client.get(url + sort).context["cl"].result_list
    assert [e.pk for e in listed][:2] == [breaking.pk, normal.pk]
    assert no_clock.pk in [e.pk for e in listed][2:]  # no clock: last
