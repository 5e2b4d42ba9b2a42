import pytest
from django.db import transaction

from .world import world_build


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    """The desk in every state, built once for the package and rolled back after it.

    Tests that use it are plain ``django_db`` tests: their own transaction is
    a savepoint inside this one.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
