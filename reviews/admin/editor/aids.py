"""The translator's aids on the editor page (``aids`` is a required app of the desk).

- QA checks: each row lists its issues; an error blocks submission until it
  is fixed or dismissed with a reason (:func:`aids.services.check_dismiss`).
- Glossary: agreed terms are marked in the source text, with their rendering.
- Memory and machine translation: on demand, one row at a time
  (:func:`suggestions`), so the page's queries do not grow with the article.

A fixed number of queries for the whole page: the check report's four and the
glossary's one.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from aids.glossary import glossary_for_article, glossary_highlight
from aids.memory.lookup import tm_suggestions
from aids.mt import MachineTranslationError, mt_translate
from aids.services import edition_check_report

HIDDEN_CHECKS = {"empty"}  # the row's "untranslated" marker says it already


def aids_apply(page):
    """Attach each row's issues and the source text with glossary terms marked."""
    if page.is_source:
        return
    report = edition_check_report(edition=page.edition)
    glossary = glossary_for_article(article=page.article)
    source_language, language = page.article.source_language, page.edition.language
    for row in page.rows:
        row.issues = [
            _shown(row.key, issue)
            for issue in report.get(row.key, [])
            if issue.check_id not in HIDDEN_CHECKS
        ]
        if glossary and row.source:
            spans = glossary_highlight(text=row.source, language=source_language, glossary=glossary)
            row.source_html = _marked(row.source, spans, language)


def _shown(key, issue):
    """What a row draws of one issue, as a dict (the template engine's quickest lookup);
    ``form`` is the id of the form that dismisses it."""
    return {
        "unit_key": key,
        "check_id": issue.check_id,
        "name": issue.name,
        "severity": issue.severity,
        "message": issue.message,
        "dismissed": issue.dismissed,
        "reason": issue.reason,
        "blocking": issue.blocking,
        "form": f"dismiss-{key}-{issue.check_id}",
    }


def _marked(text, spans, language):
    """``text`` escaped, with each glossary span in a ``<mark>`` naming the agreed rendering."""
    parts, at = [], 0
    for span in spans:
        if span.start < at:
            continue  # overlapping matches: the first (and longest) wins
        parts.append(escape(text[at : span.start]))
        if span.forbidden:
            title = _("Not the agreed spelling: %(term)s") % {
                "term": span.term.rendering(language) or span.forbidden
            }
            parts.append(
                format_html('<mark class="term-wrong" title="{}">{}</mark>', title, span.text)
            )
        else:
            rendering = span.term.rendering(language)
            title = (
                _("Glossary: %(rendering)s") % {"rendering": rendering}
                if rendering
                else _("Glossary term (no agreed rendering in this language yet)")
            )
            parts.append(format_html('<mark class="term" title="{}">{}</mark>', title, span.text))
        at = span.end
    parts.append(escape(text[at:]))
    return mark_safe("".join(str(part) for part in parts))


def suggestions(*, edition, key, source):
    """Memory suggestions and a machine draft for one unit's source text.

    ``{"memory": [{"source", "target", "similarity", "exact", "segment"}, …],
    "machine": str, "machine_error": str}``.
    """
    result = {"memory": [], "machine": "", "machine_error": ""}
    if not source.strip():
        return result
    article = edition.article
    result["memory"] = tm_suggestions(
        text=source,
        source_language=article.source_language,
        target_language=edition.language,
        exclude_article=article,
    )
    try:
        result["machine"] = mt_translate(
            text=source,
            source_language=article.source_language,
            target_language=edition.language,
            article=article,
        )
    except MachineTranslationError as error:
        result["machine_error"] = str(error) or _("Machine translation is unavailable.")
    return result
