"""The review queue and the version page in the admin."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import Comment, ParagraphCheck, Review, ReviewState
from reviews.services.comments import comment_add, unit_check_set
from tests.factories import (
    ContributorFactory,
    article_with_paragraphs,
    assign,
    editor,
    publish,
    translator,
)
from translations.models import AuditEntry, Contributor, Edition, EditionState, Priority
from translations.services import edition_get_or_create

from .helpers import submitted, translate_as

pytestmark = pytest.mark.django_db
QUEUE = "/admin/reviews/review/"
FOUR_EYES = "You wrote or edited text in this version; another editor must approve it."


def page_url(version, name="review"):
    return reverse(f"admin:reviews_version_{name}", args=[version.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def shown(response):
    return list(response.context["cl"].result_list)


def text_of(response):
    """The page's text without tags, spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def people():
    return {
        "alice": translator("alice", is_staff=True, first_name="Alice", last_name="Ali"),
        "bob": translator("bob", is_staff=True, first_name="Bob", last_name="Bek"),
        "erin": editor("erin", is_staff=True, first_name="Erin", last_name="Ek"),
        "frank": editor("frank", is_staff=True, first_name="Frank", last_name="Fox"),
    }


def kazakh_edition(people, *, count=3, slug=None, **changes):
    """A published English article and its Kazakh edition, assigned to Alice."""
    article = article_with_paragraphs(count=count, **({"slug": slug} if slug else {}))
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    if changes:
        Edition.objects.filter(pk=edition.pk).update(**changes)
        edition.refresh_from_db()
    return assign(edition, people["alice"])


@pytest.fixture
def in_review(people):
    """Version 1 approved, version 2 (second paragraph rewritten) waiting for review."""
    edition = kazakh_edition(people, slug="tram-line")
    first = submitted(people["alice"], edition, ["Бір 1.", "Екі 2.", "Үш 3."])
    services.version_approve(version=first, user=people["erin"])
    services.edition_reopen(edition=edition, user=people["alice"])
    second = submitted(
        people["alice"], Edition.objects.get(pk=edition.pk), ["Бір 1.", "Екі жаңа 2.", "Үш 3."]
    )
    return {"edition": edition, "first": first, "version": second}


# --- The queue ----------------------------------------------------------------------


def test_the_queue_lists_open_reviews_most_urgent_first_then_oldest(client, people):
    now = timezone.now()
    normal_old = kazakh_edition(people, slug="normal-old")
    breaking = kazakh_edition(people, slug="breaking", priority=Priority.BREAKING)
    normal_new = kazakh_edition(people, slug="normal-new")
    decided = kazakh_edition(people, slug="decided")
    for offset, edition in enumerate([normal_old, breaking, normal_new, decided]):
        version = submitted(people["alice"], edition)
        Review.objects.filter(version=version).update(
            submitted_at=now - datetime.timedelta(hours=10 - offset)
        )
    services.version_approve(version=decided.versions.get(), user=people["erin"])
    client.force_login(people["erin"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["title"] == "Review queue"
    assert [review.edition for review in shown(response)] == [breaking, normal_old, normal_new]


def test_the_queue_shows_what_an_editor_needs_per_review(client, people, in_review):
    version = in_review["version"]
    comment_add(version=version, unit_key="p2", user=people["erin"], body="Check the tense.")
    Edition.objects.filter(pk=in_review["edition"].pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(people["erin"])
    response = client.get(QUEUE)
    text = text_of(response)
    assert "Title of tram-line" in text
    assert "en → kk" in text
    assert "v2" in text
    assert "Alice Ali" in text
    assert "(late)" in text
    [review] = shown(response)
    assert review.open_comments == 1
    assert page_url(version) in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["kk-breaking", "kk-normal", "ru-normal"]),
        ("?edition__language__exact=ru", ["ru-normal"]),
        ("?edition__priority__exact=2", ["kk-breaking"]),
        ("?submitted_by__id__exact={ruslan}", ["ru-normal"]),
        ("?state=approved", ["kk-approved"]),
        ("?state=all", ["kk-breaking", "kk-normal", "ru-normal", "kk-approved"]),
    ],
)
def test_the_queue_filters_by_language_translator_priority_and_state(
    client, people, query, expected
):
    ruslan = translator("ruslan", pairs=[("en", "ru")], is_staff=True)
    made = {}
    for slug, language, priority, user in [
        ("kk-breaking", "kk", Priority.BREAKING, people["alice"]),
        ("kk-normal", "kk", Priority.NORMAL, people["alice"]),
        ("ru-normal", "ru", Priority.NORMAL, ruslan),
        ("kk-approved", "kk", Priority.NORMAL, people["alice"]),
    ]:
        article = article_with_paragraphs(count=1, slug=slug)
        edition = assign(edition_get_or_create(article=article, language=language), user)
        Edition.objects.filter(pk=edition.pk).update(priority=priority)
        made[slug] = submitted(user, edition)
    services.version_approve(version=made["kk-approved"], user=people["erin"])
    client.force_login(people["erin"])
    response = client.get(QUEUE + query.format(ruslan=ruslan.pk))
    assert response.status_code == 200
    assert [review.edition.article.slug for review in shown(response)] == expected


