"""Agency feeds: stories pulled from RSS/Atom feeds and IPTC ninjs or NewsML-G2
items, from a URL or a folder, on a schedule the task worker keeps.

- ``models``: a feed source and the items imported from it (one per GUID).
- ``formats``: each format read into :class:`formats.AgencyItem` (title,
  dateline, paragraphs, byline, GUID, version).
- ``fetching``: a URL with timeouts and a size cap, or a folder's files.
- ``services``: a source's run (each item through the article importer, on
  its own), and the pass that queues the sources that are due.
- ``tasks``: the run as a background task. ``admin``: sources and items.
"""
