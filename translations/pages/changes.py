"""What changes a pre-built page: the saves that replace an article's page generation."""

from django.db.models.signals import post_delete, post_save, pre_save

from ..models import Article, Contributor, Edition, PublicPageGeneration
from .build import _generation_token
from .store import _memory, enabled

# A rename rebuilds this many of the contributor's newest articles after its
# commit; the others' pages are stale from the commit and rebuilt on request.
RENAME_REBUILD_MAX = 20
# Fields whose change changes what a page shows.
EDITION_PAGE_FIELDS = frozenset({"live_version", "follows", "embargo_until", "language"})
ARTICLE_PAGE_FIELDS = frozenset(
    {"slug", "dateline", "source_language", "embargo_until", "withdrawn_at"}
)


def article_changed(article_id):
    """What the article's pages show changes in the current transaction: its pages stop
    being served when it commits, and are built again just after (``_build_queue``)."""
    if not enabled():
        return
    PublicPageGeneration.objects.bulk_create(
        [PublicPageGeneration(article_id=article_id, generation=_generation_token())],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["generation"],
    )
    _memory.forget()
    _build_queue([article_id])


def _build_queue(article_ids):
    """Queue the build in the changing transaction: the task worker runs it once the change
    commits (a reader who comes first builds the pages itself, ``article_repair``)."""
    from ..tasks import public_pages_build

    if article_ids:
        public_pages_build.enqueue(article_ids=list(article_ids))


def contributor_renamed(contributor_id):
    """A contributor's name changed: every page crediting them is stale from the commit;
    the newest few are rebuilt after it, the others on request."""
    if not enabled():
        return
    credited = Edition.objects.filter(live_version__credits__contributor_id=contributor_id).values(
        "article_id"
    )
    PublicPageGeneration.objects.filter(article_id__in=credited).update(
        generation=_generation_token()
    )
    _memory.forget()
    newest = list(
        Article.objects.filter(pk__in=credited)
        .order_by("-dateline", "-id")
        .values_list("pk", flat=True)[:RENAME_REBUILD_MAX]
    )
    _build_queue(newest)


def _edition_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields is not None and not EDITION_PAGE_FIELDS & set(update_fields)):
        return
    article_changed(instance.article_id)


def _edition_deleted(sender, instance, **kwargs):
    # An update only: the article itself may be being deleted in this transaction.
    if enabled():
        PublicPageGeneration.objects.filter(article_id=instance.article_id).update(
            generation=_generation_token()
        )
        _memory.forget()
        _build_queue([instance.article_id])


def _article_before_save(sender, instance, update_fields=None, **kwargs):
    if not enabled() or instance._state.adding:
        return
    if update_fields is not None and not ARTICLE_PAGE_FIELDS & set(update_fields):
        return
    fields = sorted(ARTICLE_PAGE_FIELDS)
    before = Article.objects.filter(pk=instance.pk).values_list(*fields).first()
    if before is not None and before != tuple(getattr(instance, field) for field in fields):
        instance._public_pages_changed = True


def _article_saved(sender, instance, **kwargs):
    if instance.__dict__.pop("_public_pages_changed", False):
        article_changed(instance.pk)


def _contributor_before_save(sender, instance, update_fields=None, **kwargs):
    if enabled() and instance.spelling_changes_on_save(update_fields):
        instance._public_pages_renamed = True


def _contributor_saved(sender, instance, **kwargs):
    if instance.__dict__.pop("_public_pages_renamed", False):
        contributor_renamed(instance.pk)


def connect():
    """Called once from ``TranslationsConfig.ready``."""
    uid = "translations.pages"
    post_save.connect(_edition_saved, sender=Edition, dispatch_uid=f"{uid}.edition")
    post_delete.connect(_edition_deleted, sender=Edition, dispatch_uid=f"{uid}.edition_del")
    pre_save.connect(_article_before_save, sender=Article, dispatch_uid=f"{uid}.article_pre")
    post_save.connect(_article_saved, sender=Article, dispatch_uid=f"{uid}.article")
    pre_save.connect(
        _contributor_before_save, sender=Contributor, dispatch_uid=f"{uid}.contributor_pre"
    )
    post_save.connect(_contributor_saved, sender=Contributor, dispatch_uid=f"{uid}.contributor")
