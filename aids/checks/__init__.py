"""QA checks on a translated text, and the registry that runs them.

Each check is a small class (see :class:`~aids.checks.base.Check`) in one of
this package's modules; the public names are re-exported here so callers
import ``from aids.checks import checks_run, Issue``.
"""

from .base import ERROR, WARNING, Check, Issue
from .compare import DatesCheck, LinksCheck, NumbersCheck, PercentagesCheck, TimesCheck
from .content import EmptyCheck, LengthCheck, SameCheck
from .terms import GlossaryCheck
from .typography import QuotesBalanceCheck, QuotesStyleCheck, WhitespaceCheck

# Run (and reported) in this order: errors first, then warnings.
REGISTRY = {
    check.id: check
    for check in (
        EmptyCheck(),
        SameCheck(),
        NumbersCheck(),
        PercentagesCheck(),
        DatesCheck(),
        TimesCheck(),
        LinksCheck(),
        GlossaryCheck(),
        QuotesBalanceCheck(),
        QuotesStyleCheck(),
        LengthCheck(),
        WhitespaceCheck(),
    )
}


def check_register(check):
    """Add a check (an instance of a :class:`Check` subclass) to every run."""
    if not check.id or check.id in REGISTRY:
        raise ValueError(f"A check needs an id of its own: {check.id!r}")
    REGISTRY[check.id] = check
    return check


def check_get(check_id):
    return REGISTRY.get(check_id)


def checks_all():
    return list(REGISTRY.values())


def checks_run(*, source, target, source_language, target_language, glossary=(), only=None):
    """Every registered check on one translated text; a list of :class:`Issue`.

    ``glossary`` is an :class:`aids.glossary.Glossary` (build one per article
    with ``glossary_for_article`` and reuse it for every paragraph) or an
    iterable of terms. ``only`` limits the run to those check ids. An empty
    translation is reported once, by the ``empty`` check.
    """
    from aids.glossary import Glossary

    if not isinstance(glossary, Glossary):
        glossary = Glossary(glossary)
    context = {"glossary": glossary}
    source, target = source or "", target or ""
    blank = not target.strip()
    issues = []
    for check in REGISTRY.values():
        if only is not None and check.id not in only:
            continue
        if blank and not check.runs_on_empty:
            continue
        issues += check.check(source, target, source_language, target_language, context)
    return issues


__all__ = [
    "ERROR",
    "REGISTRY",
    "WARNING",
    "Check",
    "Issue",
    "check_get",
    "check_register",
    "checks_all",
    "checks_run",
]
