"""The editor's review queue and version page.

A package because the version page (reading a version, commenting, checking,
crediting and deciding) outgrew one module; ``from . import review`` still
registers the Review admin.

- ``queue``: the Review admin (the queue) and the URLs of the version page.
- ``page``: what the version page shows, built with a fixed number of queries.
- ``views``: the version page and the handlers its forms post to.
- ``forms``: the credits form.
"""

from .queue import ReviewAdmin

__all__ = ["ReviewAdmin"]
