"""``manage.py agency_fetch [--source ID …]``: run agency feed sources now."""

from django.core.management.base import BaseCommand, CommandError

from agency.models import FeedSource
from agency.services import feed_source_run


class Command(BaseCommand):
    help = (
        "Fetch agency feed sources and import their new and updated items: the given "
        "sources, or every active one (the task worker does this on their schedule)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", help="a source's id")

    def handle(self, *args, source=None, **options):
        sources = FeedSource.objects.all() if source else FeedSource.objects.filter(active=True)
        if source:
            sources = sources.filter(pk__in=source)
            if sources.count() != len(set(source)):
                raise CommandError("No feed source with some of these ids.")
        failed = False
        for feed in sources:
            report = feed_source_run(source=feed)
            failed |= report.status != "ok"
            self.stdout.write(f"{feed.name}: {report.summary()}")
            for problem in report.problems:
                self.stdout.write(f"  {problem}")
        if failed:
            raise CommandError("Some items or sources failed; see above.", returncode=2)
