"""Reads for the desk's pages, with the joins that keep their queries constant."""

from translations.models import AuditEntry


def edition_timeline(*, edition):
    """Every recorded move on ``edition``, oldest first, with who made it."""
    return (
        AuditEntry.objects.filter(edition=edition)
        .select_related("actor", "version")
        .order_by("created_at", "id")
    )
