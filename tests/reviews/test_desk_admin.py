"""My work, claiming and assigning, and the edition page in the admin."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from reviews import services
from reviews.models import Assignment
from tests.factories import (
    UserFactory,
    article_with_paragraphs,
    assign,
    editor,
    publish,
    translate,
    translator,
)
from translations.models import AuditEntry, Edition, EditionState, Paragraph, Priority
from translations.services import edition_get_or_create

from .helpers import submitted, translate_as

pytestmark = pytest.mark.django_db
S = EditionState
MY_WORK = "/admin/translations/edition/"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def shown(response):
    """The editions on a My work page, in order."""
    return list(response.context["cl"].result_list)


def edition(article, language, **changes):
    found = edition_get_or_create(article=article, language=language)
    if changes:
        Edition.objects.filter(pk=found.pk).update(**changes)
        found.refresh_from_db()
    return found


@pytest.fixture
def people():
    return {
        "tina": translator("tina", pairs=[("en", "kk")], is_staff=True, first_name="Tina"),
        "ruslan": translator("ruslan", pairs=[("en", "ru")], is_staff=True),
        "erin": editor("erin", is_staff=True),
        "frank": editor("frank", is_staff=True),
    }


@pytest.fixture
def desk(people):
    mine = article_with_paragraphs(count=2, slug="tram-line")
    pool = article_with_paragraphs(count=2, slug="grain-harvest")
    other = article_with_paragraphs(count=2, slug="chess-final")
    return {
        **people,
        "mine": assign(edition(mine, "kk"), people["tina"]),
        "pool": edition(pool, "kk"),
        "someone_elses": assign(edition(other, "kk"), people["ruslan"]),
        "russian": edition(mine, "ru"),
        "source": edition(mine, "en"),
    }


def test_a_translator_sees_their_editions_and_the_pool_of_their_pairs_only(client, desk):
    client.force_login(desk["tina"])
    response = client.get(MY_WORK)
    assert response.status_code == 200
    assert set(shown(response)) == {desk["mine"], desk["pool"]}
    assert response.context["title"] == "My work"


def test_an_editor_sees_every_edition(client, desk):
    client.force_login(desk["erin"])
    response = client.get(MY_WORK)
    assert set(shown(response)) == set(Edition.objects.all())


def test_an_edition_off_a_translators_desk_is_not_found(client, desk):
    client.force_login(desk["tina"])
    response = client.get(f"{MY_WORK}{desk['russian'].pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert "doesn’t exist" in messages_of(response)[0]


def test_most_urgent_first_then_nearest_deadline_then_oldest(client, people):
    now = timezone.now()
    article = [article_with_paragraphs(count=1) for _n in range(6)]
    normal_late = edition(article[0], "kk", deadline=now + datetime.timedelta(days=3))
    normal_soon = edition(article[1], "kk", deadline=now + datetime.timedelta(days=1))
    normal_open = edition(article[2], "kk")
    urgent = edition(article[3], "kk", priority=Priority.URGENT)
    breaking = edition(article[4], "kk", priority=Priority.BREAKING)
    normal_open_newer = edition(article[5], "kk", created_at=now + datetime.timedelta(hours=1))
    client.force_login(people["erin"])
    assert shown(client.get(MY_WORK, {"language": "kk"})) == [
        breaking,
        urgent,
        normal_soon,
        normal_late,
        normal_open,
        normal_open_newer,
    ]


def test_an_overdue_deadline_is_highlighted_unless_approved(client, people):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    late = edition(article_with_paragraphs(count=1, slug="late"), "kk", deadline=yesterday)
    done = article_with_paragraphs(count=1, slug="done")
    translate(done, "kk")
    published = publish(done, "kk")
    Edition.objects.filter(pk=published.pk).update(deadline=yesterday)
    client.force_login(people["erin"])
    response = client.get(MY_WORK)
    rows = {edition.pk: edition for edition in shown(response)}
    assert rows[late.pk].is_overdue and not rows[published.pk].is_overdue
    assert response.content.decode().count('class="desk-overdue"') == 1
    assert "overdue" in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"assigned": "me"}, {"mine"}),
        ({"assigned": "pool"}, {"pool"}),
        ({"language": "kk"}, {"mine", "pool"}),
        ({"overdue": "yes"}, {"pool"}),
        ({"overdue": "no"}, {"mine"}),
        ({"priority": str(Priority.BREAKING)}, {"mine"}),
        ({"state": S.IN_PROGRESS}, {"mine"}),
        ({"q": "grain"}, {"pool"}),
        ({"q": "Қала трамвайы"}, {"mine"}),
    ],
)
def test_my_work_filters_and_search(client, desk, query, expected):
    Edition.objects.filter(pk=desk["pool"].pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    Edition.objects.filter(pk=desk["mine"].pk).update(
        priority=Priority.BREAKING, state=S.IN_PROGRESS
    )
    article = desk["mine"].article
    article.title_kk = "Қала трамвайы"
    article.save()
    client.force_login(desk["tina"])
    response = client.get(MY_WORK, query)
    assert {edition.pk for edition in shown(response)} == {desk[name].pk for name in expected}


def test_progress_and_outdated_counts(client, people):
    article = article_with_paragraphs(count=4)
    kk = edition(article, "kk")
    first, second, third, _fourth = article.paragraphs.order_by("position")
    for paragraph in (first, second, third):
        paragraph.text_kk = f"[kk] {paragraph.key}"
        paragraph.source_revision_kk = 1
    first.revision_en = 2  # the source changed after the translation
    Paragraph.objects.bulk_update(
        [first, second, third], ["text_kk", "source_revision_kk", "revision_en"]
    )
    ru = edition(article, "ru")
    client.force_login(people["erin"])
    response = client.get(MY_WORK)
    rows = {edition.pk: edition for edition in shown(response)}
    assert (rows[kk.pk].translated_count, rows[kk.pk].paragraph_count) == (3, 4)
    assert rows[kk.pk].outdated_count == 1
    assert (rows[ru.pk].translated_count, rows[ru.pk].outdated_count) == (0, 0)
    assert "3 / 4" in response.content.decode()


def test_an_outdated_title_counts_as_outdated(client, people):
    article = article_with_paragraphs(count=1)
    translate(article, "kk")
    edition(article, "kk")
    article.revision_en = 2
    article.save()
    client.force_login(people["erin"])
    (row,) = shown(client.get(MY_WORK))
    assert row.outdated_count == 1


@pytest.mark.parametrize("user", ["tina", "erin"])
def test_my_work_queries_do_not_grow_with_the_rows(client, people, user, django_assert_num_queries):
    def add(count):
        for number in range(count):
            kk = edition(article_with_paragraphs(count=3), "kk")
            if number % 2:
                assign(kk, people["tina"])

    add(3)
    client.force_login(people[user])
    with CaptureQueriesContext(connection) as queries:
        assert len(shown(client.get(MY_WORK))) == 3
    add(27)
    client.force_login(people[user])
    with django_assert_num_queries(len(queries)):
        assert len(shown(client.get(MY_WORK))) == 30


@pytest.fixture
def small_pages(monkeypatch):
    """Two editions a page, counted no further than three: the paths the archive takes."""
    from reviews.admin.editions import EditionAdmin
    from reviews.admin.paging import CappedPaginator

    monkeypatch.setattr(EditionAdmin, "list_per_page", 2)
    monkeypatch.setattr(CappedPaginator, "cap", 3)


def test_past_the_cap_my_work_says_more_than_and_pages_in_order(client, people, small_pages):
    now = timezone.now()
    made = [
        edition(
            article_with_paragraphs(count=2, slug=f"archive-{n}"),
            "kk",
            created_at=now + datetime.timedelta(hours=n),
        )
        for n in range(5)
    ]
    client.force_login(people["erin"])
    first = client.get(MY_WORK)
    changelist = first.context["cl"]
    assert changelist.capped and changelist.result_count == 4
    page = first.content.decode()
    assert "More than 3 editions" in page
    assert "Select all editions (more than 3)" in page and "Select all 4" not in page
    second = client.get(MY_WORK, {"p": 2})
    assert shown(first) + shown(second) == made[:4]
    # A page chosen past the first still carries its counts.
    assert [row.paragraph_count for row in shown(second)] == [2, 2]
    # Filtered below the cap, the count is exact again.
    narrowed = client.get(MY_WORK, {"q": "archive-3"})
    assert not narrowed.context["cl"].capped and shown(narrowed) == [made[3]]
    assert "1 edition" in narrowed.content.decode()


def test_my_work_counts_paragraphs_for_the_shown_editions_only(client, people, small_pages):
    for _n in range(5):
        edition(article_with_paragraphs(count=2), "kk")
    client.force_login(people["erin"])
    with CaptureQueriesContext(connection) as queries:
        assert len(shown(client.get(MY_WORK, {"p": 2}))) == 2
    counting = [q["sql"] for q in queries if '"translations_paragraph"' in q["sql"]]
    assert counting and all('"translations_edition"."id" IN (' in sql for sql in counting)


def test_my_work_offers_no_facet_counts(client, desk):
    """Each filter choice would be counted over every edition of the archive."""
    client.force_login(desk["erin"])
    response = client.get(MY_WORK, {"_facets": "True"})
    assert response.status_code == 200
    assert not response.context["cl"].add_facets
    assert "Show counts" not in response.content.decode()


def test_my_work_makes_as_many_queries_on_a_later_page_as_on_the_first(
    client, people, small_pages, django_assert_num_queries
):
    for _n in range(5):
        assign(edition(article_with_paragraphs(count=2), "kk"), people["tina"])
    client.force_login(people["tina"])
    client.get(MY_WORK)
    with CaptureQueriesContext(connection) as queries:
        assert len(shown(client.get(MY_WORK))) == 2
    with django_assert_num_queries(len(queries)):
        assert len(shown(client.get(MY_WORK, {"p": 2}))) == 2


def test_claim_button_puts_a_pool_edition_on_the_translators_desk(client, desk):
    client.force_login(desk["tina"])
    listing = client.get(MY_WORK).content.decode()
    claim_url = reverse("admin:translations_edition_claim", args=[desk["pool"].pk])
    assert f'formaction="{claim_url}"' in listing
    response = client.post(claim_url, {"next": MY_WORK + "?assigned=me"})
    assert response.status_code == 302 and response.url == MY_WORK + "?assigned=me"
    assert Assignment.objects.filter(edition=desk["pool"], user=desk["tina"]).exists()
    assert "You are now working on" in messages_of(response)[0]


def test_claiming_what_someone_else_just_claimed_is_a_message(client, desk):
    ally = translator("ally", pairs=[("en", "kk")], is_staff=True)
    client.force_login(ally)
    assert desk["pool"] in shown(client.get(MY_WORK))
    services.edition_claim(edition=desk["pool"], user=desk["tina"])
    response = client.post(reverse("admin:translations_edition_claim", args=[desk["pool"].pk]))
    assert response.status_code == 302 and response.url == MY_WORK
    assert "not on your desk (any more)" in messages_of(response)[0]
    assert not Assignment.objects.filter(edition=desk["pool"], user=ally).exists()


def test_a_refused_claim_becomes_a_message(client, desk):
    client.force_login(desk["tina"])
    response = client.post(reverse("admin:translations_edition_claim", args=[desk["mine"].pk]))
    assert "Someone else has picked this edition up already" in messages_of(response)[0]
    assert Assignment.objects.filter(edition=desk["mine"]).count() == 1


def test_claim_action_claims_the_selected_pool_editions(client, desk):
    client.force_login(desk["tina"])
    response = client.post(
        MY_WORK,
        {"action": "claim_selected", "_selected_action": [desk["pool"].pk, desk["mine"].pk]},
    )
    texts = messages_of(response)
    assert Assignment.objects.filter(edition=desk["pool"], user=desk["tina"]).exists()
    assert any("Someone else has picked this edition up" in text for text in texts)
    assert "You are now working on 1 edition." in texts


def test_editors_have_no_claim_action_and_translators_no_assign_action(client, desk):
    client.force_login(desk["erin"])
    actions = dict(client.get(MY_WORK).context["action_form"].fields["action"].choices)
    assert "assign_selected" in actions and "claim_selected" not in actions
    client.force_login(desk["tina"])
    actions = dict(client.get(MY_WORK).context["action_form"].fields["action"].choices)
    assert "claim_selected" in actions and "assign_selected" not in actions


def test_assign_page_offers_only_translators_of_the_editions_pair(client, desk):
    client.force_login(desk["erin"])
    url = reverse("admin:translations_edition_assign") + f"?ids={desk['pool'].pk}"
    offered = set(client.get(url).context["form"].fields["users"].queryset)
    assert offered == {desk["tina"]}
    url = reverse("admin:translations_edition_assign") + f"?ids={desk['russian'].pk}"
    assert set(client.get(url).context["form"].fields["users"].queryset) == {desk["ruslan"]}


def test_assign_sets_translators_deadline_and_priority(client, desk):
    other = translator("olga", pairs=[("en", "kk")], is_staff=True)
    client.force_login(desk["erin"])
    url = reverse("admin:translations_edition_assign") + f"?ids={desk['pool'].pk}"
    response = client.post(
        url,
        {
            "users": [desk["tina"].pk, other.pk],
            "deadline": "2030-05-01T18:30",
            "priority": str(Priority.URGENT),
        },
    )
    assert response.status_code == 302
    pool = Edition.objects.get(pk=desk["pool"].pk)
    assert set(pool.assignments.values_list("user__username", flat=True)) == {"tina", "olga"}
    assert pool.priority == Priority.URGENT
    assert timezone.localtime(pool.deadline).strftime("%Y-%m-%d %H:%M") == "2030-05-01 18:30"
    assert "Assigned 1 edition(s) to" in messages_of(response)[0]
    assert AuditEntry.objects.filter(action="reviews.edition.assign", edition=pool).exists()


def test_assign_action_opens_the_assignment_page_for_the_selection(client, desk):
    client.force_login(desk["erin"])
    response = client.post(
        MY_WORK,
        {"action": "assign_selected", "_selected_action": [desk["pool"].pk, desk["mine"].pk]},
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert set(page.context["editions"]) == {desk["pool"], desk["mine"]}


def test_a_refused_assignment_becomes_a_message_and_assigns_nobody(client, desk):
    client.force_login(desk["tina"])  # a translator may not assign
    url = reverse("admin:translations_edition_assign") + f"?ids={desk['pool'].pk}"
    response = client.post(url, {"users": [desk["tina"].pk]})
    assert response.status_code == 200
    assert "You may not do this on this edition now." in messages_of(response)
    assert not Assignment.objects.filter(edition=desk["pool"]).exists()


def test_assigning_several_editions_is_all_or_nothing(client, desk):
    client.force_login(desk["erin"])
    ids = f"{desk['pool'].pk},{desk['russian'].pk}"
    url = reverse("admin:translations_edition_assign") + f"?ids={ids}"
    # Nobody translates both en → kk and en → ru here, so nobody is offered.
    assert not client.get(url).context["form"].fields["users"].queryset.exists()
    response = client.post(url, {"users": [desk["tina"].pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["users"]
    assert not Assignment.objects.filter(edition=desk["pool"]).exists()


def test_the_edition_page_shows_the_timeline(client, desk):
    version = submitted(desk["tina"], desk["mine"], ["Бір", "Екі"])
    services.version_request_changes(version=version, user=desk["erin"], comment="Check the date.")
    client.force_login(desk["tina"])
    response = client.get(f"{MY_WORK}{desk['mine'].pk}/change/")
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert [entry.action for entry in timeline] == [
        "reviews.edition.start",
        "reviews.version.submit",
        "reviews.version.request_changes",
    ]
    page = response.content.decode()
    assert "Submitted for review" in page and "In review → Changes requested" in page
    assert "Check the date." in page and desk["erin"].get_full_name() in page
    assert "Бір" in page  # the working copy, read-only
    assert 'name="_save"' not in page


def test_the_edition_page_offers_reopen_to_an_editor_and_it_reopens(client, desk):
    version = submitted(desk["tina"], desk["mine"])
    services.version_approve(version=version, user=desk["erin"])
    client.force_login(desk["frank"])
    page = client.get(f"{MY_WORK}{desk['mine'].pk}/change/")
    reopen = reverse("admin:translations_edition_reopen", args=[desk["mine"].pk])
    assert reopen in [action["url"] for action in page.context["desk_actions"]]
    response = client.post(reopen, {"comment": "Wrong figure in paragraph 2."})
    mine = Edition.objects.get(pk=desk["mine"].pk)
    assert mine.state == S.IN_PROGRESS and mine.live_version_id == version.pk
    assert "is open for a correction" in messages_of(response)[0]
    entry = AuditEntry.objects.get(action="reviews.edition.reopen")
    assert entry.comment == "Wrong figure in paragraph 2."


def test_a_refused_reopen_becomes_a_message(client, desk):
    client.force_login(desk["tina"])
    response = client.post(reverse("admin:translations_edition_reopen", args=[desk["mine"].pk]))
    assert response.status_code == 302
    assert messages_of(response) == ["You may not do this on this edition now."]
    assert Edition.objects.get(pk=desk["mine"].pk).state == S.NOT_STARTED


def test_the_translator_withdraws_a_submission_from_the_edition_page(client, desk):
    submitted(desk["tina"], desk["mine"])
    client.force_login(desk["tina"])
    page = client.get(f"{MY_WORK}{desk['mine'].pk}/change/")
    withdraw = reverse("admin:translations_edition_withdraw", args=[desk["mine"].pk])
    assert withdraw in [action["url"] for action in page.context["desk_actions"]]
    client.post(withdraw)
    assert Edition.objects.get(pk=desk["mine"].pk).state == S.IN_PROGRESS


def test_buttons_are_posts_only(client, desk):
    client.force_login(desk["tina"])
    response = client.get(reverse("admin:translations_edition_claim", args=[desk["pool"].pk]))
    assert response.status_code == 405
    assert not Assignment.objects.filter(edition=desk["pool"]).exists()


def test_editions_are_not_added_changed_or_deleted_in_the_admin(client, desk):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(f"{MY_WORK}add/").status_code == 403
    assert client.get(f"{MY_WORK}{desk['pool'].pk}/delete/").status_code == 403
    client.post(f"{MY_WORK}{desk['pool'].pk}/change/", {"state": S.APPROVED})
    assert Edition.objects.get(pk=desk["pool"].pk).state == S.NOT_STARTED


def test_the_list_links_to_the_editor(client, desk):
    try:
        url = reverse("admin:translations_edition_editor", args=[desk["mine"].pk])
    except NoReverseMatch:
        pytest.skip("the editor page is not installed")
    translate_as(desk["tina"], desk["mine"])
    client.force_login(desk["tina"])
    assert f'href="{url}"' in client.get(MY_WORK).content.decode()


def test_editors_keep_working_language_pairs_up_to_date(client, people):
    client.force_login(people["erin"])
    response = client.post(
        "/admin/reviews/languagepair/add/",
        {"user": people["ruslan"].pk, "source_language": "ru", "target_language": "kk"},
    )
    assert response.status_code == 302
    assert people["ruslan"].language_pairs.filter(source_language="ru").exists()
    client.force_login(people["tina"])
    response = client.post(
        "/admin/reviews/languagepair/add/",
        {"user": people["tina"].pk, "source_language": "ru", "target_language": "kk"},
    )
    assert response.status_code == 403
