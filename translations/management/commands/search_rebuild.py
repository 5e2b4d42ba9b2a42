"""``python manage.py search_rebuild``: the public search's entries, written afresh."""

from django.core.management.base import BaseCommand

from translations import search


class Command(BaseCommand):
    help = "Rewrite the public search entries from every edition's live version."

    def handle(self, *args, **options):
        count = search.entries_rebuild()
        self.stdout.write(f"Search entries written for {count} live editions.")
