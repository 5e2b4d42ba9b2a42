"""``manage.py import_article FILE --language LANG [--publish] [--article SLUG]``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from translations.importing import ArticleImportError, article_import
from translations.languages import language_codes
from translations.models import EditionState


class Command(BaseCommand):
    help = (
        "Import an article from a plain-text file (title; blank line; dateline "
        "DD.MM.YYYY, HH:MM in Asia/Almaty time; paragraphs separated by blank lines; "
        "credit lines). A file imported again updates its article. Bad input is "
        "refused with the line at fault, and then nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the article, as UTF-8 text")
        parser.add_argument(
            "--language",
            required=True,
            help=f"the language the file is written in: one of {', '.join(language_codes())}",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="make the imported text the approved, public version, with the file's credits",
        )
        parser.add_argument(
            "--article",
            dest="article_slug",
            metavar="SLUG",
            help="import the file into this existing article: a translation of it, or, "
            "in its source language, a new source text",
        )

    def handle(self, *args, file, language, publish, article_slug, **options):
        try:
            with open(file, "rb") as handle:
                # One byte past the limit is enough for the importer to refuse it.
                data = handle.read(settings.TILMASH_MAX_IMPORT_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
        try:
            report = article_import(
                data=data, language=language, publish=publish, article_slug=article_slug
            )
        except ArticleImportError as error:
            if error.line is None:
                raise CommandError(f"{file}: {error.problem}") from None
            raise CommandError(
                _("%(file)s, line %(line)d: %(problem)s")
                % {"file": file, "line": error.line, "problem": error.problem}
            ) from None
        for line in report_lines(report):
            self.stdout.write(line)


def report_lines(report):
    kinds = {
        "created": _("New article"),
        "updated": _("Article updated"),
        "attached": _("Edition imported"),
    }
    lines = [
        f"{kinds[report.kind]}: {report.slug} ({report.language})",
        (
            _("Public path: %(path)s")
            if report.live_version
            else _("Public path, once a version is approved: %(path)s")
        )
        % {"path": report.path},
        _(
            "Paragraphs: %(added)d added, %(changed)d changed, %(removed)d removed, "
            "%(unchanged)d unchanged (%(moved)d moved)"
        )
        % {
            "added": report.added,
            "changed": report.changed,
            "removed": report.removed,
            "unchanged": report.unchanged,
            "moved": report.moved,
        },
        _("Title changed: %(answer)s") % {"answer": _("yes") if report.title_changed else _("no")},
    ]
    if report.dateline_changed:
        lines.append(_("Dateline changed."))
    if report.published_version:
        lines.append(_("Published as version %(number)d.") % {"number": report.published_version})
    elif report.publish_requested:
        lines.append(
            _("Nothing new to publish: version %(number)d stays live.")
            % {"number": report.live_version}
        )
    else:
        lines.append(
            _("Not published: a draft; the edition is %(state)s.")
            % {"state": EditionState(report.state).label}
        )
    lines += report.notes
    return lines
