"""Pre-translation on the desk's pages: the button, the progress, the machine rows, Confirm."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reviews.models import MachineDraft, Pretranslation
from reviews.services.machine import edition_pretranslate, pretranslation_run
from tests.factories import article_with_paragraphs, assign, editor, translator
from tests.worker import PLAIN_TASKS
from translations.credits import join_names
from translations.models import Credit, Paragraph
from translations.services import edition_get_or_create

pytestmark = pytest.mark.django_db

UPPER = "tests.reviews.test_pretranslate.UpperProvider"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def desk(settings):
    settings.TILMASH_MT = {"default": {"provider": UPPER}}
    article = article_with_paragraphs(count=3)
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice", is_staff=True)
    erin = editor("erin", is_staff=True)
    assign(edition, alice)
    return edition, alice, erin


def editor_url(edition):
    return reverse("admin:translations_edition_editor", args=[edition.pk])


def pretranslate_url(edition):
    return reverse("admin:translations_edition_pretranslate", args=[edition.pk])


def progress_url(edition):
    return reverse("admin:translations_edition_pretranslate_progress", args=[edition.pk])


def confirm_url(edition):
    return reverse("admin:translations_edition_editor_confirm", args=[edition.pk])


def test_an_editor_asks_the_worker_runs_and_the_editor_shows_machine_rows(
    desk, django_capture_on_commit_callbacks
):
    edition, alice, erin = desk
    client = client_for(erin)
    page = client.get(editor_url(edition)).content.decode()
    assert f'action="{pretranslate_url(edition)}"' in page
    # The test backend runs the task when the request's transaction commits, as a worker would.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pretranslate_url(edition), {"next": editor_url(edition)})
    assert response.status_code == 302 and response["Location"] == editor_url(edition)
    assert any("pre-translating" in m for m in messages_of(response))
    run = Pretranslation.objects.get()
    assert (run.state, run.done, run.total) == ("done", 4, 4)

    data = client.get(progress_url(edition)).json()
    assert data["state"] == "done" and data["done"] == 4 and data["percent"] == 100
    assert data["active"] is False

    page = client_for(alice).get(editor_url(edition)).content.decode()
    assert page.count("marker-machine") == 4
    assert page.count("data-machine-confirm>") == 4
    assert "data-machine-confirm-all" in page
    assert "PARAGRAPH 2." in page
    assert "4 of 4 paragraphs translated" in " ".join(page.split()).replace(
        '<span data-pt-done>', "").replace('<span data-pt-total>', "").replace("</span>", "")
    assert f'action="{pretranslate_url(edition)}"' not in page  # only editors ask


def test_a_translator_may_not_ask_and_nothing_is_queued(desk):
    edition, alice, _erin = desk
    response = client_for(alice).post(pretranslate_url(edition))
    assert response.status_code == 302
    assert any("may not" in m for m in messages_of(response))
    assert not Pretranslation.objects.exists()


def test_while_the_run_waits_the_pages_poll_its_progress(desk, settings):
    settings.TASKS = PLAIN_TASKS  # no worker: the run stays queued
    edition, alice, erin = desk
    edition_pretranslate(edition=edition, user=erin)
    change = reverse("admin:translations_edition_change", args=[edition.pk])
    for url in (editor_url(edition), change):
        page = client_for(erin).get(url).content.decode()
        assert f'data-progress-url="{progress_url(edition)}"' in page, url
        assert "reviews/pretranslate.js" in page
        assert f'action="{pretranslate_url(edition)}"' not in page  # not twice at once
    data = client_for(alice).get(progress_url(edition)).json()
    assert data == {
        "state": "queued",
        "state_label": "Waiting for the worker",
        "active": True,
        "total": 0,
        "done": 0,
        "skipped": 0,
        "failed": 0,
        "percent": 0,
        "message": "",
    }


def test_the_edition_page_offers_the_button_to_editors_and_shows_a_failure(desk, settings):
    settings.TASKS = PLAIN_TASKS
    edition, alice, erin = desk
    change = reverse("admin:translations_edition_change", args=[edition.pk])
    assert f'action="{pretranslate_url(edition)}"' in client_for(erin).get(change).content.decode()
    assert f'action="{pretranslate_url(edition)}"' not in (
        client_for(alice).get(change).content.decode()
    )
    broken = "tests.reviews.test_pretranslate.BrokenProvider"
    settings.TILMASH_MT = {"default": {"provider": broken}}
    run = edition_pretranslate(edition=edition, user=erin)
    pretranslation_run(pretranslation_id=run.pk)
    page = client_for(alice).get(change).content.decode()
    assert "The provider is down (HTTP 503)." in page
    assert "data-progress-url" not in page
    assert "Machine pre-translation requested" in page  # on the timeline


def test_confirm_one_row_then_all(desk, settings):
    settings.TASKS = PLAIN_TASKS
    edition, alice, erin = desk
    pretranslation_run(pretranslation_id=edition_pretranslate(edition=edition, user=erin).pk)
    client = client_for(alice)
    response = client.post(confirm_url(edition), {"key": "p2"})
    assert response["Location"] == editor_url(edition) + "#row-p2"
    assert "Confirmed 1 machine-translated paragraph." in messages_of(response)
    assert MachineDraft.objects.get(unit_key="p2").confirmed_by == alice
    page = client.get(editor_url(edition)).content.decode()
    assert page.count("marker-machine") == 3
    response = client.post(confirm_url(edition), {"all": "1"})
    assert "Confirmed 3 machine-translated paragraphs." in messages_of(response)
    assert not MachineDraft.objects.filter(confirmed_at__isnull=True).exists()
    response = client.post(confirm_url(edition), {"key": "p2"})
    assert any("Nothing to confirm" in m for m in messages_of(response))
    response = client.post(confirm_url(edition), {"key": "<bad key>"})
    assert any("Say which paragraph" in m for m in messages_of(response))


def _machine_desk(count, erin):
    article = article_with_paragraphs(count=count)
    edition = edition_get_or_create(article=article, language="kk")
    pretranslation_run(pretranslation_id=edition_pretranslate(edition=edition, user=erin).pk)
    Paragraph.objects.filter(article=article, key="p1").update(text_kk="Edited by hand.")
    return edition


def test_the_editor_page_with_machine_rows_costs_the_same_queries_for_3_and_300(
    desk, settings, django_assert_num_queries
):
    settings.TASKS = PLAIN_TASKS
    _edition, _alice, erin = desk
    short, long = _machine_desk(3, erin), _machine_desk(300, erin)
    client = client_for(erin)
    client.get(editor_url(short))
    with CaptureQueriesContext(connection) as short_queries:
        assert client.get(editor_url(short)).status_code == 200
    with django_assert_num_queries(len(short_queries)):
        response = client.get(editor_url(long))
    assert response.content.decode().count("marker-machine") == 300  # title + 299 paragraphs


def review_url(version):
    return reverse("admin:reviews_version_review", args=[version.pk])


def test_the_review_page_shows_machine_rows_and_how_much_people_changed(desk, settings):
    from reviews import services
    from reviews.services import RowInput
    from reviews.services.machine import machine_confirm
    from translations.models import Edition

    settings.TASKS = PLAIN_TASKS
    edition, alice, erin = desk
    Paragraph.objects.filter(article=edition.article, key="p3").update(
        text_en="The council met on Monday to talk about the budget."
    )
    pretranslation_run(pretranslation_id=edition_pretranslate(edition=edition, user=erin).pk)
    p3 = Paragraph.objects.get(article=edition.article, key="p3")
    assert p3.text_kk == "THE COUNCIL MET ON MONDAY TO TALK ABOUT THE BUDGET."
    # 12 words (with the full stop); the translator changes 3 of them.
    services.units_save(
        edition=edition,
        user=alice,
        rows=[
            RowInput(
                key="p3",
                text="THE COUNCIL MET ON TUESDAY TO DEBATE ABOUT THE NEW BUDGET.",
                revision=p3.revision_in("kk"),
            )
        ],
    )
    machine_confirm(edition=edition, user=alice, keys=["title", "p1", "p2"])
    version = services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=alice)
    response = client_for(erin).get(review_url(version))
    rows = {row.key: row for row in response.context["rows"]}
    assert rows["p1"].machine_label == "Machine translation, unchanged"
    assert rows["p3"].machine_label == (
        "Machine translation; people changed 25% of its words"
    )  # 2 replaced + 1 inserted over 12 words
    html = response.content.decode()
    assert html.count("data-machine>") == 4
    assert "4 paragraphs came from the machine" in html


@pytest.fixture
def approved_machine_edition(desk, settings):
    from reviews import services
    from reviews.services.machine import machine_confirm
    from tests.factories import publish
    from translations.models import Edition

    settings.TASKS = PLAIN_TASKS
    settings.TILMASH_PUBLIC_CACHE_SECONDS = 0
    edition, alice, erin = desk
    publish(edition.article, "en")
    pretranslation_run(pretranslation_id=edition_pretranslate(edition=edition, user=erin).pk)
    machine_confirm(edition=edition, user=alice, keys=["title", "p1", "p2", "p3"])
    version = services.version_submit(edition=Edition.objects.get(pk=edition.pk), user=alice)
    services.version_approve(version=version, user=erin)
    return edition


def alice_contributor_name(edition):
    """Alice confirmed the machine's text: the version credits her as its translator."""
    [credit] = Credit.objects.filter(version=edition.live_version, role="translator")
    assert credit.contributor.user.username == "alice"
    return credit.contributor.name_in("kk")


