"""Reads for the desk's pages, with the joins that keep their queries constant."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from translations.models import AuditEntry, Version

from ..models import Comment, Review


def edition_timeline(*, edition):
    """Every recorded move on ``edition``, oldest first, with who made it; and
    its article's lifecycle moves (a withdrawal, an embargo of every edition)."""
    article_moves = Q(
        edition__isnull=True, article_id=edition.article_id, action__startswith="reviews.article."
    )
    return (
        AuditEntry.objects.filter(Q(edition=edition) | article_moves)
        .select_related("actor", "version")
        .order_by("created_at", "id")
    )


def review_queue(*, queryset=None):
    """Reviews with what the queue shows: edition, article, version number, submitter,
    and the count of open comment threads on the edition up to the version.

    The versions' content is left out: the queue never shows it, and a long
    article's snapshot is the heaviest column there is.
    """
    queryset = Review.objects.all() if queryset is None else queryset
    open_threads = (
        Comment.objects.filter(
            version__edition=OuterRef("edition"),
            version__number__lte=OuterRef("version__number"),
            parent__isnull=True,
            resolved_at__isnull=True,
        )
        .order_by()
        .values("version__edition")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        queryset.select_related("edition__article", "version", "submitted_by", "decided_by")
        .defer("version__units")
        .annotate(open_comments=Coalesce(Subquery(open_threads, output_field=IntegerField()), 0))
        .order_by("-edition__priority", "submitted_at", "pk")
    )


def version_for_review(*, version_id):
    """The version with its edition, article and review (and who submitted and decided)."""
    return Version.objects.select_related(
        "edition__article", "review__submitted_by", "review__decided_by", "created_by"
    ).get(pk=version_id)


def version_bases(*, version):
    """``(last_approved, previous)``: what ``version`` is compared with, in one query.

    ``last_approved`` is the newest approved version numbered below it,
    ``previous`` the submission just before it; either may be ``None``, and
    they may be the same version.
    """
    earlier = Version.objects.filter(edition_id=version.edition_id, number__lt=version.number)
    approved = earlier.filter(approved_at__isnull=False).order_by("-number").values("pk")[:1]
    found = list(earlier.filter(Q(number=version.number - 1) | Q(pk__in=approved)))
    previous = next((v for v in found if v.number == version.number - 1), None)
    last_approved = max(
        (v for v in found if v.approved_at is not None), key=lambda v: v.number, default=None
    )
    return last_approved, previous


def version_comments(*, version):
    """Comments for the version page: all of ``version``'s, and the threads still
    open on earlier versions of its edition (so a request's remarks follow the
    text into the next round). Oldest first, with authors."""
    still_open = Q(parent__isnull=True, resolved_at__isnull=True) | Q(
        parent__isnull=False, parent__resolved_at__isnull=True
    )
    return (
        Comment.objects.filter(
            version__edition_id=version.edition_id, version__number__lte=version.number
        )
        .filter(Q(version=version) | still_open)
        .select_related("author", "resolved_by")
        .annotate(version_number=F("version__number"))
        .order_by("created_at", "pk")
    )
