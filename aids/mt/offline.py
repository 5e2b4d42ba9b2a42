"""The default provider: drafts from the newsroom's own approved work, offline."""

from django.utils.translation import gettext_lazy as _

from ..glossary import glossary_for_article
from ..memory.fingerprint import normalise, source_hash
from ..memory.segmentation import sentence_split
from .base import MachineTranslationProvider


class PretranslateProvider(MachineTranslationProvider):
    """A draft from the newsroom's own approved work, with no network.

    Sentence by sentence: a sentence the memory holds exactly (from another
    approved article) is replaced by its approved translation; any other
    sentence stays in the source language, with the glossary's names in it
    replaced by their agreed spelling in the target language, for the
    translator to finish. Names keep no inflection: it is a draft.
    """

    name = "pretranslate"
    label = _("Pretranslate from the memory and the glossary (offline)")
    wants_glossary = True

    def __init__(self, glossary=None):
        self.glossary = glossary

    def translate(self, text, source_language, target_language):
        from ..models import TMSegment

        sentences = sentence_split(text, source_language)
        if not sentences:
            return ""
        by_hash = {}
        for segment in TMSegment.objects.filter(
            source_language=source_language,
            target_language=target_language,
            source_hash__in={source_hash(sentence) for sentence in sentences},
        ).order_by("-id").only("source_hash", "target_text"):
            by_hash.setdefault(segment.source_hash, segment.target_text)
        glossary = self.glossary if self.glossary is not None else glossary_for_article()
        drafts = []
        for sentence in sentences:
            known = by_hash.get(source_hash(sentence))
            drafts.append(known or self._with_names(sentence, glossary, source_language,
                                                   target_language))
        return " ".join(drafts)

    @staticmethod
    def _with_names(sentence, glossary, source_language, target_language):
        sentence = normalise(sentence)
        for span in reversed(glossary.find(sentence, source_language)):
            agreed = span.term.rendering(target_language)
            if agreed:
                sentence = sentence[: span.start] + agreed + sentence[span.end :]
        return sentence
