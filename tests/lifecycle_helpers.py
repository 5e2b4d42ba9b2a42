"""Helpers of the lifecycle tests: a movable clock and a senior editor."""

import contextlib
from unittest import mock

from django.utils import timezone


@contextlib.contextmanager
def clock_at(moment):
    """Every ``timezone.now()`` of the project answers ``moment`` in the block."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def senior_editor(username=None, **kwargs):
    """A member of Editors and of Senior editors (may withdraw and reinstate)."""
    from django.contrib.auth.models import Group

    from tests.factories import editor

    user = editor(username, **kwargs)
    user.groups.add(Group.objects.get(name="Senior editors"))
    return user
