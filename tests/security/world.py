"""One desk in every state, the six roles that look at it, and their clients.

Built once per test package (see ``conftest.py``) inside a transaction that
is rolled back at the end; each request a test makes runs in a savepoint of
its own (:func:`isolated`), so a move one cell allows never changes what the
next cell sees.

The Kazakh edition of one article per state is the edition under test. It is
assigned to ``assigned`` (an English → Kazakh translator), except in the
``pool`` state, where nobody is assigned and both ``assigned`` and ``pool``
(another English → Kazakh translator) may claim it. ``other`` translates
English → Russian only; ``editor`` is in the Editors group; ``superuser`` is
a superuser in no group. A seventh person, ``approver``, an editor, makes
the decisions that bring the editions into their states, so that ``editor``
has written nothing and may approve.
"""

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.utils.crypto import get_random_string

from aids.models import CheckDismissal, GlossaryTerm
from reviews import services
from reviews.admin.editor.forms import LoadedRow, manifest_encode, row_digest
from reviews.models import MachineDraft
from reviews.services import comments
from tests.factories import (
    ContributorFactory,
    UserFactory,
    article_with_paragraphs,
    assign,
    editor,
    publish,
    translator,
)
from tests.reviews.helpers import rows_for
from translations.models import Article, Edition, Paragraph, Version
from translations.services import edition_get_or_create
from translations.texts import text_hash

ROLES = ("anonymous", "other", "assigned", "pool", "editor", "superuser")
STATES = ("pool", "not_started", "in_progress", "in_review", "changes_requested", "approved")
VERSION_STATES = ("in_review", "changes_requested", "approved")
LANGUAGE = "kk"

SOURCE_TEXTS = [
    "The committee met on Tuesday to discuss the new budget plan in detail.",
    "Members asked for a second reading.",
    "The vote is expected next month.",
]
# The first paragraph is short on purpose: the "length" check warns about it
# (a warning, so submission goes through), which gives the editor's check
# dismissal something to dismiss in every state with text.
KAZAKH_TEXTS = [
    "Комитет жиналды.",
    "Мүшелер екінші оқылымды сұрады.",
    "Дауыс беру келесі айда күтіледі.",
]
KAZAKH_TITLE = "Бюджет талқыланды"

# The tables a request might write to: a refused request must leave all of
# them exactly as they were. Sessions are left out: logging in and out writes
# them, and they hold no desk data.
WATCHED_MODELS = (
    "translations.Article",
    "translations.Paragraph",
    "translations.Edition",
    "translations.Version",
    "translations.Credit",
    "translations.Contributor",
    "translations.AuditEntry",
    "reviews.Assignment",
    "reviews.LanguagePair",
    "reviews.Review",
    "reviews.Comment",
    "reviews.ParagraphCheck",
    "reviews.UnitEdit",
    "reviews.DeskProfile",
    "reviews.MachineDraft",
    "reviews.Pretranslation",
    "aids.GlossaryTerm",
    "aids.CheckDismissal",
    "django_tasks_database.DBTaskResult",  # a refused move enqueues no mail
    "webhooks.Subscription",
    "webhooks.Event",
    "webhooks.Delivery",  # nor any webhook
    "api.ApiKey",
    "auth.User",
    "auth.Group",
    "auth.Permission",
)


def _watched_tables():
    tables = []
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        tables.append((model._meta.db_table, model._meta.pk.column))
        for relation in model._meta.local_many_to_many:
            through = relation.remote_field.through._meta
            tables.append((through.db_table, through.pk.column))
    return tables


def db_fingerprint():
    """A digest of every row of the watched tables (in SQL: it runs for every POST)."""
    digest = hashlib.sha256()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, pk in _watched_tables():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
            digest.update(repr(cursor.fetchall()).encode())
            digest.update(b"|")
    return digest.hexdigest()