def test_the_queue_makes_the_same_number_of_queries_for_3_and_30_reviews(
    client, people, django_assert_num_queries
):
    def fill(count):
        for _n in range(count):
            edition = kazakh_edition(people)
            version = submitted(people["alice"], edition)
            comment_add(version=version, unit_key="p1", user=people["erin"], body="Why?")

    client.force_login(people["frank"])
    fill(3)
    with CaptureQueriesContext(connection) as queries:
        assert len(shown(client.get(QUEUE))) == 3
    fill(27)
    with django_assert_num_queries(len(queries)):
        assert len(shown(client.get(QUEUE))) == 30


# --- The queue at scale: pages, the capped count, the submitter filter --------------------


@pytest.fixture
def small_pages(monkeypatch):
    """Two reviews a page, counted no further than four: the paths a large queue takes."""
    from reviews.admin.paging import CappedPaginator
    from reviews.admin.review import ReviewAdmin

    monkeypatch.setattr(ReviewAdmin, "list_per_page", 2)
    monkeypatch.setattr(CappedPaginator, "cap", 4)


@pytest.fixture
def mixed_queue(people):
    """Six open reviews: two breaking, one urgent, three normal, each submitted an
    hour after the one before it, newest first in creation order."""
    now = timezone.now()
    plan = [
        ("normal-3", Priority.NORMAL),
        ("breaking-2", Priority.BREAKING),
        ("normal-2", Priority.NORMAL),
        ("urgent-1", Priority.URGENT),
        ("breaking-1", Priority.BREAKING),
        ("normal-1", Priority.NORMAL),
    ]
    for hours, (slug, priority) in enumerate(plan):
        edition = kazakh_edition(people, slug=slug, priority=priority)
        version = submitted(people["alice"], edition)
        Review.objects.filter(version=version).update(
            submitted_at=now - datetime.timedelta(hours=hours)
        )
    return ["breaking-1", "breaking-2", "urgent-1", "normal-1", "normal-2", "normal-3"]


def slugs_on(response):
    return [review.edition.article.slug for review in shown(response)]


def test_pages_of_a_long_queue_go_most_urgent_first_across_priorities(
    client, people, small_pages, mixed_queue
):
    client.force_login(people["erin"])
    pages = [client.get(QUEUE, {"p": number}) for number in (1, 2, 3)]
    assert [response.status_code for response in pages] == [200, 200, 200]
    # Page 2 starts in one priority and ends in the next; page 3 starts after
    # two priorities have ended.
    assert [slugs_on(response) for response in pages] == [
        mixed_queue[0:2],
        mixed_queue[2:4],
        mixed_queue[4:6],
    ]
    for review in shown(pages[2]):
        assert review.open_comments == 0 and review.version.number == 1


def test_the_queue_counts_comments_for_the_shown_reviews_only(
    client, people, small_pages, mixed_queue
):
    client.force_login(people["erin"])
    with CaptureQueriesContext(connection) as queries:
        assert slugs_on(client.get(QUEUE, {"p": 2})) == mixed_queue[2:4]
    counting = [q["sql"] for q in queries if '"reviews_comment"' in q["sql"]]
    assert counting and all('"reviews_review"."id" IN (' in sql for sql in counting)


