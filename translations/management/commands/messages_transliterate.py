"""Write the catalogue of each transliterated language from its source's.

``kk-latn`` pages need their own catalogue (``locale/kk_Latn``): without one,
gettext falls back from ``kk_Latn`` to ``kk`` and a Latin page gets Cyrillic
interface words. The Latin catalogue is the Kazakh one with every translation
transliterated by ``translations.transliteration``, so it is never edited by
hand: run this (``make messages`` does) after the Kazakh catalogue changes.
The output depends only on the Kazakh catalogue, so running it twice changes
nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale

from translations.transliteration import transliterator

DOMAINS = ("django", "djangojs")


def catalogue_transliterate(source_path, target_path, *, convert, language):
    """Write ``target_path`` from the catalogue at ``source_path``; the number translated."""
    import polib  # a development tool: catalogues are made before deploying

    source = polib.pofile(str(source_path), wrapwidth=79)
    target = polib.POFile(wrapwidth=79)
    target.header = source.header
    target.metadata = dict(source.metadata)
    target.metadata["Language"] = language
    translated = 0
    for entry in source:
        if entry.obsolete:
            continue
        copy = polib.POEntry(
            msgctxt=entry.msgctxt,
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=list(entry.flags),
        )
        if entry.msgid_plural:
            copy.msgstr_plural = {
                index: convert(text).text for index, text in entry.msgstr_plural.items()
            }
        else:
            copy.msgstr = convert(entry.msgstr).text
        if entry.translated():
            translated += 1
        target.append(copy)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    target.save(str(target_path))
    return translated


class Command(BaseCommand):
    help = (
        "Write the catalogues of the transliterated languages (kk-latn) from their "
        "source languages' catalogues, and compile them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-compile", action="store_true", help="Write the .po files only."
        )

    def handle(self, *args, **options):
        written = []
        for target, source in settings.TILMASH_DERIVED_LANGUAGES.items():
            convert = transliterator(source, target)
            if convert is None:
                raise CommandError(f"No transliteration from {source} to {target}.")
            # Every catalogue folder: the project's (locale/) and the corrections to Django's.
            for locale_dir in map(Path, settings.LOCALE_PATHS):
                for domain in DOMAINS:
                    source_path = locale_dir / to_locale(source) / "LC_MESSAGES" / f"{domain}.po"
                    if not source_path.exists():
                        continue
                    target_path = locale_dir / to_locale(target) / "LC_MESSAGES" / f"{domain}.po"
                    count = catalogue_transliterate(
                        source_path, target_path, convert=convert, language=to_locale(target)
                    )
                    self.stdout.write(f"{target_path}: {count} messages from {source_path}")
            written.append(to_locale(target))
        if written and not options["no_compile"]:
            call_command("compilemessages", locale=written, verbosity=options["verbosity"])
