"""Running updates: the author or an editor opens an update of a live source edition.

The advisory line ("Adds the minister's reaction in paragraph 4") goes with
the updated text into the next version, reviewed and approved like any
other; once live, every other published language gets the update as work
with the article's priority (``translations.lifecycle.following``).
"""

from translations.models import VersionKind

from ..workflow import Move
from .notes import lifecycle_open


def update_open(*, edition, user, note):
    """Open an update of the live source ``edition`` with its advisory line."""
    return lifecycle_open(
        edition=edition,
        user=user,
        note=note,
        move=Move.OPEN_UPDATE,
        kind=VersionKind.UPDATE,
        action="reviews.update.open",
    )
