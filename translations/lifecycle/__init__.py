"""An article's life after (or before) approval: embargo and withdrawal.

Each move is in the tables of ``translations.states`` (an edition's
embargo through :func:`~translations.states.edition_state_move`, the
article's through :func:`~translations.states.article_state_move`); the
modules here make them and write the public cache's entry through. Who may
make them is ``reviews.workflow``'s business (``reviews.services.lifecycle``).
What a reader may see at a given moment is one rule,
``translations.selectors._published``, used by every public output.
"""
