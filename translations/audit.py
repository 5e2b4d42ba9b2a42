"""The audit: one immutable entry per write that matters (who, when, what, from, to, why)."""

from .models import AuditEntry


def audit_record(
    *,
    action,
    actor=None,
    article=None,
    edition=None,
    version=None,
    from_state="",
    to_state="",
    comment="",
    data=None,
):
    """Write one immutable audit entry (``action`` is dotted: ``reviews.version.approve``)."""
    if edition is not None and article is None:
        article = edition.article
    if version is not None and edition is None:
        edition = version.edition
        article = article or edition.article
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        article=article,
        edition=edition,
        version=version,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )
