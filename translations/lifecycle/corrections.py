"""The public corrections log of one language (``/<lang>/corrections/``), newest first.

One query per page, whatever the archive: the versions' partial index on
(approval time, id), over approved corrections only, is walked newest first
and stops after the page plus one row (which tells whether an older page
follows). A correction is listed while its edition is public now (the one
rule of ``selectors.published_filter``: no embargo running, the article not
withdrawn); a later version does not hide it (the page keeps showing its note).
"""

from django.db.models import F

from ..languages import language_codes
from ..models import Version, VersionKind
from ..selectors import EditionsPage, published_filter


def corrections_published_page(*, language, size, number=1):
    """Page ``number`` (from 1) of the approved corrections in ``language``.

    Each version carries its note, its approval time, its article's slug and
    ``live_title``, the title its edition shows now. The page's ``editions``
    are these versions.
    """
    if language not in language_codes():
        return EditionsPage(editions=[], number=number, has_next=False)
    offset = (number - 1) * size
    rows = list(
        Version.objects.filter(
            published_filter(prefix="edition__"),
            kind=VersionKind.CORRECTION,
            approved_at__isnull=False,
            edition__language=language,
        )
        .select_related("edition__article")
        .only(
            "id",
            "approved_at",
            "public_note",
            "edition__id",
            "edition__language",
            "edition__article__id",
            "edition__article__slug",
        )
        .annotate(live_title=F("edition__live_version__title"))
        .order_by("-approved_at", "-id")[offset : offset + size + 1]
    )
    return EditionsPage(editions=rows[:size], number=number, has_next=len(rows) > size)
