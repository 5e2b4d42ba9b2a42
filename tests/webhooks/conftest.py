import pytest

from webhooks.models import EventType, Subscription

from .receiver import receiver_start


@pytest.fixture
def receiver():
    receiver = receiver_start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def subscribe(receiver):
    """``subscribe(*event types, active=True, url=…)``: a subscription to the receiver."""

    def make(*events, active=True, url=None):
        return Subscription.objects.create(
            url=url or receiver.url,
            events=[str(e) for e in (events or EventType.values)],
            active=active,
        )

    return make


@pytest.fixture
def in_review():
    """Alice's submitted Kazakh version of a published English article, and Erin, its editor."""
    from tests.factories import article_with_paragraphs, assign, editor, publish, translator
    from tests.reviews.helpers import submitted
    from translations.services import edition_get_or_create

    article = article_with_paragraphs(count=2)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice, erin = translator("alice"), editor("erin")
    assign(edition, alice)
    return submitted(alice, edition), erin
