import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from reviews import services
from reviews.models import Review, ReviewState, UnitEdit
from reviews.workflow import (
    TRANSITIONS,
    Move,
    Permission,
    edition_actions,
    next_state,
    version_actions,
)
from tests.factories import (
    UserFactory,
    article_with_paragraphs,
    assign,
    editor,
    publish,
    translator,
)
from translations.models import AuditEntry, Edition, EditionState
from translations.services import edition_get_or_create

from .helpers import rows_for, submitted, translate_as

pytestmark = pytest.mark.django_db
S = EditionState


@pytest.fixture
def desk():
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice")
    assign(edition, alice)
    return {
        "article": article,
        "edition": edition,
        "alice": alice,
        "bob": translator("bob"),
        "erin": editor("erin"),
        "frank": editor("frank"),
    }


@pytest.mark.parametrize(
    "state, move, expected",
    [
        (S.NOT_STARTED, Move.SUBMIT, S.IN_REVIEW),
        (S.IN_PROGRESS, Move.SUBMIT, S.IN_REVIEW),
        (S.CHANGES_REQUESTED, Move.SUBMIT, S.IN_REVIEW),
        (S.IN_REVIEW, Move.WITHDRAW, S.IN_PROGRESS),
        (S.IN_REVIEW, Move.APPROVE, S.APPROVED),
        (S.IN_REVIEW, Move.REQUEST_CHANGES, S.CHANGES_REQUESTED),
        (S.APPROVED, Move.REOPEN, S.IN_PROGRESS),
        (S.IN_REVIEW, Move.SUBMIT, None),
        (S.APPROVED, Move.SUBMIT, None),
        (S.NOT_STARTED, Move.APPROVE, None),
        (S.IN_PROGRESS, Move.APPROVE, None),
        (S.CHANGES_REQUESTED, Move.APPROVE, None),
        (S.IN_PROGRESS, Move.WITHDRAW, None),
        (S.IN_PROGRESS, Move.REOPEN, None),
        (S.CHANGES_REQUESTED, Move.REQUEST_CHANGES, None),
    ],
)
def test_transition_table(state, move, expected):
    assert next_state(state, move) == expected


def test_every_transition_leads_to_a_known_state():
    assert {target for target in TRANSITIONS.values()} <= set(S.values)


def test_the_first_save_starts_the_edition_and_is_recorded(desk):
    report = translate_as(desk["alice"], desk["edition"])
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert len(report.saved) == 4
    assert edition.state == S.IN_PROGRESS
    assert UnitEdit.objects.filter(edition=edition, user=desk["alice"]).count() == 4
    assert AuditEntry.objects.filter(action="reviews.edition.start", edition=edition).exists()


def test_submit_snapshots_the_working_copy_and_opens_one_review(desk):
    version = submitted(desk["alice"], desk["edition"], ["Бір 1.", "Екі 2.", "Үш 3."])
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert edition.state == S.IN_REVIEW
    assert version.number == 1
    assert [u["text"] for u in version.paragraphs] == ["Бір 1.", "Екі 2.", "Үш 3."]
    assert {u["author"] for u in version.units} == {desk["alice"].pk}
    review = Review.objects.get(version=version)
    assert review.state == ReviewState.OPEN
    assert [(c.contributor.user, c.role) for c in version.credits.all()] == [
        (desk["alice"], "translator")
    ]
    entry = AuditEntry.objects.get(action="reviews.version.submit")
    assert (entry.actor, entry.from_state, entry.to_state, entry.version) == (
        desk["alice"],
        S.IN_PROGRESS,
        S.IN_REVIEW,
        version,
    )


def test_untranslated_paragraphs_block_submission_with_a_message(desk):
    rows = rows_for(desk["edition"])[:2]  # title and first paragraph only
    services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows)
    with pytest.raises(ValidationError) as error:
        services.version_submit(edition=desk["edition"], user=desk["alice"])
    assert "Not translated yet: Paragraph 2, Paragraph 3." in error.value.messages
    assert not desk["edition"].versions.exists()


def test_outdated_paragraphs_block_submission_until_confirmed(desk):
    translate_as(desk["alice"], desk["edition"])
    source = edition_get_or_create(article=desk["article"], language="en")
    paragraph = desk["article"].paragraphs.get(position=2)
    assign(source, desk["erin"])
    Edition.objects.filter(pk=source.pk).update(state=S.IN_PROGRESS)
    services.units_save(
        edition=source,
        user=desk["erin"],
        rows=[services.RowInput(key=paragraph.key, text="Paragraph 2, changed.", revision=1)],
    )
    with pytest.raises(ValidationError) as error:
        services.version_submit(edition=desk["edition"], user=desk["alice"])
    assert "The source changed since these were translated: Paragraph 2." in error.value.messages
    paragraph.refresh_from_db()
    services.units_save(
        edition=desk["edition"],
        user=desk["alice"],
        rows=[
            services.RowInput(
                key=paragraph.key, text="", revision=paragraph.revision_kk, confirm=True
            )
        ],
    )
    assert services.version_submit(edition=desk["edition"], user=desk["alice"]).number == 1


