"""Versions: the immutable snapshots of an edition, and making one live."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .. import search
from ..lifecycle import following
from ..lifecycle.notes import notes_snapshot
from ..models import Article, Edition, Paragraph, Version
from ..signals import version_published
from ..states import Move, edition_state_move


def version_snapshot(*, edition, user):
    """Freeze the edition's working copy into the next numbered version.

    The caller holds a lock on the edition (``select_for_update``), so two
    submissions cannot take the same number.
    """
    article = Article.objects.get(pk=edition.article_id)
    language = edition.language
    source_language = article.source_language
    paragraphs = list(Paragraph.objects.filter(article=article).order_by("position"))
    units = [_unit_snapshot(Version.TITLE_KEY, article, language, source_language)]
    units += [_unit_snapshot(p.key, p, language, source_language) for p in paragraphs]
    number = (edition.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return Version.objects.create(
        edition=edition,
        number=number,
        title=units[0]["text"],
        units=units,
        created_by=user,
        **notes_snapshot(edition=edition),
    )


def _unit_snapshot(key, unit, language, source_language):
    return {
        "key": key,
        "text": unit.text_in(language),
        "source": unit.text_in(source_language),
        "source_revision": unit.revision_in(source_language)
        if language == source_language
        else unit.source_revision_in(language),
        "author": unit.edited_by_id_in(language),
    }


def version_go_live(*, version, user, action, move=Move.GO_LIVE, comment="", data=None):
    """Make ``version`` its edition's live version, fixing its approval.

    ``move`` is the move that makes the edition approved: ``APPROVE`` on the
    desk, ``PUBLISH_ON_IMPORT`` from the importer; the table refuses it from
    a state it does not leave. The caller has checked who may; the edition's
    row is locked here (again).
    """
    with transaction.atomic():
        now = timezone.now()
        edition = Edition.objects.select_for_update().get(pk=version.edition_id)
        approved = Version.objects.filter(pk=version.pk, approved_at__isnull=True).update(
            approved_at=now, approved_by=user
        )
        if approved:
            version.approved_at, version.approved_by = now, user
        else:
            version.refresh_from_db(fields=["approved_at", "approved_by"])
        edition_state_move(
            edition=edition,
            move=move,
            user=user,
            action=action,
            version=version,
            comment=comment,
            data=data,
            also={
                "live_version": version,
                **following.go_live_fields(edition=edition, version=version),
            },
        )
        following.follow_again_if_pending(edition=edition, version=version, user=user)
        following.siblings_follow(edition=edition, version=version, user=user)
        search.entry_write(edition=edition, version=version)
        version_published.send(sender=Version, version=version, user=user)
    return edition
