"""Translator aids: QA checks, glossary, translation memory, machine translation.

Depends on ``translations`` only; ``reviews`` calls in (the translator's
editor, the submit service, the editor's version page).
"""