def test_approve_makes_exactly_that_version_live_with_credits(desk):
    version = submitted(desk["alice"], desk["edition"])
    services.version_approve(version=version, user=desk["erin"], comment="Good.")
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert edition.state == S.APPROVED
    assert edition.live_version_id == version.pk
    version.refresh_from_db()
    assert version.approved_by == desk["erin"]
    assert [(c.contributor.user, c.role) for c in version.credits.order_by("role", "order")] == [
        (desk["erin"], "editor"),
        (desk["alice"], "translator"),
    ]
    assert Review.objects.get(version=version).state == ReviewState.APPROVED


def test_nobody_approves_their_own_submission(desk):
    version = submitted(desk["erin"], assign(desk["edition"], desk["erin"]))
    with pytest.raises(PermissionDenied, match="another editor must approve"):
        services.version_approve(version=version, user=desk["erin"])
    assert Edition.objects.get(pk=desk["edition"].pk).live_version is None


def test_an_editor_who_edited_one_paragraph_cannot_approve(desk):
    translate_as(desk["alice"], desk["edition"])
    first = desk["article"].paragraphs.get(position=1)
    first.refresh_from_db()
    services.units_save(
        edition=desk["edition"],
        user=desk["erin"],
        rows=[services.RowInput(key=first.key, text="Түзетілді 1.", revision=first.revision_kk)],
    )
    # Alice rewrites it again: Erin's words are gone, but Erin edited this round.
    first.refresh_from_db()
    services.units_save(
        edition=desk["edition"],
        user=desk["alice"],
        rows=[services.RowInput(key=first.key, text="Бірінші 1.", revision=first.revision_kk)],
    )
    version = services.version_submit(edition=desk["edition"], user=desk["alice"])
    assert Move.APPROVE not in version_actions(version=version, user=desk["erin"])
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, user=desk["erin"])
    services.version_approve(version=version, user=desk["frank"])


@override_settings(TILMASH_ALLOW_SELF_APPROVAL=True)
def test_self_approval_setting_allows_it_and_audits_it(desk):
    version = submitted(desk["erin"], assign(desk["edition"], desk["erin"]))
    services.version_approve(version=version, user=desk["erin"])
    entry = AuditEntry.objects.get(action="reviews.version.approve")
    assert entry.data["self_approval"] is True


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_translators_cannot_approve(desk, who):
    version = submitted(desk["alice"], desk["edition"])
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, user=desk[who])


def test_request_changes_needs_a_comment_and_sends_it_back(desk):
    version = submitted(desk["alice"], desk["edition"])
    with pytest.raises(ValidationError, match="comment is required"):
        services.version_request_changes(version=version, user=desk["erin"], comment="  ")
    services.version_request_changes(version=version, user=desk["erin"], comment="Fix p2.")
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert edition.state == S.CHANGES_REQUESTED
    assert Permission.EDIT in edition_actions(edition=edition, user=desk["alice"])
    second = submitted(desk["alice"], edition, ["A 1.", "B 2.", "C 3."])
    assert second.number == 2


def test_withdraw_before_a_decision_and_not_after(desk):
    version = submitted(desk["alice"], desk["edition"])
    services.version_withdraw(version=version, user=desk["alice"])
    assert Edition.objects.get(pk=desk["edition"].pk).state == S.IN_PROGRESS
    with pytest.raises(ValidationError, match="no longer waiting for review"):
        services.version_approve(version=version, user=desk["erin"])


def test_reopen_keeps_the_live_version_until_a_newer_one_is_approved(desk):
    first = submitted(desk["alice"], desk["edition"])
    services.version_approve(version=first, user=desk["erin"])
    services.edition_reopen(edition=desk["edition"], user=desk["alice"], comment="Typo")
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert (edition.state, edition.live_version_id) == (S.IN_PROGRESS, first.pk)
    second = submitted(desk["alice"], edition, ["X 1.", "Y 2.", "Z 3."])
    assert Edition.objects.get(pk=edition.pk).live_version_id == first.pk
    services.version_approve(version=second, user=desk["frank"])
    assert Edition.objects.get(pk=edition.pk).live_version_id == second.pk


def test_the_working_copy_is_locked_while_in_review(desk):
    submitted(desk["alice"], desk["edition"])
    with pytest.raises(PermissionDenied):
        translate_as(desk["alice"], Edition.objects.get(pk=desk["edition"].pk))


