"""Export of the memory's approved pairs as TMX 1.4b, for other CAT tools."""

import re
from datetime import UTC
from xml.sax.saxutils import XMLGenerator

from django.utils import timezone

from ..models import TMSegment

TMX_DATE = "%Y%m%dT%H%M%SZ"
# XML 1.0 cannot carry these, escaped or not.
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text):
    return NOT_XML_RE.sub("", text)


def tmx_export(*, out, source_language=None, target_language=None):
    """Write the memory's pairs (optionally of one language pair) to the stream ``out``.

    ``out`` is a text or binary stream; the document is UTF-8. Each ``<tu>``
    carries its source language, whether it is a sentence or a paragraph,
    and the article it came from (``x-article``). Returns the number of units.
    """
    segments = TMSegment.objects.select_related("article").order_by("pk").defer("bands")
    if source_language:
        segments = segments.filter(source_language=source_language)
    if target_language:
        segments = segments.filter(target_language=target_language)
    xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("tmx", {"version": "1.4"})
    xml.characters("\n")
    xml.startElement("header", {
        "creationtool": "Tilmash",
        "creationtoolversion": "1",
        "segtype": "sentence",
        "o-tmf": "Tilmash",
        "adminlang": "en",
        "srclang": source_language or "*all*",
        "datatype": "plaintext",
        "creationdate": timezone.now().astimezone(UTC).strftime(TMX_DATE),
    })
    xml.endElement("header")
    xml.characters("\n")
    xml.startElement("body", {})
    xml.characters("\n")
    count = 0
    for segment in segments.iterator(chunk_size=2000):
        xml.startElement("tu", {
            "tuid": str(segment.pk),
            "srclang": segment.source_language,
            "segtype": "paragraph" if segment.is_paragraph else "sentence",
            "creationdate": segment.created_at.astimezone(UTC).strftime(TMX_DATE),
        })
        xml.startElement("prop", {"type": "x-article"})
        xml.characters(segment.article.slug)
        xml.endElement("prop")
        for language, text in (
            (segment.source_language, segment.source_text),
            (segment.target_language, segment.target_text),
        ):
            xml.startElement("tuv", {"xml:lang": language})
            xml.startElement("seg", {})
            xml.characters(_xml_text(text))
            xml.endElement("seg")
            xml.endElement("tuv")
        xml.endElement("tu")
        xml.characters("\n")
        count += 1
    xml.endElement("body")
    xml.endElement("tmx")
    xml.characters("\n")
    xml.endDocument()
    return count