def test_past_the_cap_the_queue_says_more_than_and_does_not_count_further(
    client, people, small_pages, mixed_queue
):
    client.force_login(people["erin"])
    response = client.get(QUEUE)
    changelist = response.context["cl"]
    assert changelist.capped and changelist.result_count == 5  # counted up to the cap + 1
    assert "More than 4 reviews" in text_of(response)
    assert not changelist.can_show_all
    # Filtered below the cap, the count is exact again.
    response = client.get(QUEUE, {"edition__priority__exact": Priority.BREAKING})
    assert not response.context["cl"].capped
    assert "2 reviews" in text_of(response)
    assert slugs_on(response) == mixed_queue[0:2]


def test_every_state_and_a_clicked_column_page_in_their_own_order(
    client, people, small_pages, mixed_queue
):
    decided = Review.objects.get(edition__article__slug="breaking-2").version
    services.version_approve(version=decided, user=people["erin"])
    client.force_login(people["erin"])
    every = [slugs_on(client.get(QUEUE, {"state": "all", "p": n})) for n in (1, 2, 3)]
    assert every == [mixed_queue[0:2], mixed_queue[2:4], mixed_queue[4:6]]
    assert slugs_on(client.get(QUEUE, {"state": "approved"})) == ["breaking-2"]
    # The "submitted" column (the fifth), newest first, across priorities.
    newest = [slugs_on(client.get(QUEUE, {"o": "-4", "p": n})) for n in (1, 2, 3)]
    assert newest == [["normal-3", "normal-2"], ["urgent-1", "breaking-1"], ["normal-1"]]
    # The priority column (the fourth), least urgent first, still oldest first within.
    calmest = [slugs_on(client.get(QUEUE, {"o": "-3", "p": n})) for n in (1, 2, 3)]
    assert calmest == [["normal-1", "normal-2"], ["normal-3", "urgent-1"], ["breaking-1"]]
    assert slugs_on(client.get(QUEUE, {"o": "3"})) == ["breaking-1", "urgent-1"]


