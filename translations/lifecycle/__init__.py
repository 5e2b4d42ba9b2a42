"""An article's life around approval: embargo, withdrawal, running updates and corrections.

Each move is in the tables of ``translations.states`` (an edition's moves
through :func:`~translations.states.edition_state_move`, the article's
through :func:`~translations.states.article_state_move`). What a reader may
see at a given moment is one rule, ``translations.selectors.published_filter``,
used by every public output. Who may make the moves is ``reviews.workflow``'s
business (``reviews.services.lifecycle``, ``.corrections``, ``.updates``).

- ``embargo``, ``withdrawal``: an edition's or article's embargo and an
  article's withdrawal, with the public cache's entry written through.
- ``notes``: a version's kind and public note (an update's advisory line, a
  correction's note), what a new version carries of the edition's earlier
  notes, and what the public page shows of them (from the live version's row).
- ``following``: when a source's update or correction goes live, every other
  published language gets it as work and says on its page that it follows.
- ``corrections``: the public corrections log of one language.
"""
