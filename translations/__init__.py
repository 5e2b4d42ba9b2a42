"""The content: articles, their editions in each language, versions, credits, the public site.

Depends on nothing above it (``reviews`` and ``aids`` call in; ``bench`` loads
into it). The map:

- ``models``: articles, paragraphs, editions, versions, credits, the audit's rows.
- ``states``: an edition's states, the table of moves between them, and
  ``edition_state_move``, the only writer of ``Edition.state``.
- ``lifecycle/``: embargo and withdrawal (the article's moves are in ``states``
  too, made by ``article_state_move``).
- ``units``: a unit's text bookkeeping (revisions, authors, keys, positions).
- ``texts``: what a text may hold, and its hashes. ``audit``: ``audit_record``.
- ``services/``: the writes (saving text, versions and going live, credits,
  articles and editions). ``importing/``: ``import_article``.
- ``lifecycle/``: running updates and corrections (their public notes, the
  other languages following the source, the corrections log).
- ``selectors``, ``views``, ``feeds``, ``sitemaps``, ``search``, ``cache``: the public site.
- ``admin``: the plain content admin. The Edition admin ("My work", the
  edition page) is the desk's: ``reviews.admin.editions``.
"""
