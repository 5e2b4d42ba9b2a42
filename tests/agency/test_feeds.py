"""Agency feeds: RSS/Atom, ninjs and NewsML-G2 from a local server or a folder."""

import datetime
import json

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agency.formats import AgencyItem, FormatError, ItemProblem, items_read
from agency.models import FeedItem, FeedSource, ItemStatus, RunStatus
from agency.services import feed_source_run, feeds_due_enqueue
from tests.factories import translate
from tests.worker import tasks_run_due
from translations.importing import ALMATY
from translations.models import Article, EditionState

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db


def source_for(url="", folder="", fmt="rss", language="en", **kwargs):
    return FeedSource.objects.create(
        name=f"Wire {fmt}", url=url, folder=folder, format=fmt, language=language, **kwargs
    )


def paragraphs_of(article, language="en"):
    return [p.text_in(language) for p in article.paragraphs.order_by("position")]


def test_rss_items_become_draft_articles_and_a_broken_item_is_logged(feed_server):
    source = source_for(feed_server.serve("/feed.rss", fixture_bytes("feed.rss")))
    report = feed_source_run(source=source)
    assert report.counts[ItemStatus.IMPORTED] == 2
    metro = FeedItem.objects.get(guid="steppe-wire-1001").article
    assert metro.title_in_source() == "Almaty metro extends its second line"
    assert paragraphs_of(metro) == [
        "The metro adds two stations to its second line.",
        "Trains will run every six minutes.",
    ]
    assert metro.dateline == datetime.datetime(2024, 3, 5, 4, 0, tzinfo=datetime.UTC)
    assert metro.editions.get(language="en").live_version is None  # a draft for the desk
    broken = FeedItem.objects.get(guid="steppe-wire-1002")
    assert broken.status == ItemStatus.FAILED and "no headline" in broken.error
    source.refresh_from_db()
    assert source.last_status == RunStatus.PARTIAL
    assert "steppe-wire-1002" in source.last_message
    assert source.last_run_at is not None


def test_each_item_is_imported_once_by_its_guid(feed_server):
    source = source_for(feed_server.serve("/feed.rss", fixture_bytes("feed.rss")))
    feed_source_run(source=source)
    before = list(Article.objects.values_list("slug", "updated_at"))
    report = feed_source_run(source=source)
    assert report.counts["unchanged"] == 2
    assert report.counts[ItemStatus.IMPORTED] == 0
    assert list(Article.objects.values_list("slug", "updated_at")) == before


def test_an_unchanged_feed_answers_304_and_is_not_read_again(feed_server):
    feed_server.etag = '"v1"'
    source = source_for(feed_server.serve("/feed.rss", fixture_bytes("feed.rss")))
    feed_source_run(source=source)
    source.refresh_from_db()
    assert source.etag == '"v1"'
    report = feed_source_run(source=source)
    assert report.status == RunStatus.OK and not report.counts
    source.refresh_from_db()
    assert "Not modified" in source.last_message
    feed_server.etag = '"v2"'  # the feed changed: read again, nothing new in it
    assert feed_source_run(source=source).counts["unchanged"] == 2


def test_atom_entry_is_read_with_its_content(feed_server):
    source = source_for(feed_server.serve("/feed.atom", fixture_bytes("feed.atom")))
    feed_source_run(source=source)
    article = FeedItem.objects.get().article
    assert article.title_in_source() == "Library opens on Sundays"
    assert paragraphs_of(article) == [
        "The city library now opens on Sundays.",
        "Hours are ten to six.",
    ]


