"""Signals the content sends to the desk, so that ``reviews`` can listen
without ``translations`` importing it."""

from django.dispatch import Signal

# Sent after a source-language title or paragraph text was saved, inside the
# saving transaction. Arguments: unit, article, user.
source_changed = Signal()

# Sent after a version became its edition's live version, inside the approving
# transaction (use transaction.on_commit for slow work). Arguments: version, user.
version_published = Signal()
