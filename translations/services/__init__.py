"""Writes to the content. Keyword-only, each multi-row write in one transaction.

These are the primitives: they keep the content consistent (revisions,
snapshots, credits, the audit) but know nothing of who may do what. The
desk's services (``reviews.services``, ``reviews.workflow`` for the rules)
and the importer call these.

- :mod:`.saving`: units' text, conflict-checked, many rows per statement.
- :mod:`.versions`: snapshots, and making a version live.
- :mod:`.credits`: contributors and a version's credits.
- :mod:`.articles`: a new article, a new edition.

Beside them in the app: the audit (``translations.audit``), the text rules
(``translations.texts``), a unit's bookkeeping (``translations.units``) and
the editions' state machine (``translations.states``).
"""

from ..audit import audit_record
from ..states import Move, edition_state_move
from ..texts import text_hash, text_validate
from .articles import article_create, edition_get_or_create, edition_start
from .credits import contributor_by_name, contributor_for_user, credits_replace
from .saving import UnitSaveResult, UnitWrite, unit_text_save, units_text_save
from .versions import version_go_live, version_snapshot

__all__ = [
    "Move",
    "UnitSaveResult",
    "UnitWrite",
    "article_create",
    "audit_record",
    "contributor_by_name",
    "contributor_for_user",
    "credits_replace",
    "edition_get_or_create",
    "edition_start",
    "edition_state_move",
    "text_hash",
    "text_validate",
    "unit_text_save",
    "units_text_save",
    "version_go_live",
    "version_snapshot",
]