@contextmanager
def isolated():
    """Run the block in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class Desk:
    """One article with its Kazakh edition in ``state``."""

    state: str
    article: Article
    edition: Edition
    version: Version | None = None
    comment_id: int | None = None


@dataclass
class World:
    users: dict
    desks: dict
    clients: dict
    csrf: str
    objects: dict = field(default_factory=dict)

    def desk(self, state):
        return self.desks[state]


def _article(state):
    return article_with_paragraphs(
        texts=SOURCE_TEXTS, title=f"Budget talks ({state})", slug=f"budget-{state}"
    )


def _translate(user, edition):
    rows = rows_for(edition, KAZAKH_TEXTS, title=KAZAKH_TITLE)
    services.units_save(edition=edition, user=user, rows=rows)


def _desk(state, users):
    article = _article(state)
    publish(article, "en")
    edition = edition_get_or_create(article=article, language=LANGUAGE)
    if state != "pool":
        assign(edition, users["assigned"])
    if state in ("in_progress", *VERSION_STATES):
        _translate(users["assigned"], edition)
    version = None
    if state in VERSION_STATES:
        edition = Edition.objects.get(pk=edition.pk)
        version = services.version_submit(edition=edition, user=users["assigned"])
    if state == "changes_requested":
        services.version_request_changes(
            version=version, user=users["approver"], comment="Please check the figures."
        )
    if state == "approved":
        services.version_approve(version=version, user=users["approver"])
    if state in ("in_progress", "changes_requested"):
        # The machine wrote the title and nobody confirmed it yet.
        MachineDraft.objects.create(
            edition=edition,
            unit_key="title",
            machine_text=KAZAKH_TITLE,
            text_hash=text_hash(KAZAKH_TITLE),
        )
    comment_id = None
    if version is not None:
        comment_id = comments.comment_add(
            version=version, unit_key="title", user=users["approver"], body="Is this right?"
        ).pk
    edition = Edition.objects.select_related("article").get(pk=edition.pk)
    return Desk(state, article, edition, version, comment_id)


def _client(user, csrf):
    client = Client(enforce_csrf_checks=True)
    # The cookie holds the CSRF secret; forms may post the secret itself.
    client.cookies["csrftoken"] = csrf
    if user is not None:
        client.force_login(user)
    return client


def world_build():
    users = {
        "other": translator("sec-other", pairs=[("en", "ru")], is_staff=True),
        "assigned": translator("sec-assigned", pairs=[("en", "kk")], is_staff=True),
        "pool": translator("sec-pool", pairs=[("en", "kk")], is_staff=True),
        "editor": editor("sec-editor", is_staff=True),
        "superuser": UserFactory(username="sec-superuser", is_staff=True, is_superuser=True),
        "approver": editor("sec-approver", is_staff=True),
    }
    desks = {state: _desk(state, users) for state in STATES}
    csrf = get_random_string(32)
    clients = {role: _client(None if role == "anonymous" else users[role], csrf) for role in ROLES}
    objects = _admin_objects(users, desks)
    return World(users=users, desks=desks, clients=clients, csrf=csrf, objects=objects)


def _admin_objects(users, desks):
    """One object of each registered model that is not per state, for its admin pages."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    from agency.models import FeedItem, FeedSource
    from api.keys import api_key_issue
    from api.models import ApiKey
    from reviews.tasks import mail_send
    from webhooks.events import event_record
    from webhooks.models import Subscription

    approved = desks["approved"]
    subscription = Subscription.objects.create(
        url="https://cms.example.org/hooks", events=["edition.published"], description="CMS"
    )
    event = event_record(event_type="edition.published", body={}, subscriptions=[subscription])
    feed = FeedSource.objects.create(
        name="Wire", url="http://127.0.0.1:9/feed", format="rss", language="en"
    )
    # A Russian edition on someone else's desk: no Kazakh translator may touch it.
    foreign = edition_get_or_create(article=desks["pool"].article, language="ru")
    assign(foreign, users["other"])
    attempt = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "nobody"}
    return {
        "auth.group": Group.objects.get(name="Translators"),
        "auth.user": users["assigned"],
        "axes.accessattempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**attempt),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt, locked_out=False),
        "translations.contributor": ContributorFactory(),
        "translations.auditentry": approved.edition.audit_entries.order_by("pk").first(),
        "aids.glossaryterm": GlossaryTerm.objects.create(term_en="budget", term_kk="бюджет"),
        "aids.checkdismissal": CheckDismissal.objects.create(
            edition=approved.edition,
            unit_key="p1",
            check_id="length",
            text_hash="0" * 64,
            reason="A summary on purpose.",
            user=users["assigned"],
        ),
        "reviews.languagepair": users["other"].language_pairs.get(),
        "translations.article": desks["in_review"].article,
        "foreign edition": foreign,
        "api.apikey": api_key_issue(api_key=ApiKey(name="cms", scopes=["ingest"])).api_key,
        "agency.feedsource": feed,
        "agency.feeditem": FeedItem.objects.create(
            source=feed, guid="wire-1", article=approved.article, status="imported"
        ),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.get(
            pk=mail_send.enqueue(recipients=["x@example.org"], subject="s", body="b").id
        ),
        "webhooks.subscription": subscription,
        "webhooks.delivery": event.deliveries.get(),
    }


# --- Payloads of the POST cells ---------------------------------------------------


def editor_post(desk, key="title", text="Жаңа тақырып"):
    """A save of one row (the title, or the paragraph ``key``), as the editor page posts it."""
    article = Article.objects.get(pk=desk.article.pk)
    unit = article if key == "title" else Paragraph.objects.get(article=article, key=key)
    loaded = LoadedRow(
        key,
        unit.revision_in(LANGUAGE),
        unit.revision_in(article.source_language),
        row_digest(unit.text_in(LANGUAGE)),
    )
    return {"manifest": manifest_encode([loaded]), f"text-{key}": text, "_save": "1"}


def dismiss_post(desk):
    """The first check issue nobody dismissed on the edition's working copy."""
    from aids.services import edition_check_report

    for key, issues in edition_check_report(edition=desk.edition).items():
        for issue in issues:
            if issue.dismissal is None:
                return {"unit_key": key, "check_id": issue.check_id, "reason": "Intended."}
    raise AssertionError(f"no check issue to dismiss in state {desk.state}")


def credits_post(desk):
    """The version's credits as they are, plus one new translator by name."""
    credits = [c for c in desk.version.credits.all() if c.role != "editor"]
    data = {
        "credits-TOTAL_FORMS": str(len(credits) + 1),
        "credits-INITIAL_FORMS": str(len(credits)),
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "30",
    }
    for index, credit in enumerate(credits):
        prefix = f"credits-{index}-"
        data[prefix + "contributor"] = str(credit.contributor_id)
        data[prefix + "role"] = credit.role
        data[prefix + "order"] = str(credit.order)
        for code in ("kk", "ru", "en"):
            data[prefix + f"name_{code}"] = getattr(credit.contributor, f"name_{code}") or ""
    prefix = f"credits-{len(credits)}-"
    data[prefix + "name"] = "Aigerim Nurlanova"
    data[prefix + "role"] = "translator"
    return data
