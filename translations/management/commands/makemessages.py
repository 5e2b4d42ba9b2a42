"""``makemessages`` without fuzzy matching.

msgmerge's default guesses a translation for each new message from a similar
old one ("Page %(number)s" for "Version %(number)d") and marks it fuzzy; in
this project's catalogues those guesses are wrong far more often than right,
so a new message starts untranslated instead.

A catalogue with nothing new keeps its bytes, ``POT-Creation-Date`` included:
msgmerge in ``--update`` mode does not rewrite a catalogue whose only change
would be that date, so ``make messages`` on an up-to-date tree leaves no diff
(``.ci/check-messages`` relies on it; tests/translations/test_makemessages.py
checks it).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
