"""The background task of a source's run (``manage.py db_worker`` runs it)."""

from django.tasks import task

from .models import FeedSource
from .services import feed_source_run


@task
def feed_source_run_task(*, source_id):
    """Run one source: fetch it and import its items (see ``services``)."""
    source = FeedSource.objects.filter(pk=source_id).first()
    if source is None:
        return None
    report = feed_source_run(source=source)
    return {"status": report.status, "summary": report.summary()}
