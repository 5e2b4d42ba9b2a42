"""The languages the desk works in, as configured in settings.LANGUAGES."""

from django.conf import settings


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def language_choices():
    return list(settings.LANGUAGES)


def is_language(code):
    return code in language_codes()


def language_name(code):
    return dict(settings.LANGUAGES)[code]


def localized_field(name, language):
    """``localized_field("text", "kk") == "text_kk"``: modeltranslation's column."""
    return f"{name}_{language.replace('-', '_')}"


def language_derived_from(code):
    """The language ``code``'s editions are transliterated from, or ``None``.

    ``settings.TILMASH_DERIVED_LANGUAGES``: ``{"kk-latn": "kk"}``.
    """
    return getattr(settings, "TILMASH_DERIVED_LANGUAGES", {}).get(code)


def derived_languages(code):
    """The languages derived from ``code`` by transliteration."""
    return [
        target
        for target, source in getattr(settings, "TILMASH_DERIVED_LANGUAGES", {}).items()
        if source == code and is_language(target)
    ]


def language_tag(code):
    """``code`` as a BCP 47 tag, cased as the standard writes it: "kk-latn" → "kk-Latn"."""
    parts = code.split("-")
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            tag.append(part.title())  # script
        elif len(part) == 2 and part.isalpha():
            tag.append(part.upper())  # region
        else:
            tag.append(part.lower())
    return "-".join(tag)
