"""``python manage.py public_pages_build``: every published article's pages, built afresh."""

from django.core.management.base import BaseCommand

from translations import pages


class Command(BaseCommand):
    help = "Build the pre-built public pages of every article with a live edition, newest first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="Build only the newest N articles."
        )

    def handle(self, *args, limit=None, **options):
        articles, count = pages.articles_build(limit=limit)
        self.stdout.write(f"{count} pages built for {articles} articles.")
