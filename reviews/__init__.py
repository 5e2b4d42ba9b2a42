"""The desk: who works on what, the review of versions, and the pages for it.

Built on ``translations`` (the content) and ``aids`` (checks, glossary,
memory, machine translation, required). The map:

- ``workflow``: the rules on one screen: the moves (``translations.states``),
  the permissions, who may do what now (``edition_actions``, ``version_actions``).
- ``services/``: every write, each checking the workflow again in a transaction
  with the edition locked: assignment, saving, submitting and deciding,
  credits, comments and checked marks, the source's structure, dismissing checks.
- ``selectors/``: the reads of the desk's pages (the queue, My work).
- ``admin/``: the pages: ``editions`` (My work, the edition page), ``editor``
  (the translator's editor), ``review`` (the queue and version page).
- ``xliff/``: export to and import from CAT tools. ``notifications``: e-mail after a move.
- ``roles``: the editor and translator groups. ``diffing``: word diffs.
"""
