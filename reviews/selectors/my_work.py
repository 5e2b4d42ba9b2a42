"""The reads behind "My work": progress, outdated and overdue, in the list's one query.

Each edition's language (and its article's source language) picks the columns
to count, so the counts are subqueries chosen per language by ``CASE``: one
query for the whole page, however many rows it shows.
"""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from reviews.models import Assignment
from translations.languages import language_codes, localized_field
from translations.models import EditionState, Paragraph


def _count(paragraphs):
    counted = paragraphs.order_by().values("article_id").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _behind(prefix, language, source):
    """The unit's ``language`` text was made from an older source revision than the current."""
    made_from = prefix + localized_field("source_revision", language)
    current = prefix + localized_field("revision", source)
    # A NULL source revision (a column added with a new language) means 0.
    return Q(**{f"{made_from}__lt": F(current)}) | Q(
        **{f"{made_from}__isnull": True, f"{current}__gt": 0}
    )


def _pairs():
    codes = language_codes()
    return [(source, target) for target in codes for source in codes if source != target]


def my_work(queryset):
    """``queryset`` of editions with ``paragraph_count``, ``translated_count``,
    ``outdated_count`` (paragraphs and the title), ``is_overdue``, the article and
    the assignees, most urgent first."""
    paragraphs = Paragraph.objects.filter(article=OuterRef("article_id"))

    def text_in(language):
        return Q(**{f"{localized_field('text', language)}__gt": ""})

    translated = Case(
        *[
            When(language=code, then=_count(paragraphs.filter(text_in(code))))
            for code in language_codes()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    outdated_paragraphs = Case(
        *[
            When(
                language=target,
                article__source_language=source,
                then=_count(paragraphs.filter(text_in(target)).filter(_behind("", target, source))),
            )
            for source, target in _pairs()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    outdated_title = Case(
        *[
            When(
                Q(language=target, article__source_language=source)
                & Q(**{f"article__{localized_field('title', target)}__gt": ""})
                & _behind("article__", target, source),
                then=Value(1),
            )
            for source, target in _pairs()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    overdue = Case(
        When(
            Q(deadline__lt=timezone.now()) & ~Q(state=EditionState.APPROVED),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )
    assignments = Assignment.objects.select_related("user").order_by("assigned_at", "pk")
    return (
        queryset.select_related("article")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .annotate(
            paragraph_count=_count(paragraphs),
            translated_count=translated,
            outdated_count=outdated_paragraphs + outdated_title,
            is_overdue=overdue,
        )
    )


def overdue_q(now=None):
    return Q(deadline__lt=now or timezone.now()) & ~Q(state=EditionState.APPROVED)