def test_the_submitter_filter_offers_the_desks_translators_without_reading_reviews(client, people):
    ruslan = translator("ruslan", pairs=[("en", "ru")], is_staff=True, first_name="Ruslan",
                        last_name="Ra")  # fmt: skip
    translator("gone", pairs=[("en", "kk")], is_active=False)
    from tests.factories import UserFactory

    UserFactory(username="visitor", is_staff=True)
    client.force_login(people["erin"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    [spec] = [f for f in response.context["cl"].filter_specs if f.title == "submitted by"]
    # Nobody has submitted anything: the choices come from the desk, not the reviews.
    assert [label for _pk, label in spec.lookup_choices] == [
        "Alice Ali (en → kk, en → ru)",
        "Bob Bek (en → kk, en → ru)",
        "Ruslan Ra (en → ru)",
    ]
    assert not any("DISTINCT" in query["sql"] for query in queries)
    client.force_login(people["alice"])
    ruslan.language_pairs.all().delete()
    translator("ruslan", pairs=[("ru", "kk")])
    response = client.get(QUEUE)
    [spec] = [f for f in response.context["cl"].filter_specs if f.title == "submitted by"]
    # A translator is offered the colleagues of their own pairs.
    assert [label for _pk, label in spec.lookup_choices] == [
        "Alice Ali (en → kk, en → ru)",
        "Bob Bek (en → kk, en → ru)",
    ]


def test_the_queue_offers_no_facet_counts(client, people, in_review):
    """Each filter choice would be counted over every review of the archive."""
    client.force_login(people["erin"])
    response = client.get(QUEUE, {"_facets": "True"})
    assert response.status_code == 200
    assert not response.context["cl"].add_facets
    assert "Show counts" not in response.content.decode()


def test_a_submitter_that_is_no_number_is_refused_not_a_server_error(client, people):
    client.force_login(people["erin"])
    response = client.get(QUEUE, {"submitted_by__id__exact": "alice"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_a_translator_sees_the_reviews_of_their_own_editions_read_only(client, people, in_review):
    other = kazakh_edition(people, slug="someone-elses")
    Edition.objects.filter(pk=other.pk)  # noqa: B018  (kept: assigned to Alice below)
    ruslan = translator("ruslan", pairs=[("en", "ru")], is_staff=True)
    russian = assign(edition_get_or_create(article=other.article, language="ru"), ruslan)
    submitted(ruslan, russian)
    client.force_login(people["alice"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [review.edition for review in shown(response)] == [in_review["edition"]]
    model_admin = response.context["cl"].model_admin
    request = response.wsgi_request
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)


def test_someone_off_the_desk_cannot_open_the_queue(client, people):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="visitor", is_staff=True))
    assert client.get(QUEUE).status_code == 403


def test_a_reviews_change_page_leads_to_its_version_page(client, people, in_review):
    client.force_login(people["erin"])
    review = in_review["version"].review
    response = client.get(f"{QUEUE}{review.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == page_url(in_review["version"])


# --- The version page -------------------------------------------------------------------


def test_the_version_page_shows_source_text_and_both_diffs_per_paragraph(client, people, in_review):
    client.force_login(people["frank"])
    response = client.get(page_url(in_review["version"]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.key for row in rows] == ["title", "p1", "p2", "p3"]
    changed = rows[2]
    assert (changed.source, changed.text) == ("Paragraph 2.", "Екі жаңа 2.")
    assert changed.since_approved.base == in_review["first"]
    assert changed.since_approved.changed and not rows[1].since_approved.changed
    html = response.content.decode()
    assert "<ins> жаңа</ins>" in html
    assert "Since approved version 1" in html
    # The previous submission is the approved version: one diff, not the same twice.
    assert response.context["same_base"] and "Since version 1<" not in html
    assert "by Alice Ali" in html


def test_a_round_after_changes_requested_is_compared_with_both_bases(client, people):
    edition = kazakh_edition(people)
    first = submitted(people["alice"], edition, ["A 1.", "B 2.", "C 3."])
    services.version_approve(version=first, user=people["erin"])
    services.edition_reopen(edition=edition, user=people["alice"])
    second = submitted(
        people["alice"], Edition.objects.get(pk=edition.pk), ["A 1.", "B 2 two.", "C 3."]
    )
    services.version_request_changes(version=second, user=people["erin"], comment="p3 too")
    third = submitted(
        people["alice"], Edition.objects.get(pk=edition.pk), ["A 1.", "B 2 two.", "C 3 three."]
    )
    client.force_login(people["frank"])
    response = client.get(page_url(third))
    assert response.context["last_approved"] == first
    assert response.context["previous"] == second
    rows = {row.key: row for row in response.context["rows"]}
    assert rows["p2"].since_approved.changed and not rows["p2"].since_previous.changed
    assert rows["p3"].since_approved.changed and rows["p3"].since_previous.changed
    html = response.content.decode()
    assert "Since approved version 1" in html and "Since version 2" in html
    assert 'name="review-diff"' in html


def test_the_page_makes_a_constant_number_of_queries_for_3_and_300_paragraphs(
    client, people, django_assert_num_queries
):
    def version_with(count):
        edition = kazakh_edition(people, count=count)
        first = submitted(people["alice"], edition)
        services.version_approve(version=first, user=people["erin"])
        services.edition_reopen(edition=edition, user=people["alice"])
        texts = [f"Мәтін {n}." for n in range(1, count + 1)]
        version = submitted(people["alice"], Edition.objects.get(pk=edition.pk), texts)
        for key in ("p1", "p2"):
            comment_add(version=version, unit_key=key, user=people["erin"], body="Hm.")
            unit_check_set(version=version, unit_key=key, user=people["frank"], checked=True)
        return version

    small, large = version_with(3), version_with(300)
    client.force_login(people["frank"])
    client.get(page_url(small))  # the session and permission caches warm up alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(small))
    assert response.status_code == 200
    # Session and user 2, roles 2, four-eyes history 2, the admin's app list 2,
    # the QA report 3; the page's own reads 8 (version, assignees, bases,
    # writers, comments, checks, credits, the machine's drafts).
    assert len(queries) <= 19
    with django_assert_num_queries(len(queries)):
        response = client.get(page_url(large))
    assert len(response.context["rows"]) == 301


def test_approving_through_the_page_makes_the_version_live(client, people, in_review):
    client.force_login(people["frank"])
    response = client.post(
        page_url(in_review["version"], "decide"), {"decision": "approve", "comment": "Good."}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Version 2 is approved and live."]
    edition = Edition.objects.get(pk=in_review["edition"].pk)
    assert (edition.state, edition.live_version_id) == (
        EditionState.APPROVED,
        in_review["version"].pk,
    )


def test_request_changes_without_a_comment_is_refused_with_a_message(client, people, in_review):
    client.force_login(people["frank"])
    url = page_url(in_review["version"], "decide")
    response = client.post(url, {"decision": "request_changes", "comment": " "})
    assert response.status_code == 400
    assert "Say what should change: a comment is required." in messages_of(response)
    assert Edition.objects.get(pk=in_review["edition"].pk).state == EditionState.IN_REVIEW
    response = client.post(url, {"decision": "request_changes", "comment": "Paragraph 2: tense."})
    assert response.status_code == 302
    assert Edition.objects.get(pk=in_review["edition"].pk).state == EditionState.CHANGES_REQUESTED


def test_the_approve_button_is_absent_for_a_writer_and_a_forged_post_is_refused(client, people):
    edition = assign(kazakh_edition(people), people["erin"])
    translate_as(people["alice"], edition)
    version = submitted(people["erin"], Edition.objects.get(pk=edition.pk), ["X 1", "Y 2", "Z 3"])
    client.force_login(people["erin"])
    page = client.get(page_url(version))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="approve"' not in html
    assert 'value="request_changes"' in html
    assert FOUR_EYES in html
    response = client.post(page_url(version, "decide"), {"decision": "approve"})
    assert response.status_code == 403
    assert FOUR_EYES in messages_of(response)
    edition.refresh_from_db()
    assert (edition.state, edition.live_version) == (EditionState.IN_REVIEW, None)
    assert not AuditEntry.objects.filter(action="reviews.version.approve").exists()


def test_the_other_editor_sees_the_approve_button(client, people):
    version = submitted(people["alice"], kazakh_edition(people))
    client.force_login(people["frank"])
    html = client.get(page_url(version)).content.decode()
    assert 'value="approve"' in html
    assert FOUR_EYES not in html


def test_a_translator_reads_the_page_without_decisions_and_may_withdraw(client, people, in_review):
    client.force_login(people["alice"])
    html = client.get(page_url(in_review["version"])).content.decode()
    assert 'value="approve"' not in html and 'value="request_changes"' not in html
    assert 'value="withdraw"' in html
    assert 'name="checked"' not in html
    response = client.post(page_url(in_review["version"], "decide"), {"decision": "approve"})
    assert response.status_code == 403
    response = client.post(page_url(in_review["version"], "decide"), {"decision": "withdraw"})
    assert response.status_code == 302
    assert Edition.objects.get(pk=in_review["edition"].pk).state == EditionState.IN_PROGRESS


def test_a_translator_not_on_the_edition_cannot_open_its_version(client, people, in_review):
    client.force_login(people["bob"])
    assert client.get(page_url(in_review["version"])).status_code == 403


def test_deciding_a_version_someone_already_decided_says_who(client, people, in_review):
    services.version_approve(version=in_review["version"], user=people["erin"])
    client.force_login(people["frank"])
    response = client.post(
        page_url(in_review["version"], "decide"), {"decision": "request_changes", "comment": "x"}
    )
    assert response.status_code == 400
    [message] = messages_of(response)
    assert message == "This version is no longer waiting for review: Erin Ek approved it."


# --- Comments and checks through the page -------------------------------------------------


def test_comment_reply_and_resolve_through_the_page(client, people, in_review):
    version = in_review["version"]
    client.force_login(people["erin"])
    response = client.post(page_url(version, "comment"), {"unit_key": "p2", "body": "Tense?"})
    assert response.status_code == 302
    assert response["Location"].endswith("#unit-p2")
    comment = Comment.objects.get()
    client.force_login(people["alice"])
    client.post(page_url(version, "comment"), {"parent": comment.pk, "body": "Fixed next round."})
    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert (reply.parent, reply.unit_key, reply.author) == (comment, "p2", people["alice"])
    client.force_login(people["erin"])
    client.post(page_url(version, "resolve"), {"comment": comment.pk})
    comment.refresh_from_db()
    assert comment.resolved_by == people["erin"]
    page = client.get(page_url(version))
    [thread] = {row.key: row for row in page.context["rows"]}["p2"].threads
    assert thread.replies == [reply] and not thread.is_open


def test_an_empty_comment_is_refused_with_a_message(client, people, in_review):
    client.force_login(people["erin"])
    response = client.post(
        page_url(in_review["version"], "comment"), {"unit_key": "p2", "body": "   "}
    )
    assert messages_of(response) == ["Write something: the comment is empty."]
    assert not Comment.objects.exists()


def test_checks_through_the_page_count_n_of_m(client, people, in_review):
    version = in_review["version"]
    client.force_login(people["frank"])
    client.post(page_url(version, "check"), {"unit_key": "p1", "checked": "1"})
    response = client.post(
        page_url(version, "check"),
        {"unit_key": "p2", "checked": "1"},
        headers={"accept": "application/json"},
    )
    assert response.json() == {"checked": True, "count": 2, "total": 4}
    page = client.get(page_url(version))
    assert "2 of 4 checked" in text_of(page)
    client.post(page_url(version, "check"), {"unit_key": "p1", "checked": "0"})
    assert list(ParagraphCheck.objects.values_list("unit_key", flat=True)) == ["p2"]


def test_a_translator_cannot_mark_paragraphs_checked(client, people, in_review):
    client.force_login(people["alice"])
    response = client.post(
        page_url(in_review["version"], "check"),
        {"unit_key": "p1", "checked": "1"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 403
    assert "Only an editor" in response.json()["error"]
    assert not ParagraphCheck.objects.exists()


# --- Credits ---------------------------------------------------------------------------------


def credits_post(version, rows):
    """The credits form as posted: ``rows`` of field dicts, one per form."""
    data = {
        "credits-TOTAL_FORMS": str(len(rows)),
        "credits-INITIAL_FORMS": str(sum(1 for row in rows if row.get("contributor"))),
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"credits-{index}-{name}"] = value
    return data


def test_an_editor_corrects_a_name_and_adds_an_external_contributor_before_approving(
    client, people, in_review
):
    version = in_review["version"]
    alice = Contributor.objects.get(user=people["alice"])
    client.force_login(people["frank"])
    response = client.get(page_url(version))
    # Printed as the Kazakh page will print them, the approver as editor.
    translators, editors = response.context["credit_lines"]
    assert translators.endswith("Alice Ali") and editors.endswith("Frank Fox")
    data = credits_post(
        version,
        [
            {
                "contributor": alice.pk,
                "role": "translator",
                "order": "2",
                "name_en": "Alice Ali",
                "name_kk": "Әлия Әли",
                "name_ru": "",
            },
            {"name": "Saniya Sakenova", "role": "translator", "order": "1"},
        ],
    )
    response = client.post(page_url(version, "credits"), data)
    assert response.status_code == 302, messages_of(response)
    alice.refresh_from_db()
    assert alice.name_kk == "Әлия Әли"
    saniya = Contributor.objects.get(name_kk="Saniya Sakenova")
    assert saniya.user is None
    services.version_approve(version=version, user=people["frank"])
    credits = [
        (credit.contributor.name_in("kk"), credit.role)
        for credit in version.credits.select_related("contributor").order_by("role", "order")
    ]
    assert credits == [
        ("Frank Fox", "editor"),
        ("Saniya Sakenova", "translator"),
        ("Әлия Әли", "translator"),
    ]
    entry = AuditEntry.objects.get(action="reviews.credits.change")
    assert entry.actor == people["frank"]
    assert entry.data["renamed"] == {"Alice Ali": {"kk": "Әлия Әли"}}


def test_a_contributor_without_any_name_is_refused_and_nothing_changes(client, people, in_review):
    version = in_review["version"]
    alice = Contributor.objects.get(user=people["alice"])
    client.force_login(people["frank"])
    data = credits_post(
        version,
        [
            {
                "contributor": alice.pk,
                "role": "translator",
                "name_en": "",
                "name_kk": "",
                "name_ru": "",
            },
            {"name": "Someone New", "role": "translator"},
        ],
    )
    response = client.post(page_url(version, "credits"), data)
    assert response.status_code == 400
    assert "needs a name in at least one language" in response.content.decode()
    alice.refresh_from_db()
    assert alice.name_en == "Alice Ali"
    assert not Contributor.objects.filter(name_kk="Someone New").exists()
    assert not AuditEntry.objects.filter(action="reviews.credits.change").exists()


def test_credits_of_someone_not_credited_cannot_be_forged(client, people, in_review):
    stranger = ContributorFactory(name="Stranger")
    client.force_login(people["frank"])
    data = credits_post(
        in_review["version"],
        [{"contributor": stranger.pk, "role": "translator", "name_en": "Hijacked"}],
    )
    response = client.post(page_url(in_review["version"], "credits"), data)
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert stranger.name_en == "Stranger"


def test_a_translator_cannot_change_credits(client, people, in_review):
    client.force_login(people["alice"])
    data = credits_post(in_review["version"], [{"name": "Me Again", "role": "translator"}])
    response = client.post(page_url(in_review["version"], "credits"), data)
    assert response.status_code == 302
    assert messages_of(response) == [
        "Only an editor may change the credits of a version in review."
    ]
    assert not Contributor.objects.filter(name_kk="Me Again").exists()


def test_the_open_comment_count_ignores_resolved_threads(client, people, in_review):
    version = in_review["version"]
    first = comment_add(version=version, unit_key="p1", user=people["erin"], body="One")
    comment_add(version=version, unit_key="p1", user=people["erin"], body="Two")
    comment_add(version=version, unit_key="p1", user=people["alice"], body="Re", parent=first)
    Comment.objects.filter(pk=first.pk).update(resolved_at=timezone.now())
    client.force_login(people["erin"])
    [review] = shown(client.get(QUEUE))
    assert review.open_comments == 1
    assert Review.objects.get(version=version).state == ReviewState.OPEN


# --- QA issues from the aids app ---------------------------------------------------------


def test_qa_issues_show_on_their_paragraph_with_dismissals_and_reasons(client, people):
    from aids.services import check_dismiss

    edition = kazakh_edition(people)
    translate_as(people["alice"], edition, ["Бір 1.", "Бес.", "Үш  3."])
    check_dismiss(
        edition=Edition.objects.get(pk=edition.pk),
        unit_key="p2",
        check_id="numbers",
        reason="The source's 2 is a typo for 5.",
        user=people["alice"],
    )
    version = services.version_submit(
        edition=Edition.objects.get(pk=edition.pk), user=people["alice"]
    )
    client.force_login(people["frank"])
    response = client.get(page_url(version))
    rows = {row.key: row for row in response.context["rows"]}
    assert [issue.check_id for issue in rows["p2"].issues] == ["numbers"]
    assert rows["p2"].issues[0].dismissed
    assert [issue.check_id for issue in rows["p3"].issues] == ["whitespace"]
    assert rows["p1"].issues == []
    text = text_of(response)
    assert "dismissed: The source's 2 is a typo for 5." in text.replace("&#x27;", "'")
    assert "Double space" in text


def test_open_threads_of_an_earlier_round_follow_the_paragraph_into_the_next(client, people):
    edition = kazakh_edition(people)
    first = submitted(people["alice"], edition, ["Бір 1.", "Екі 2.", "Үш 3."])
    open_one = comment_add(version=first, unit_key="p2", user=people["erin"], body="Tense?")
    done = comment_add(version=first, unit_key="p3", user=people["erin"], body="Typo")
    Comment.objects.filter(pk=done.pk).update(resolved_at=timezone.now())
    services.version_request_changes(version=first, user=people["erin"], comment="See notes")
    second = submitted(
        people["alice"], Edition.objects.get(pk=edition.pk), ["Бір 1.", "Екі екі 2.", "Үш 3."]
    )
    client.force_login(people["erin"])
    page = client.get(page_url(second))
    rows = {row.key: row for row in page.context["rows"]}
    assert [thread.comment for thread in rows["p2"].threads] == [open_one]
    assert rows["p3"].threads == []
    assert "on version 1" in text_of(page)
    client.post(page_url(second, "comment"), {"parent": open_one.pk, "body": "Better now."})
    reply = Comment.objects.get(parent=open_one)
    assert (reply.version, reply.unit_key) == (first, "p2")
    client.post(page_url(second, "resolve"), {"comment": open_one.pk})
    open_one.refresh_from_db()
    assert open_one.resolved_by == people["erin"]
    assert client.get(page_url(second)).context["rows"][2].threads == []
