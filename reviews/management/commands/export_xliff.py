"""``manage.py export_xliff --article SLUG --language LANG [--xliff-version 2.0|1.2] [-o FILE]``."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.xliff import DEFAULT_VERSION, VERSIONS, xliff_export
from translations.models import Edition


class Command(BaseCommand):
    help = (
        "Export one translation's working copy as XLIFF for a CAT tool: one unit per "
        "paragraph plus the title, with the revisions the import needs to find conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", required=True, metavar="SLUG", help="the article's slug")
        parser.add_argument(
            "--language", required=True, help="the target language (the edition to export)"
        )
        parser.add_argument(
            "--xliff-version", choices=VERSIONS, default=DEFAULT_VERSION, help="XLIFF version"
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write here instead of standard output"
        )

    def handle(self, *args, article, language, xliff_version, output, **options):
        edition = (
            Edition.objects.select_related("article")
            .filter(article__slug=article, language=language)
            .first()
        )
        if edition is None:
            raise CommandError(
                _("There is no %(language)s edition of “%(slug)s”.")
                % {"language": language, "slug": article}
            )
        try:
            export = xliff_export(edition=edition, xliff_version=xliff_version)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not output or output == "-":
            self.stdout.flush()
            sys.stdout.buffer.write(export.content)
            sys.stdout.buffer.flush()
            return
        try:
            with open(output, "wb") as handle:
                handle.write(export.content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror or error}") from None
        self.stderr.write(
            _("%(file)s: %(units)d units, export %(export)s.")
            % {"file": output, "units": len(export.units), "export": export.export_id}
        )
