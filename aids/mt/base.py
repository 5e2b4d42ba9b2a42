"""The provider interface every machine translation service implements."""

from abc import ABC, abstractmethod

from django.utils.translation import gettext_lazy as _


class MachineTranslationError(Exception):
    """The provider could not translate (network, quota, unsupported language).

    Its text is a translated message for the translator's row: what failed and,
    where it helps, what to do about it.
    """


class MachineTranslationProvider(ABC):
    """Turns a text of one language into a draft in another.

    Before calling :meth:`translate`, :func:`aids.mt.mt_translate` sets ``glossary``
    (an :class:`aids.glossary.Glossary` with the newsroom's and the article's terms)
    when the provider ``wants_glossary``, and ``context`` (an
    :class:`aids.mt.context.ArticleContext`) when it ``wants_context``.
    """

    name = ""
    label = ""
    wants_glossary = False
    wants_context = False
    glossary = None
    context = None

    @abstractmethod
    def translate(self, text, source_language, target_language):
        """Return the draft translation of ``text`` (a str)."""


class EchoProvider(MachineTranslationProvider):
    """Returns the source text unchanged: for tests and demos, translates nothing."""

    name = "echo"
    label = _("Echo (returns the source text; no translation)")

    def translate(self, text, source_language, target_language):
        return text
