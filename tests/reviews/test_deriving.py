"""The Latin-script Kazakh edition, derived from the live Cyrillic one and reviewed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aids.models import GlossaryTerm
from reviews import services
from reviews.admin.editions.forms import people_for
from reviews.models import Review, ReviewState
from reviews.services import deriving
from reviews.workflow import editions_visible_to, in_pool_of
from tests.factories import article_with_paragraphs, assign, editor, publish, translator
from translations.importing import article_import
from translations.models import Article, AuditEntry, Contributor, Edition, EditionState
from translations.services import edition_get_or_create, edition_start

from .helpers import translate_as

pytestmark = pytest.mark.django_db

ENGLISH = [
    "The address of the Head of State Tokayev was shown on television.",
    "A parade was held on the circus square.",
    "A new school opened in East Kazakhstan.",
]
KAZAKH = [
    "Мемлекет басшысы Тоқаевтың үндеуі теледидардан көрсетілді.",
    "Цирк алаңында шеру өтті.",
    "Шығыс Қазақстан облысында жаңа мектеп ашылды.",
]
LATIN = [
    "Memleket basşysy Toqaevtyñ ündeuı teledidardan körsetıldı.",
    "Tsirk alañynda şeru öttı.",
    "Şyğys Qazaqstan oblysynda jaña mektep aşyldy.",
]


@pytest.fixture(autouse=True)
def _deriving(settings):
    settings.TILMASH_DERIVE_EDITIONS = True


@pytest.fixture
def desk():
    article = article_with_paragraphs(texts=ENGLISH, title="The address")
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice", pairs=[("en", "kk")])
    assign(edition, alice)
    return {
        "article": article,
        "kk": edition,
        "alice": alice,
        "erin": editor("erin", is_staff=True),
        "frank": editor("frank", is_staff=True),
    }


def approve_kazakh(desk, *, by="erin", texts=KAZAKH, title="Үндеу"):
    translate_as(desk["alice"], desk["kk"], texts, title=title)
    version = services.version_submit(
        edition=Edition.objects.get(pk=desk["kk"].pk), user=desk["alice"]
    )
    return services.version_approve(version=version, user=desk[by])


def latin_edition(article):
    return Edition.objects.get(article=article, language="kk-latn")


def test_approving_kazakh_puts_a_transliterated_latin_version_in_review(desk):
    kk_version = approve_kazakh(desk)
    latin = latin_edition(desk["article"])
    assert latin.state == EditionState.IN_REVIEW
    assert latin.live_version is None  # nothing public until it is approved
    version = latin.versions.get()
    assert version.title == "Ündeu"
    assert [unit["text"] for unit in version.paragraphs] == LATIN
    review = Review.objects.get(version=version)
    assert review.state == ReviewState.OPEN and review.submitted_by == desk["erin"]
    entry = AuditEntry.objects.get(version=version, action="reviews.version.derive")
    assert entry.data["from_version"] == kk_version.pk
    circus = version.paragraphs[1]
    [[start, end, reason]] = entry.data["unsure"][circus["key"]]
    assert (circus["text"][start:end], reason) == ("Tsirk", "loanword")


def test_the_kazakh_approver_may_not_approve_the_latin_version_another_editor_may(desk):
    approve_kazakh(desk)
    version = latin_edition(desk["article"]).versions.get()
    with pytest.raises(PermissionDenied, match="another editor must approve it"):
        services.version_approve(version=version, user=desk["erin"])
    services.version_approve(version=version, user=desk["frank"])
    latin = latin_edition(desk["article"])
    assert latin.state == EditionState.APPROVED and latin.live_version_id == version.pk


def test_a_newer_kazakh_approval_supersedes_the_latin_version_in_review(desk):
    approve_kazakh(desk)
    first = latin_edition(desk["article"]).versions.get()
    services.edition_reopen(edition=desk["kk"], user=desk["erin"])
    approve_kazakh(desk, by="frank", texts=[*KAZAKH[:2], "Жаңа мәтін."])
    latin = latin_edition(desk["article"])
    assert latin.state == EditionState.IN_REVIEW
    assert Review.objects.get(version=first).state == ReviewState.WITHDRAWN
    assert AuditEntry.objects.filter(action="reviews.version.supersede", version=first).exists()
    newest = latin.versions.latest("number")
    assert newest.number == 2 and newest.paragraphs[2]["text"] == "Jaña mätın."
    assert Review.objects.get(version=newest).state == ReviewState.OPEN


def test_a_newer_kazakh_approval_reopens_the_live_latin_edition_which_stays_public(
    desk, client
):
    approve_kazakh(desk)
    first = latin_edition(desk["article"]).versions.get()
    services.version_approve(version=first, user=desk["frank"])
    services.edition_reopen(edition=desk["kk"], user=desk["erin"])
    approve_kazakh(desk, by="frank", texts=[*KAZAKH[:2], "Жаңа мәтін."])
    latin = latin_edition(desk["article"])
    assert latin.state == EditionState.IN_REVIEW and latin.live_version_id == first.pk
    page = client.get(f"/kk-latn/articles/{desk['article'].slug}/").content.decode()
    assert LATIN[2] in page and "Jaña mätın." not in page
    # Both derived text in it (frank this time, erin the unchanged paragraphs):
    # a third editor approves.
    newest = latin.versions.latest("number")
    for writer in ("frank", "erin"):
        with pytest.raises(PermissionDenied):
            services.version_approve(version=newest, user=desk[writer])
    services.version_approve(version=newest, user=editor("gina"))
    page = client.get(f"/kk-latn/articles/{desk['article'].slug}/").content.decode()
    assert "Jaña mätın." in page


def test_glossary_names_take_their_agreed_latin_spelling(desk):
    GlossaryTerm.objects.create(term_kk="Тоқаев", term_kk_latn="Tokayev", term_en="Tokayev")
    approve_kazakh(desk)
    version = latin_edition(desk["article"]).versions.get()
    assert version.paragraphs[0]["text"].startswith("Memleket basşysy Tokayevtyñ ündeuı")


def test_latin_credits_are_transliterated_or_the_contributors_own_spelling(desk, client):
    Contributor.objects.create(user=desk["alice"], name="Saule", name_kk="Сәуле Нұрпейісова")
    frank = Contributor.objects.create(
        user=desk["frank"], name="Frank", name_kk="Фрэнк", name_kk_latn="Frank Smith"
    )
    approve_kazakh(desk)
    services.version_approve(
        version=latin_edition(desk["article"]).versions.get(), user=desk["frank"]
    )
    page = client.get(f"/kk-latn/articles/{desk['article'].slug}/").content.decode()
    assert "Säule Nūrpeiısova" in page  # transliterated from her Kazakh spelling
    assert frank.name_kk_latn in page  # his own Latin spelling
    assert "Сәуле" not in page


def test_the_review_page_marks_the_words_the_transliteration_was_unsure_of(desk, client):
    approve_kazakh(desk)
    version = latin_edition(desk["article"]).versions.get()
    client.force_login(desk["frank"])
    page = client.get(reverse("admin:reviews_version_review", args=[version.pk])).content
    page = page.decode()
    marked = page[page.index('<mark class="translit-unsure"') :]
    assert marked.split(">", 1)[1].startswith("Tsirk</mark>")
    assert 'title="Transliteration unsure: a letter Kazakh writes only in loanwords' in marked
    assert page.count('class="translit-unsure"') == 1


def test_the_review_page_shows_the_kazakh_text_it_was_derived_from_as_its_source(
    desk, client
):
    approve_kazakh(desk)
    version = latin_edition(desk["article"]).versions.get()
    client.force_login(desk["frank"])
    page = client.get(reverse("admin:reviews_version_review", args=[version.pk])).content
    page = page.decode()
    assert (
        f'<h4>Source</h4><div class="review-text" lang="kk">{KAZAKH[1]}</div>'
    ) in page
    assert ENGLISH[1] not in page


def test_a_kazakh_edition_page_marks_nothing(desk, client):
    kk_version = approve_kazakh(desk)
    client.force_login(desk["frank"])
    page = client.get(reverse("admin:reviews_version_review", args=[kk_version.pk]))
    assert "translit-unsure" not in page.content.decode()


def test_translators_of_the_kk_to_kk_latn_pair_find_the_latin_edition_in_their_pool(desk):
    approve_kazakh(desk)
    latin = latin_edition(desk["article"])
    services.version_withdraw(version=latin.versions.get(), user=desk["erin"])
    latin.refresh_from_db()
    scribe = translator("scribe", pairs=[("kk", "kk-latn")])
    other = translator("other", pairs=[("en", "kk-latn")])
    assert in_pool_of(latin, scribe) and not in_pool_of(latin, other)
    assert list(editions_visible_to(scribe)) == [latin]
    assert list(editions_visible_to(other)) == []


def test_only_translators_of_kk_to_kk_latn_are_assigned_or_offered_the_latin_edition(desk):
    latin, _created = edition_start(article=desk["article"], language="kk-latn", user=None)
    scribe = translator("scribe", pairs=[("kk", "kk-latn")])
    other = translator("other", pairs=[("en", "kk-latn")])
    assert list(people_for([latin])) == [scribe]
    with pytest.raises(ValidationError, match="does not translate kk → kk-latn"):
        services.edition_assign(edition=latin, users=[other], by=desk["erin"])
    services.edition_assign(edition=latin, users=[scribe], by=desk["erin"])
    assert list(latin.assignments.values_list("user__username", flat=True)) == ["scribe"]


def test_a_failing_derivation_leaves_the_kazakh_approval_standing(desk, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("transliteration broke")

    monkeypatch.setattr(deriving, "_derive_one", broken)
    version = approve_kazakh(desk)
    kk = Edition.objects.get(pk=desk["kk"].pk)
    assert kk.state == EditionState.APPROVED and kk.live_version_id == version.pk
    assert not Edition.objects.filter(article=desk["article"], language="kk-latn").exists()


def test_the_seed_translated_into_kazakh_gets_an_approved_latin_edition(seed_path, client):
    report = article_import(data=seed_path.read_bytes(), language="en", publish=True)
    article = Article.objects.get(slug=report.slug)
    alice = translator("alice", pairs=[("en", "kk")], first_name="Saule", last_name="N")
    Contributor.objects.create(user=alice, name="Saule N", name_kk="Сәуле Нұрпейісова")
    erin, frank = editor("erin"), editor("frank")
    kk = edition_get_or_create(article=article, language="kk")
    assign(kk, alice)
    paragraphs = list(article.paragraphs.order_by("position"))
    # A stand-in translation that keeps the source's numbers: Kazakh words, then the English.
    texts = [f"Қазақша үзінді: {paragraph.text_en}" for paragraph in paragraphs]
    translate_as(alice, kk, texts, title="Тоқаев Қазақстан халқына үндеу жасады")
    services.version_approve(
        version=services.version_submit(edition=Edition.objects.get(pk=kk.pk), user=alice),
        user=erin,
    )
    latin = latin_edition(article)
    version = latin.versions.get()
    assert version.title == "Toqaev Qazaqstan halqyna ündeu jasady"
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, user=erin)
    services.version_approve(version=version, user=frank)
    page = client.get(f"/kk-latn/articles/{article.slug}/").content.decode()
    assert "Toqaev Qazaqstan halqyna ündeu jasady" in page
    assert f"Qazaqşa üzındı: {paragraphs[0].text_en}"[:50] in page
    assert "Audarğan: Säule Nūrpeiısova" in page
    assert "Қазақша үзінді" not in page and "Сәуле" not in page
    assert '<html lang="kk-Latn">' in page


def test_a_derived_version_page_makes_as_many_queries_for_3_as_for_60_paragraphs(
    client, django_assert_num_queries
):
    alice = translator("alice", pairs=[("en", "kk")])
    erin, frank = editor("erin", is_staff=True), editor("frank", is_staff=True)

    def derived_with(count):
        article = article_with_paragraphs(
            texts=["A parade was held on the circus square."] * count, title="The parade"
        )
        publish(article, "en")
        kk = edition_get_or_create(article=article, language="kk")
        assign(kk, alice)
        translate_as(alice, kk, [KAZAKH[1]] * count, title="Шеру")
        submission = services.version_submit(edition=Edition.objects.get(pk=kk.pk), user=alice)
        services.version_approve(version=submission, user=erin)
        return latin_edition(article).versions.get()

    def page_url(version):
        return reverse("admin:reviews_version_review", args=[version.pk])

    small, large = derived_with(3), derived_with(60)
    client.force_login(frank)
    client.get(page_url(small))  # the session and permission caches warm up alike
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url(small)).status_code == 200
    with django_assert_num_queries(len(queries)):
        response = client.get(page_url(large))
    assert response.content.decode().count('class="translit-unsure"') == 60


def test_a_source_update_is_no_work_for_the_latin_edition_and_no_notice_on_it(desk, client):
    approve_kazakh(desk)
    latin = latin_edition(desk["article"])
    services.version_approve(version=latin.versions.get(), user=desk["frank"])
    english = Edition.objects.get(article=desk["article"], language="en")
    services.update_open(edition=english, user=desk["erin"], note="Adds the school's name.")
    translate_as(desk["erin"], Edition.objects.get(pk=english.pk), [*ENGLISH[:2], "A school."])
    update = services.version_submit(edition=Edition.objects.get(pk=english.pk), user=desk["erin"])
    services.version_approve(version=update, user=desk["frank"])
    kazakh, latin = Edition.objects.get(pk=desk["kk"].pk), latin_edition(desk["article"])
    assert (kazakh.state, kazakh.follows) == (EditionState.IN_PROGRESS, "update")
    assert (latin.state, latin.follows, latin.working_kind) == (EditionState.APPROVED, "", "")
    slug = desk["article"].slug
    assert b"story__follows" in client.get(f"/kk/articles/{slug}/").content
    assert b"story__follows" not in client.get(f"/kk-latn/articles/{slug}/").content
