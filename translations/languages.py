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
