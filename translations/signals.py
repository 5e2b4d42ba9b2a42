"""Signals the content sends to the desk, so that ``reviews`` can listen
without ``translations`` importing it."""

from django.dispatch import Signal

# Sent after a source-language title or paragraph text was saved, inside the
# saving transaction. Arguments: unit, article, user.
source_changed = Signal()

# Sent after a version became its edition's live version, inside the approving
# transaction (use transaction.on_commit for slow work). Arguments: version, user.
version_published = Signal()

# Sent by ``states.edition_state_move`` after every edition move (state saved,
# audit written), inside the move's transaction. Arguments: edition, move,
# version (or None), from_state, to_state, user. Receivers that write must
# write in that transaction (a rolled-back move then leaves nothing).
edition_moved = Signal()

# Sent by ``states.article_state_move`` after every move of a whole article
# (embargo, withdrawal, reinstatement), inside the move's transaction.
# Arguments: article, move, user.
article_moved = Signal()