def test_newer_version_is_imported_as_a_source_update(feed_server):
    item = json.loads(fixture_bytes("item.ninjs.json"))
    url = feed_server.serve("/item.json", json.dumps(item).encode())
    source = source_for(url, fmt="ninjs")
    feed_source_run(source=source)
    article = FeedItem.objects.get().article
    keys = list(article.paragraphs.order_by("position").values_list("key", flat=True))
    translate(article, "kk", ["Бірінші.", "Екінші.", "Үшінші."])
    item.update(
        version="2",
        versioncreated="2024-03-05T07:45:00Z",
        body_html="<p>The council approved a new tram line.</p><p>Works start in June.</p>"
        "<p>The line has twelve stops.</p>",
    )
    feed_server.serve("/item.json", json.dumps(item).encode())
    report = feed_source_run(source=source)
    assert report.counts[ItemStatus.UPDATED] == 1
    assert Article.objects.count() == 1
    article.refresh_from_db()
    paragraphs = list(article.paragraphs.order_by("position"))
    assert [p.key for p in paragraphs] == keys  # keys and translations kept
    assert paragraphs[1].text_en == "Works start in June."
    assert [p.is_outdated("kk", "en") for p in paragraphs] == [False, True, False]
    row = FeedItem.objects.get()
    assert (row.version, row.status) == ("2", ItemStatus.UPDATED)
    # The same version again, or an older one, changes nothing.
    assert feed_source_run(source=source).counts["unchanged"] == 1
    item["version"] = "1"
    feed_server.serve("/item.json", json.dumps(item).encode())
    assert feed_source_run(source=source).counts["unchanged"] == 1


def test_newsml_g2_item_is_read_from_its_xhtml(feed_server):
    source = source_for(
        feed_server.serve("/item.xml", fixture_bytes("item.newsml.xml")), fmt="newsml"
    )
    feed_source_run(source=source)
    row = FeedItem.objects.get()
    assert (row.guid, row.version) == ("urn:newsml:wire.example:20240305:bridge", "3")
    assert row.article.title_in_source() == "Bridge repair finished early"
    assert paragraphs_of(row.article) == [
        "The bridge over the Esil reopened a week early.",
        "Traffic returns to both lanes tonight.",
    ]
    assert row.article.dateline.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M") == "05.03.2024 14:00"


def test_a_newsml_doctype_is_refused_without_expanding_it(feed_server):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x">&lol2;</newsItem>'
    )
    source = source_for(feed_server.serve("/bomb.xml", bomb), fmt="newsml")
    report = feed_source_run(source=source)
    assert report.status == RunStatus.FAILED
    assert "DOCTYPE" in report.problems[0]
    assert not Article.objects.exists()


def test_a_folder_source_reads_its_files_and_skips_a_broken_one(tmp_path, settings):
    settings.TILMASH_AGENCY_FOLDER_ROOT = str(tmp_path)
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "a.json").write_bytes(fixture_bytes("item.ninjs.json"))
    (folder / "b.json").write_bytes(b'{"uri": "broken", "headline": ')
    other = json.loads(fixture_bytes("item.ninjs.json"))
    other.update(uri="urn:other", headline="Second story", body_text="One.\n\nTwo.")
    del other["body_html"]
    (folder / "c.json").write_text(json.dumps(other))
    (folder / "notes.txt").write_text("not read")
    report = feed_source_run(source=source_for(folder="wire", fmt="ninjs"))
    assert report.counts[ItemStatus.IMPORTED] == 2
    assert report.status == RunStatus.PARTIAL
    assert any(problem.startswith("b.json: ") for problem in report.problems)
    assert paragraphs_of(FeedItem.objects.get(guid="urn:other").article) == ["One.", "Two."]


def test_a_folder_outside_the_root_is_refused(tmp_path, settings):
    settings.TILMASH_AGENCY_FOLDER_ROOT = str(tmp_path / "root")
    (tmp_path / "root").mkdir()
    report = feed_source_run(source=source_for(folder="../", fmt="ninjs"))
    assert report.status == RunStatus.FAILED
    assert "outside" in report.problems[0]


