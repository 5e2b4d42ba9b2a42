"""The desk's events: what each says, and writing it to the outbox in the move's transaction.

The receivers here are connected to ``translations.signals`` in
``WebhooksConfig.ready``; each signal is sent inside the transaction of the
move, so the event, its deliveries and their tasks are written or rolled back
with it. A move no active subscription wants costs one query and writes nothing.

Payloads carry ids, states and public URLs, never text: an unpublished
version's text stays on the desk, and a consumer reads published text where
readers do (the public pages or the API).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from translations.models import Edition, VersionKind
from translations.states import Move

from .models import Delivery, Event, EventType, Subscription
from .tasks import webhook_deliver

PUBLISHED_BY_KIND = {
    VersionKind.STANDARD: EventType.EDITION_PUBLISHED,
    VersionKind.UPDATE: EventType.EDITION_UPDATED,
    VersionKind.CORRECTION: EventType.EDITION_CORRECTED,
}
MOVE_EVENTS = {
    Move.SUBMIT: EventType.VERSION_SUBMITTED,
    Move.REQUEST_CHANGES: EventType.VERSION_CHANGES_REQUESTED,
}
# An embargo set, moved or lifted on a live edition: announced again with its
# new ``embargo_until``, so that consumers holding it back follow the change.
EMBARGO_MOVES = {Move.EMBARGO_SET, Move.EMBARGO_LIFT}
ARTICLE_MOVE_EVENTS = {
    Move.ARTICLE_WITHDRAW: EventType.EDITION_WITHDRAWN,
    # Back on every public output as it was: consumers that took it down put it back.
    Move.ARTICLE_REINSTATE: EventType.EDITION_PUBLISHED,
    **dict.fromkeys(EMBARGO_MOVES, EventType.EDITION_PUBLISHED),
}


def subscriptions_wanting(event_type):
    """The active subscriptions that asked for ``event_type`` (one query; they are few)."""
    return [s for s in Subscription.objects.filter(active=True) if event_type in s.events]


def public_url(edition, article):
    with translation.override(edition.language):
        path = reverse("public:article_detail", kwargs={"slug": article.slug})
    return settings.TILMASH_SITE_URL + path


def _iso(moment):
    return moment.isoformat() if moment else None


def edition_payload(*, edition, article, version):
    """What every event says of its edition: ids, states, dates, the public URL once live."""
    embargoes = [e for e in (article.embargo_until, edition.embargo_until) if e]
    article_part = {
        "id": article.pk,
        "slug": article.slug,
        "source_language": article.source_language,
    }
    external_id = getattr(article, "external_id", None)
    if external_id:
        article_part["external_id"] = external_id
    return {
        "article": article_part,
        "edition": {
            "id": edition.pk,
            "language": edition.language,
            "state": edition.state,
            "url": public_url(edition, article) if edition.live_version_id else None,
            "embargo_until": _iso(max(embargoes) if embargoes else None),
            "withdrawn_at": _iso(article.withdrawn_at),
        },
        "version": (
            {"id": version.pk, "number": version.number, "kind": version.kind}
            if version is not None
            else None
        ),
    }


def event_record(*, event_type, body, subscriptions, occurred_at=None):
    """Write one event, a delivery per subscription and a task per delivery.

    Call inside the transaction of the move the event reports. ``body`` is the
    payload's own part (``edition_payload``); the event adds its id, type and time.
    """
    occurred_at = occurred_at or timezone.now()
    event = Event(type=event_type, occurred_at=occurred_at)
    event.payload = {
        "id": str(event.id),
        "type": str(event_type),
        "occurred_at": occurred_at.isoformat(),
        **body,
    }
    event.save(force_insert=True)
    deliveries = Delivery.objects.bulk_create(
        [Delivery(event=event, subscription=s) for s in subscriptions]
    )
    for delivery in deliveries:
        webhook_deliver.enqueue(delivery_id=delivery.pk, series=delivery.series)
    return event


def version_published(sender, *, version, **kwargs):
    """A version went live: ``edition.published``, ``.updated`` or ``.corrected`` by its kind."""
    event_type = PUBLISHED_BY_KIND.get(version.kind, EventType.EDITION_PUBLISHED)
    subscriptions = subscriptions_wanting(event_type)
    if not subscriptions:
        return
    edition = Edition.objects.select_related("article").get(pk=version.edition_id)
    body = edition_payload(edition=edition, article=edition.article, version=version)
    event_record(event_type=event_type, body=body, subscriptions=subscriptions)


def edition_moved(sender, *, edition, move, version=None, **kwargs):
    """A version submitted or sent back: ``version.submitted``, ``version.changes_requested``;
    an embargo on a live edition set or lifted: ``edition.published`` again."""
    if move in EMBARGO_MOVES and edition.live_version_id:
        event_type = EventType.EDITION_PUBLISHED
    else:
        event_type = MOVE_EVENTS.get(move)
    if event_type is None:
        return
    subscriptions = subscriptions_wanting(event_type)
    if not subscriptions:
        return
    article = edition.article
    if move in EMBARGO_MOVES:
        if article.withdrawn_at:
            return  # off every output whatever its embargo; reinstating announces it
        version = edition.live_version
    body = edition_payload(edition=edition, article=article, version=version)
    event_record(event_type=event_type, body=body, subscriptions=subscriptions)


def article_moved(sender, *, article, move, **kwargs):
    """An article withdrawn, reinstated or its embargo set or lifted: an event for each of
    its live editions."""
    event_type = ARTICLE_MOVE_EVENTS.get(move)
    if event_type is None or (move in EMBARGO_MOVES and article.withdrawn_at):
        return
    subscriptions = subscriptions_wanting(event_type)
    if not subscriptions:
        return
    editions = Edition.objects.filter(article=article, live_version__isnull=False)
    for edition in editions.select_related("live_version").order_by("language"):
        body = edition_payload(edition=edition, article=article, version=edition.live_version)
        event_record(event_type=event_type, body=body, subscriptions=subscriptions)
