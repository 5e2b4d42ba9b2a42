"""What the public side may know of the machine's part in a version.

- :func:`version_machine_assisted`: whether the machine pre-translated any
  paragraph of the edition before ``version`` was made (for the structured
  data and the disclosure line).
- :func:`machine_disclosure`: the line "Machine-assisted translation, edited
  by …" in the page's language, when the newsroom turned
  ``TILMASH_MACHINE_CREDIT`` on (registered with ``translations.disclosure``).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from translations.credits import join_names
from translations.models import CreditRole

from ..models import MachineDraft


def version_machine_assisted(*, version):
    """True when the machine wrote any unit of ``version``'s edition before it (one query)."""
    return MachineDraft.objects.filter(
        edition_id=version.edition_id, created_at__lte=version.created_at
    ).exists()


def machine_disclosure(*, version, language, credits):
    """``["Machine-assisted translation, edited by …"]`` or ``[]`` (no query when off).

    The names are the version's translators and editors (``credits``, as the
    page has them), in ``language``'s spelling.
    """
    if not settings.TILMASH_MACHINE_CREDIT:
        return []
    if not version_machine_assisted(version=version):
        return []
    people = [
        credit.contributor.name_in(language)
        for credit in sorted(credits, key=lambda c: (c.role != CreditRole.TRANSLATOR, c.order))
        if credit.role in (CreditRole.TRANSLATOR, CreditRole.EDITOR)
    ]
    names = join_names(dict.fromkeys(people), language)
    with translation.override(language):
        if names:
            line = gettext("Machine-assisted translation, edited by %(names)s.")
            return [line % {"names": names}]
        return [gettext("Machine-assisted translation.")]
