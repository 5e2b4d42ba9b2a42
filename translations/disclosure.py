"""Lines the public page prints after an edition's credits, supplied by other apps.

The content app does not know how a text was made; the desk does (machine
pre-translation, ``reviews``). An app registers a source with
:func:`disclosure_source_add` (in its ``AppConfig.ready``); the article page
prints what the sources answer for the live version, in the page's language.
A source answers ``[]`` without a query when its newsroom setting is off.
"""

_SOURCES = []


def disclosure_source_add(source):
    """Register ``source(*, version, language, credits)`` → a list of lines (once)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def disclosure_lines(*, version, language, credits):
    """Every registered source's lines for ``version`` on a ``language`` page."""
    lines = []
    for source in _SOURCES:
        lines += source(version=version, language=language, credits=credits)
    return lines
