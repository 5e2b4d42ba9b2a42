"""My work, editions, assignment and the edition timeline.

- ``editions``: the edition admin ("My work" and the edition page); ``page`` what
  the edition page shows besides its fields.
- ``views``: the claim, reopen, withdraw and assignment pages behind its buttons.
- ``content``: the content admin as the desk extends it (authors, versions, people).
"""

from . import content, editions  # noqa: F401  (registers the admin classes)
from .editions import EditionAdmin

__all__ = ["EditionAdmin"]
