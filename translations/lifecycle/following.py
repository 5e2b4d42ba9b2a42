"""A source's update or correction, once approved, becomes every translation's work.

Each other published language of the article moves with ``FOLLOW_UPDATE`` or
``FOLLOW_CORRECTION`` (an approved edition back to work; its live version
stays public): its working copy becomes an update or a correction with an
empty note to translate, its priority rises (a correction is at least
urgent; an update takes the source's priority), and its public page says
that the original changed until a version made after that is approved. The
paragraphs that changed are already outdated there (the source's save marked
them), so only those are to do.

A derived language (``settings.TILMASH_DERIVED_LANGUAGES``, e.g. ``kk-latn``)
is not translated, so it is no one's work: it is transliterated again when its
own source language's next version is approved (``reviews.services.deriving``),
and its page never says it follows.
"""

from django.conf import settings

from ..models import Edition, EditionState, Priority, VersionKind
from ..states import Move, edition_state_move

K = VersionKind
FOLLOW_MOVES = {K.UPDATE: Move.FOLLOW_UPDATE, K.CORRECTION: Move.FOLLOW_CORRECTION}


def go_live_fields(*, edition, version):
    """Edition fields that change when ``version`` goes live: the working note is used
    up; a pending source change is followed once a version made after it is live."""
    fields = {"working_kind": "", "working_note": ""}
    if edition.follows and version.created_at >= edition.follows_since:
        fields.update(follows="", follows_since=None)
    return fields


def siblings_follow(*, edition, version, user):
    """After ``version`` of the source ``edition`` went live: its update or correction
    is work for every other published language but the derived ones (rows locked,
    moves audited)."""
    kind = version.kind
    if kind not in FOLLOW_MOVES or edition.language != edition.article.source_language:
        return []
    siblings = (
        Edition.objects.select_for_update()
        .select_related("article")
        .filter(article_id=edition.article_id, live_version__isnull=False)
        .exclude(pk=edition.pk)
        .exclude(language__in=list(getattr(settings, "TILMASH_DERIVED_LANGUAGES", {})))
        .order_by("pk")
    )
    moved = []
    for sibling in siblings:
        _follow(sibling, kind=kind, since=version.approved_at, source=edition, user=user,
                version=version)  # fmt: skip
        moved.append(sibling)
    return moved


def _follow(sibling, *, kind, since, source, user, version):
    stronger = K.CORRECTION if K.CORRECTION in (kind, sibling.follows) else kind
    floor = Priority.URGENT if kind == K.CORRECTION else source.priority
    working_kind = K.CORRECTION if K.CORRECTION in (kind, sibling.working_kind) else kind
    also = {
        "follows": stronger,
        "follows_since": since,
        "priority": max(sibling.priority, floor),
        "working_kind": working_kind,
    }
    if sibling.working_kind != working_kind:
        also["working_note"] = ""
    edition_state_move(
        edition=sibling,
        move=FOLLOW_MOVES[kind],
        user=user,
        action=f"translations.edition.follow_{kind}",
        comment=version.public_note,
        data={"source_version": version.pk, "number": version.number},
        also=also,
    )


def follow_again_if_pending(*, edition, version, user):
    """A version made before the source changed went live: the edition still has the
    change to follow, so it goes back to work at once (audited)."""
    if edition.follows and edition.state == EditionState.APPROVED:
        edition_state_move(
            edition=edition,
            move=FOLLOW_MOVES[edition.follows],
            user=user,
            action=f"translations.edition.follow_{edition.follows}",
            data={"still_pending_after": version.number},
            also={"working_kind": edition.follows},
        )