def test_at_most_one_open_review_per_edition_in_the_database(desk):
    version = submitted(desk["alice"], desk["edition"])
    from translations.services import version_snapshot

    other = version_snapshot(edition=desk["edition"], user=desk["alice"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(edition=desk["edition"], version=other, submitted_by=desk["alice"])
    assert Review.objects.filter(edition=desk["edition"]).count() == 1
    assert version.review.state == ReviewState.OPEN


@pytest.mark.parametrize(
    "who, expected",
    [
        ("alice", {Permission.VIEW, Permission.EDIT, Move.SUBMIT}),
        ("bob", set()),  # same languages, but the edition is taken: not his
        (
            "erin",
            {
                Permission.VIEW,
                Permission.EDIT,
                Move.SUBMIT,
                Permission.ASSIGN,
                Permission.PRETRANSLATE,
            },
        ),
        ("stranger", set()),
    ],
)
def test_actions_on_an_assigned_edition(desk, who, expected):
    user = desk.get(who) or UserFactory(username=who)
    assert edition_actions(edition=desk["edition"], user=user) == expected


def test_the_pool_is_offered_only_in_the_translators_pairs():
    article = article_with_paragraphs(count=1)
    kk = edition_get_or_create(article=article, language="kk")
    ru = edition_get_or_create(article=article, language="ru")
    only_kk = translator("dana", pairs=[("en", "kk")])
    assert Permission.CLAIM in edition_actions(edition=kk, user=only_kk)
    assert edition_actions(edition=ru, user=only_kk) == set()
    services.edition_claim(edition=kk, user=only_kk)
    assert Permission.EDIT in edition_actions(edition=kk, user=only_kk)


def test_assigning_a_translator_outside_their_pairs_is_refused(desk):
    ru_only = translator("ruslan", pairs=[("en", "ru")])
    with pytest.raises(ValidationError, match="does not translate en → kk"):
        services.edition_assign(edition=desk["edition"], users=[ru_only], by=desk["erin"])
    with pytest.raises(PermissionDenied):
        services.edition_assign(edition=desk["edition"], users=[desk["bob"]], by=desk["alice"])


def test_save_conflict_keeps_both_texts_and_saves_the_other_rows(desk):
    rows_alice = rows_for(desk["edition"])
    rows_bob = rows_for(desk["edition"], ["B1", "B2", "B3"])
    assign(desk["edition"], desk["bob"])
    services.units_save(edition=desk["edition"], user=desk["bob"], rows=rows_bob[2:3])
    report = services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows_alice)
    assert [r.key for r in report.conflicts] == [rows_alice[2].key]
    conflict = report.conflicts[0]
    assert (conflict.mine, conflict.theirs) == (rows_alice[2].text, "B2")
    assert len(report.saved) == 3
    paragraph = desk["article"].paragraphs.get(key=rows_alice[2].key)
    assert paragraph.text_kk == "B2"


def test_oversize_text_refuses_the_whole_save(desk, settings):
    settings.TILMASH_MAX_PARAGRAPH_CHARS = 50
    rows = rows_for(desk["edition"], ["ok", "x" * 51, "ok"])
    with pytest.raises(ValidationError, match="limit is 50"):
        services.units_save(edition=desk["edition"], user=desk["alice"], rows=rows)
    assert not desk["article"].paragraphs.exclude(text_kk=None).exclude(text_kk="").exists()


def test_check_errors_block_submission_naming_the_paragraph(desk):
    translate_as(desk["alice"], desk["edition"], ["Бір 1.", "Екі 20.", "Үш 3."])
    with pytest.raises(ValidationError) as error:
        services.version_submit(edition=desk["edition"], user=desk["alice"])
    [problem] = error.value.messages
    assert problem.startswith("Paragraph 2: ")
    assert "dismiss the check with a reason" in problem


def test_an_import_cannot_publish_past_an_open_review(desk):
    from translations.importing import ArticleImportError, article_import

    version = submitted(desk["alice"], desk["edition"])
    article = desk["article"]
    texts = "\n\n".join(f"Аударма {n}." for n in range(1, 4))
    data = f"Тақырып\n\n07.01.2022, 15:23\n\n{texts}\n".encode()
    with pytest.raises(ArticleImportError, match="in review"):
        article_import(
            data=data, language="kk", publish=True, article_slug=article.slug, user=desk["alice"]
        )
    edition = Edition.objects.get(pk=desk["edition"].pk)
    assert (edition.state, edition.live_version) == (S.IN_REVIEW, None)
    services.version_approve(version=version, user=desk["erin"])
    assert Edition.objects.get(pk=edition.pk).live_version_id == version.pk


def test_approval_follows_the_transition_table_even_with_an_open_review(desk):
    version = submitted(desk["alice"], desk["edition"])
    # A state written behind the workflow's back (a script, an old import):
    Edition.objects.filter(pk=desk["edition"].pk).update(state=S.IN_PROGRESS)
    with pytest.raises(ValidationError, match="not in review"):
        services.version_approve(version=version, user=desk["erin"])
    assert Edition.objects.get(pk=desk["edition"].pk).live_version is None
