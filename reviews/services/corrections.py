"""Corrections: an editor opens one on a live edition, with its public note.

The corrected text and the note are then a version like any other:
submitted, reviewed and approved by someone who did not write it (four
eyes). When the source's correction goes live, every other published
language gets it as urgent work (``translations.lifecycle.following``).
"""

from translations.models import VersionKind

from ..workflow import Move
from .notes import lifecycle_open


def correction_open(*, edition, user, note):
    """Open a correction on the live ``edition``; its live version stays public."""
    return lifecycle_open(
        edition=edition,
        user=user,
        note=note,
        move=Move.OPEN_CORRECTION,
        kind=VersionKind.CORRECTION,
        action="reviews.correction.open",
    )