@pytest.mark.parametrize(
    ("route", "words"),
    [
        ({"status": 500, "body": b"oops"}, "HTTP 500"),
        ({"body": b"x" * 5000}, "larger than 1000 bytes"),
        ({"body": b"<rss/>", "delay": 2}, "did not answer within 1 s"),
        ({"body": b"this is no feed at all"}, "not a readable RSS or Atom feed"),
    ],
    ids=["server error", "too large", "timeout", "not a feed"],
)
def test_fetching_is_bounded_and_failures_are_reported(feed_server, settings, route, words):
    settings.TILMASH_AGENCY_MAX_BYTES = 1000
    settings.TILMASH_AGENCY_TIMEOUT = 1
    url = feed_server.serve("/feed", route["body"], route.get("status", 200), route.get("delay", 0))
    source = source_for(url)
    report = feed_source_run(source=source)
    assert report.status == RunStatus.FAILED
    source.refresh_from_db()
    assert words in source.last_message
    assert not Article.objects.exists()


def test_due_sources_are_queued_once_and_run_by_the_worker(feed_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    url = feed_server.serve("/feed.rss", fixture_bytes("feed.rss"))
    due = source_for(url, interval=30)
    source_for(url, active=False)
    later = source_for(url)
    later.next_run_at = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    later.save()
    assert feeds_due_enqueue() == 1
    assert feeds_due_enqueue() == 0  # its next run moved on
    due.refresh_from_db()
    assert due.next_run_at > datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=29)
    assert DBTaskResult.objects.count() == 1
    assert tasks_run_due() == 1
    assert FeedItem.objects.filter(source=due, status=ItemStatus.IMPORTED).count() == 2


def test_an_item_as_text_is_the_importers_format():
    item = AgencyItem(
        guid="g",
        title="  A  title ",
        paragraphs=["One.", "Two."],
        dateline=datetime.datetime(2024, 3, 5, 4, 0, tzinfo=datetime.UTC),
        byline="Dana Serikova",
    )
    assert item.as_text("en").decode() == (
        "A title\n\n05.03.2024, 09:00\n\nOne.\n\nTwo.\n\nBy Dana Serikova"
    )


def test_a_ninjs_2_item_with_headlines_and_bodies_is_read():
    data = json.dumps(
        {
            "uri": "urn:x",
            "version": "4",
            "headlines": [{"role": "main", "value": "Main headline"}],
            "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>A.</p><p>B.</p>"}],
        }
    ).encode()
    (item,) = items_read(data, "ninjs")
    assert (item.title, item.paragraphs, item.version) == ("Main headline", ["A.", "B."], "4")


def test_an_article_published_from_a_feed_is_not_made_by_the_feed(feed_server):
    """Feeds bring drafts: the desk's source edition waits in the working copy."""
    source = source_for(feed_server.serve("/feed.atom", fixture_bytes("feed.atom")))
    feed_source_run(source=source)
    edition = FeedItem.objects.get().article.editions.get(language="en")
    assert edition.state != EditionState.APPROVED


def test_the_command_runs_the_sources_and_reports_failures(feed_server):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    source = source_for(feed_server.serve("/feed.atom", fixture_bytes("feed.atom")))
    out = StringIO()
    call_command("agency_fetch", stdout=out)
    assert "Wire rss: 1 new, 0 updated, 0 unchanged, 0 failed." in out.getvalue()
    source.url = feed_server.url("/missing")
    source.save()
    with pytest.raises(CommandError):
        call_command("agency_fetch", "--source", str(source.pk), stdout=StringIO())


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["uri", "headline", "headlines", "body_html", "bodies", "version",
                         "versioncreated", "firstcreated", "byline", "items", "value"]),
        children,
        max_size=6,
    ),  # fmt: skip
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=JSON_VALUES)
def test_any_ninjs_shape_is_read_or_refused_never_a_crash(document):
    try:
        items = items_read(json.dumps(document).encode(), "ninjs")
    except FormatError:
        return
    assert all(isinstance(item, AgencyItem | ItemProblem) for item in items)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["rss", "ninjs", "newsml"]))
def test_any_bytes_are_read_or_refused_never_a_crash(data, fmt):
    try:
        items = items_read(data, fmt)
    except FormatError:
        return
    assert all(isinstance(item, AgencyItem | ItemProblem) for item in items)
