"""Importing an article from the desk: a preview first, then the write it showed.

The preview is the importer run and rolled back
(:func:`translations.importing.article_import_plan`); its token, signed, names
the article it found and the fingerprint of that article as it was. The
confirmation runs the importer again in one transaction and keeps the result
only when the article is still exactly as previewed, so what is written is
what was shown. Who may import what is :func:`reviews.workflow.import_allowed`,
checked in both steps.
"""

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from translations.importing import article_import_plan
from translations.models import Article, EditionState

from ..workflow import Permission, edition_actions, import_allowed
from .assignment import edition_assign

TOKEN_SALT = "reviews.article-import"
# A preview left open longer than this is previewed again before it is confirmed.
TOKEN_MAX_AGE = 2 * 60 * 60


def article_import_preview(*, data, language, user, publish=False, article_slug=None):
    """What importing ``data`` would do, and the token that confirms exactly that.

    Returns ``(plan, token)``. Writes nothing; raises ``ArticleImportError``
    (a ``ValidationError``) for a file the importer refuses and
    ``PermissionDenied`` where ``user`` may not import it.
    """
    plan = article_import_plan(
        data=data, language=language, publish=publish, article_slug=article_slug, user=user
    )
    _require(plan, user=user, language=language, publish=publish)
    token = signing.dumps(
        {"slug": plan.report.slug, "fingerprint": plan.fingerprint},
        salt=TOKEN_SALT,
    )
    return plan, token


def article_import_confirm(*, data, language, user, token, publish=False, article_slug=None):
    """Import ``data`` as its preview (``token``) showed, or refuse and write nothing."""
    try:
        previewed = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("The preview has expired: preview the import again.")) from None
    except signing.BadSignature:
        raise ValidationError(_("Preview the import before confirming it.")) from None
    with transaction.atomic():
        plan = article_import_plan(
            data=data,
            language=language,
            publish=publish,
            article_slug=article_slug,
            user=user,
            commit=True,
            slug=previewed["slug"],
            expected=previewed["fingerprint"],
        )
        _require(plan, user=user, language=language, publish=publish)
        if plan.report.kind == "created" and plan.report.state != EditionState.APPROVED:
            _author_assign(plan.report.slug, user)
    return plan


def _require(plan, *, user, language, publish):
    article = None
    if plan.report.kind != "created":
        article = Article.objects.filter(slug=plan.report.slug).first()
    if not import_allowed(user=user, article=article, language=language, publish=publish):
        if publish:
            raise PermissionDenied(_("Only an editor may publish on import."))
        raise PermissionDenied(_("You may not import into this article."))


def _author_assign(slug, user):
    """The one who imported a new article works on its source edition, as its author
    (as when an article is written on the add page)."""
    article = Article.objects.get(slug=slug)
    edition = article.editions.get(language=article.source_language)
    if Permission.ASSIGN in edition_actions(edition=edition, user=user):
        edition_assign(edition=edition, users=[user], by=user)
