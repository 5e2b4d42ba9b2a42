"""bench_corpus writes a consistent corpus: what the benchmarks measure must be real data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from bench.corpus import corpus_languages
from reviews.models import Review, ReviewState
from translations.languages import localized_field
from translations.models import (
    Article,
    Credit,
    CreditRole,
    Edition,
    EditionState,
    Paragraph,
    Version,
)

ARTICLES = 6


def corpus(method, **options):
    out = StringIO()
    call_command(
        "bench_corpus",
        articles=ARTICLES,
        long_articles=1,
        long_paragraphs=30,
        open_share=0.4,
        progress_share=0.3,
        batch=4,
        method=method,
        stdout=out,
        **options,
    )
    # The foreign keys are deferred to commit; a test never commits, so check now.
    connection.check_constraints()
    return out.getvalue()


METHODS = [
    pytest.param("insert", id="insert"),
    pytest.param("orm", id="bulk_create"),
    pytest.param("copy", id="copy", marks=pytest.mark.postgres),
]


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
def test_articles_have_paragraphs_and_working_copies_in_every_language(method):
    corpus(method)
    articles = Article.objects.filter(slug__startswith="bench-")
    assert articles.count() == ARTICLES
    counts = dict(articles.annotate(n=Count("paragraphs")).values_list("slug", "n"))
    assert counts.pop("bench-0000000") == 30
    assert set(counts.values()) == {12}
    for code in corpus_languages():
        text, title = localized_field("text", code), localized_field("title", code)
        assert not Paragraph.objects.filter(**{text: ""}).exists()
        assert not Paragraph.objects.filter(**{f"{text}__isnull": True}).exists()
        assert not articles.filter(**{f"{title}__isnull": True}).exists()
    assert set(articles.values_list("source_language", flat=True)) == set(corpus_languages())


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
def test_every_edition_has_an_approved_live_version_with_credits(method):
    corpus(method)
    editions = Edition.objects.select_related("article", "live_version")
    assert editions.count() == 3 * ARTICLES
    for edition in editions:
        version = edition.live_version
        assert version.edition_id == edition.pk
        assert version.approved_at is not None and version.approved_by_id is not None
        assert version.units[0]["text"] == version.title
        assert len(version.units) == edition.article.paragraphs.count() + 1
        roles = list(version.credits.values_list("role", flat=True))
        first = CreditRole.AUTHOR if edition.is_source else CreditRole.TRANSLATOR
        assert first in roles and CreditRole.EDITOR in roles
    per_article = Edition.objects.values("article").annotate(n=Count("language", distinct=True))
    assert {row["n"] for row in per_article} == {3}


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
def test_translations_in_review_have_an_open_review_of_an_unapproved_version(method):
    corpus(method)
    in_review = Edition.objects.filter(state=EditionState.IN_REVIEW)
    assert in_review.exists()
    assert Edition.objects.filter(state=EditionState.IN_PROGRESS).exists()
    for edition in in_review:
        review = Review.objects.get(edition=edition, state=ReviewState.OPEN)
        assert review.version.number == 2 and review.version.approved_at is None
        assert review.version.units != edition.live_version.units
        assert edition.assignments.filter(user=review.submitted_by).exists()
    assert (
        not Review.objects.filter(state=ReviewState.OPEN)
        .exclude(edition__state=EditionState.IN_REVIEW)
        .exists()
    )


@pytest.mark.django_db
def test_the_immutability_triggers_still_hold_after_the_load():
    corpus("insert")
    version = Version.objects.filter(approved_at__isnull=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.filter(pk=version.pk).update(title="Changed")
    credit = Credit.objects.filter(version=version).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(
            version=version, contributor_id=credit.contributor_id, role="author", order=9
        )


@pytest.mark.django_db
def test_a_second_run_adds_articles_after_the_first():
    corpus("insert")
    corpus("insert")
    assert Article.objects.filter(slug__startswith="bench-").count() == 2 * ARTICLES
    assert Article.objects.filter(slug="bench-0000011").exists()


@pytest.mark.django_db
def test_the_report_names_rows_per_second():
    output = corpus("insert")
    assert f"{ARTICLES} articles" in output and "rows/s" in output
