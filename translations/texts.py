"""What any unit's text must be, and its fingerprint."""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def text_hash(text):
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


# What text_validate refuses, as one character class: control characters but
# tab and line feed, DEL, lone surrogates. A search in C, not a loop in Python.
UNSTORABLE_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def text_validate(text, *, label=None):
    """Refuse text no paragraph may hold: too long, control characters, lone surrogates."""
    limit = settings.TILMASH_MAX_PARAGRAPH_CHARS
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s is %(length)d characters long; the limit is %(limit)d.")
            % {"label": label or _("Text"), "length": len(text), "limit": limit},
            code="too_long",
        )
    found = UNSTORABLE_CHARACTER.search(text)
    if found is not None:
        raise ValidationError(
            _("%(label)s contains a character that cannot be stored (U+%(code)04X).")
            % {"label": label or _("Text"), "code": ord(found.group())},
            code="bad_character",
        )
    return text


def text_pair_hash(source, target):
    """The hash of a unit's source and translation together: what a "checked" mark
    (``reviews``) and a check's dismissal (``aids``) are tied to, so that either
    lapses when either side changes. The separator cannot occur in stored text
    (:func:`text_validate` refuses control characters)."""
    return text_hash(f"{source or ''}\x1f{target or ''}")
