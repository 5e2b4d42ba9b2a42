"""``makemessages`` without fuzzy matching.

msgmerge's default guesses a translation for each new message from a similar
old one ("Page %(number)s" for "Version %(number)d") and marks it fuzzy; in
this project's catalogues those guesses are wrong far more often than right,
so a new message starts untranslated instead.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
