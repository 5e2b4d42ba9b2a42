import sys

from django.core.management.base import BaseCommand, CommandError

from aids.memory import tmx_export
from translations.languages import is_language


class Command(BaseCommand):
    help = "Write the translation memory's approved pairs as a TMX 1.4b document."

    def add_arguments(self, parser):
        parser.add_argument("--source-language", help="only pairs from this language")
        parser.add_argument("--target-language", help="only pairs into this language")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, source_language, target_language, output, **options):
        for code in (source_language, target_language):
            if code and not is_language(code):
                raise CommandError(f"Unknown language: {code}.")
        if output:
            with open(output, "wb") as out:
                count = tmx_export(out=out, source_language=source_language,
                                   target_language=target_language)
            self.stderr.write(f"{count} translation units written to {output}.")
        else:
            count = tmx_export(out=sys.stdout.buffer, source_language=source_language,
                               target_language=target_language)
            sys.stdout.flush()
