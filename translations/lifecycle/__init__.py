"""Running updates and corrections of published articles, in every language.

- ``notes``: a version's kind and public note (an update's advisory line, a
  correction's note), what a new version carries of the edition's earlier
  notes, and what the public page shows of them (from the live version's row).
- ``following``: when a source's update or correction goes live, every other
  published language gets it as work and says on its page that it follows.
- ``corrections``: the public corrections log of one language.

The desk's side (opening a correction or an update, writing the note) is in
``reviews.services.corrections`` and ``reviews.services.updates``.
"""
