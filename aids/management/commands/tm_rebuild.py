from django.core.management.base import BaseCommand

from aids.memory import tm_rebuild


class Command(BaseCommand):
    help = (
        "Empty the translation memory and fill it again from every live translation "
        "version (after changing how segments are cut or fingerprinted, or to repair it)."
    )

    def handle(self, *args, **options):
        written = tm_rebuild()
        self.stdout.write(f"Translation memory rebuilt: {written} segments.")
