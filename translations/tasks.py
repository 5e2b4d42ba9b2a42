"""Background work of the content app, run by the task worker (``manage.py db_worker``)."""

from django.tasks import task


@task
def public_pages_build(*, article_ids):
    """Build the public pages of ``article_ids`` (``translations.pages``), unless built
    already for their current generation by a reader or an earlier task."""
    from . import pages

    pages.articles_build_if_stale(article_ids)