def test_the_public_page_discloses_machine_assistance_only_when_turned_on(
    client, approved_machine_edition, settings
):
    from reviews.selectors.machine import version_machine_assisted
    from translations.models import Edition

    edition = Edition.objects.select_related("live_version").get(pk=approved_machine_edition.pk)
    assert version_machine_assisted(version=edition.live_version)
    url = f"/kk/articles/{edition.article.slug}/"
    page = client.get(url).content.decode()
    with translation.override("kk"):
        machine = translation.gettext("Machine-assisted translation.").rstrip(".")
    assert machine not in page and "PARAGRAPH 1." in page
    settings.TILMASH_MACHINE_CREDIT = True
    page = client.get(url).content.decode()
    alice_name = alice_contributor_name(edition)
    erin = Credit.objects.get(version=edition.live_version, role="editor").contributor
    erin_name = erin.name_in("kk")
    names = join_names([alice_name, erin_name], "kk")  # "A және B": the page's language
    with translation.override("kk"):
        line = translation.gettext("Machine-assisted translation, edited by %(names)s.")
    assert line % {"names": names} in page
    # Not on the source's page: the machine wrote nothing of it.
    source_page = client.get(f"/en/articles/{edition.article.slug}/").content.decode()
    assert "Machine-assisted" not in source_page


def test_the_review_page_computes_each_version_s_distances_once(
    approved_machine_edition, monkeypatch
):
    from reviews.admin.review import page as review_page
    from translations.models import Edition

    edition = Edition.objects.select_related("live_version").get(pk=approved_machine_edition.pk)
    erin = get_user_model().objects.get(username="erin")
    version = edition.live_version
    calls = []
    real = review_page.changed_share
    monkeypatch.setattr(
        review_page, "changed_share", lambda a, b: calls.append(1) or real(a, b)
    )
    client = client_for(erin)
    assert client.get(review_url(version)).status_code == 200
    assert len(calls) == 4
    response = client.get(review_url(version))
    assert len(calls) == 4  # from the cache the second time
    assert response.content.decode().count("data-machine>") == 4
