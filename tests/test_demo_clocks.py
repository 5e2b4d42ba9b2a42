"""The demo's clocks and dashboard: the breaking story runs against its 15 minutes, and
the approved translations have their time to publish."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reviews.models import PublishTiming
from translations.models import Edition, Priority

from .test_demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_breaking_story_shows_its_clock(client):
    load_demo()
    breaking = Edition.objects.get(priority=Priority.BREAKING)
    assert breaking.clock_started_at is not None
    assert (breaking.due_at - breaking.clock_started_at).total_seconds() == 15 * 60
    client.force_login(get_user_model().objects.get(username="editor"))
    page = client.get(reverse("admin:translations_edition_change", args=[breaking.pk]))
    assert "min left" in page.content.decode()


def test_the_dashboard_has_the_demo_s_timings(client):
    load_demo()
    tram_kk = Edition.objects.get(article__source_language="en", language="kk")
    timing = PublishTiming.objects.get(edition=tram_kk)
    assert timing.seconds is not None and timing.on_time
    assert timing.priority == Priority.URGENT
    client.force_login(get_user_model().objects.get(username="editor"))
    page = client.get(reverse("desk_dashboard:dashboard")).content.decode()
    assert "kk · Urgent" in page
    assert "Saule Nurpeisova" in page  # her output
