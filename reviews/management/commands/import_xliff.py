"""``manage.py import_xliff FILE --user USERNAME``.

Exit status: 0 when every unit was written or left as it was; 2 when the file
was read but some units were refused (conflicts, unknown ids: see the report
printed); 1 when the whole file was refused and nothing was written.
"""

import os

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.xliff import xliff_import
from reviews.xliff.parsing import byte_limit, too_large

UNITS_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Import a translated XLIFF file (or a zip of them) exported from Tilmash into the "
        "working copy, with the desk's rules for USERNAME; prints what happened to every unit."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an XLIFF 2.0 or 1.2 file, or a zip of them")
        parser.add_argument(
            "--user", required=True, metavar="USERNAME", help="who imports: their rights apply"
        )

    def handle(self, *args, file, user, **options):
        account = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: user}).first()
        if account is None:
            raise CommandError(_("There is no user “%(user)s”.") % {"user": user})
        try:
            size = os.path.getsize(file)
            if size > byte_limit():
                raise too_large(size)
            with open(file, "rb") as handle:
                report = xliff_import(source=handle, user=account, name=os.path.basename(file))
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
        except (PermissionDenied, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(
                _("%(file)s: nothing imported. %(problem)s")
                % {"file": file, "problem": " ".join(messages)}
            ) from None
        for outcome in report.files:
            self.stdout.write(
                _("%(file)s → %(edition)s (XLIFF %(version)s, export %(export)s)")
                % {
                    "file": outcome.name,
                    "edition": outcome.edition,
                    "version": outcome.xliff_version,
                    "export": outcome.export_id or "—",
                }
            )
            for unit in outcome.units:
                self.stdout.write(f"  {unit.key}\t{unit.status}\t{unit.status_display}")
        refused = report.refused
        if refused:
            raise CommandError(
                _("%(count)d unit(s) refused: %(keys)s.")
                % {"count": len(refused), "keys": ", ".join(unit.key for unit in refused)},
                returncode=UNITS_REFUSED,
            )
