"""Filling the memory from approved translations.

The memory holds the pairs of every translation edition's *live* version:
when a newer version of an edition goes live, its pairs replace the older
version's (a corrected translation should not keep suggesting the mistake).
"""

import logging

from django.db import transaction

from translations.models import Edition

from ..models import TMSegment
from .fingerprint import source_hash, text_bands
from .segmentation import sentence_split

logger = logging.getLogger(__name__)
BATCH = 1000


def segment_pairs(source, target, source_language, target_language):
    """The (source, target, is_paragraph) pairs one translated unit gives the memory.

    Sentences are paired in order only when both sides have the same number
    of them (otherwise a translator who split or joined sentences would get
    mismatched pairs); the whole paragraph is always a pair of its own.
    """
    # Spaces collapse as in the hash; quotation marks stay as the translator set them.
    source, target = " ".join((source or "").split()), " ".join((target or "").split())
    if not source or not target:
        return []
    source_sentences = sentence_split(source, source_language)
    target_sentences = sentence_split(target, target_language)
    pairs = []
    if len(source_sentences) == len(target_sentences) > 1:
        pairs += [(s, t, False) for s, t in zip(source_sentences, target_sentences, strict=True)]
    pairs.append((source, target, True))
    return pairs


def version_segments(version, *, article, source_language, target_language):
    """Unsaved :class:`TMSegment` rows for one version's units."""
    rows = []
    for unit in version.units:
        for source, target, is_paragraph in segment_pairs(
            unit.get("source", ""), unit.get("text", ""), source_language, target_language
        ):
            rows.append(TMSegment(
                source_language=source_language,
                target_language=target_language,
                source_text=source,
                target_text=target,
                source_hash=source_hash(source),
                bands=text_bands(source, source_language, target_language),
                is_paragraph=is_paragraph,
                unit_key=unit["key"],
                version=version,
                article=article,
            ))
    return rows


def tm_index_version(*, version):
    """Put a live translation version's pairs in the memory, replacing its edition's.

    A source-language version has no pairs; a version that is no longer (or
    not yet) its edition's live version is skipped. Returns the number of
    segments written.
    """
    edition = Edition.objects.select_related("article").get(pk=version.edition_id)
    article = edition.article
    if edition.language == article.source_language or edition.live_version_id != version.pk:
        return 0
    rows = version_segments(
        version, article=article, source_language=article.source_language,
        target_language=edition.language,
    )
    with transaction.atomic():
        TMSegment.objects.filter(article=article, target_language=edition.language).delete()
        TMSegment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def tm_rebuild():
    """Empty the memory and fill it again from every live translation version."""
    editions = (
        Edition.objects.filter(live_version__isnull=False)
        .select_related("article", "live_version")
        .order_by("pk")
    )
    written = 0
    with transaction.atomic():
        TMSegment.objects.all().delete()
        for edition in editions.iterator(chunk_size=200):
            article = edition.article
            if edition.language == article.source_language:
                continue
            rows = version_segments(
                edition.live_version, article=article,
                source_language=article.source_language, target_language=edition.language,
            )
            TMSegment.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
    return written


def version_published_receiver(sender, version, **kwargs):
    """Index the new live version once the approval is committed.

    After the commit, so that a failure here never undoes an approval (it is
    logged; ``manage.py tm_rebuild`` repairs the memory).
    """
    transaction.on_commit(lambda: tm_index_version(version=version), robust=True)
