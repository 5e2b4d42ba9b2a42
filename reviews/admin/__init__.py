"""The desk in the Django admin.

- ``desk``: "My work", editions, assignment, the edition timeline.
- ``workspace``: the translator's side-by-side editor (pages added to the edition admin).
- ``review``: the editor's review queue and version page.
"""

from . import editions, editor, review  # noqa: F401  (registers the admin classes)
