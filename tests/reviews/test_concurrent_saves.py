"""Two saves of one paragraph at the same moment, each on its own connection.

Exactly one wins; the other gets the conflict page; the text is the winner's.
On PostgreSQL the edition's row lock and the conditional UPDATE decide it. On
SQLite the IMMEDIATE transactions of the settings queue the two writers; that
needs a file database (an in-memory one is shared through one cache, whose
table locks fail at once instead of waiting), so there it runs only with
TEST_DATABASE_NAME set to a file.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import article_with_paragraphs, assign, publish, translator
from translations.models import Paragraph
from translations.services import edition_get_or_create

from .test_editor import form_of

TIMEOUT = 30


@pytest.fixture
def desk(transactional_db):
    article = article_with_paragraphs(count=3)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language="kk")
    alice = translator("alice", is_staff=True)
    bob = translator("bob", is_staff=True)
    assign(edition, alice, bob)
    return {"article": article, "edition": edition, "alice": alice, "bob": bob}


def save_at_once(desk):
    """Alice and Bob both load the editor, then post p1 at the same moment."""
    url = reverse("admin:translations_edition_editor", args=[desk["edition"].pk])
    clients, forms = {}, {}
    for name, text in (("alice", "Алиса жазды."), ("bob", "Боб жазды.")):
        clients[name] = Client()
        clients[name].force_login(desk[name])
        forms[name] = form_of(clients[name].get(url), {"p1": text})
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    results, errors = {}, []

    def post(name):
        try:
            barrier.wait()
            results[name] = clients[name].post(url, forms[name])
        except Exception as error:  # noqa: BLE001  (reported by the test below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not errors, errors
    return results, forms


def assert_one_wins(desk):
    results, forms = save_at_once(desk)
    statuses = {name: response.status_code for name, response in results.items()}
    assert sorted(statuses.values()) == [200, 302], statuses
    winner = next(name for name, status in statuses.items() if status == 302)
    loser = next(name for name, status in statuses.items() if status == 200)
    paragraph = Paragraph.objects.get(article=desk["article"], key="p1")
    assert paragraph.text_kk == forms[winner]["text-p1"]
    assert paragraph.edited_by_kk == desk[winner]
    assert paragraph.revision_kk == 1
    conflict_page = results[loser].content.decode()
    assert 'data-status="conflict"' in conflict_page
    assert forms[winner]["text-p1"] in conflict_page and forms[loser]["text-p1"] in conflict_page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_paragraph_at_the_same_moment_on_postgresql(desk):
    assert_one_wins(desk)


@pytest.mark.django_db(transaction=True)
def test_same_paragraph_at_the_same_moment_on_sqlite(desk):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL runs its own test")
    if connection.is_in_memory_db():
        pytest.skip(
            "needs a SQLite file database: set TEST_DATABASE_NAME=/tmp/test_editor.sqlite3 "
            "(an in-memory database's shared cache refuses a second writer instead of queueing)"
        )
    assert_one_wins(desk)
