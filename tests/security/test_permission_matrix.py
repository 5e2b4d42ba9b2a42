"""Who gets what from every URL of the project: the permission matrix.

Each row below names one URL pattern, how to build its URL for an edition in
a given state, and the answer each role must get, in the order of
``ROLES``: anonymous, other (translates English → Russian only), assigned
(English → Kazakh, assigned to the edition), pool (English → Kazakh, not
assigned), editor, superuser. See ``world.py`` for the desk they look at.

Answers:

- ``200``, ``302``, ``400``, ``403``, ``404``, ``405``: that status code.
- ``login``: a redirect to the admin's login page.
- ``ok``: a POST that did what it asks (the database changed).
- ``no``: a POST refused with an error message, on a redirect or on the
  page shown again.

Every POST cell is sent with a valid CSRF token, and every answer other than
``ok`` must leave the database exactly as it was. The stock admin pages of
every registered model follow from ``MODEL_RULES`` (who may view, add,
change, delete), with object visibility per state for editions, versions and
reviews. ``test_every_pattern_has_a_row`` makes a new URL without a row fail.
"""

import base64
import datetime
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from translations.models import Article

from .urlconf import model_admin_keys, project_patterns, registered_models
from .world import (
    LANGUAGE,
    ROLES,
    STATES,
    VERSION_STATES,
    credits_post,
    db_fingerprint,
    dismiss_post,
    editor_post,
    isolated,
)

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)

EDITABLE = ("not_started", "in_progress", "changes_requested")
LOCKED = ("in_review", "approved")
ASSIGNED_STATES = tuple(state for state in STATES if state != "pool")


def answers(line):
    """``"login 404 200 …"`` → ``{role: answer}``."""
    tokens = line.split()
    assert len(tokens) == len(ROLES), line
    return dict(zip(ROLES, tokens, strict=True))


def per_state(**lines):
    """Answers per state: ``per_state(pool="…", not_started="…")``; a key may
    name several states joined by ``__``."""
    table = {}
    for states, line in lines.items():
        for state in states.split("__"):
            table[state] = answers(line)
    return table


@dataclass(frozen=True)
class Row:
    """One URL pattern (``key``) requested with one method by every role.

    ``url(world, desk)`` builds the URL (``desk`` is None for rows without
    ``states``). ``expect`` is one answers line for every state, or a
    ``per_state`` table whose keys are the states the row runs in.
    ``data(world, desk)`` is the POST body. ``fresh``: each role gets a new
    client, for views that end or change the session.
    """

    key: str
    url: object
    expect: object
    method: str = "GET"
    data: object = None
    states: tuple = ()
    fresh: bool = False
    label: str = ""
    # ``prepare(world, desk)``: what the cell needs first (an embargo to lift),
    # made in the cell's savepoint before the baseline is taken.
    prepare: object = None

    @property
    def id(self):
        return f"{self.method} {self.label or self.key}"

    def expected(self, state):
        if isinstance(self.expect, dict):
            return self.expect[state]
        return answers(self.expect)


def edition_url(name, *extra):
    return lambda world, desk: reverse(name, args=[desk.edition.pk, *extra])


def version_url(name):
    return lambda world, desk: reverse(name, args=[desk.version.pk])


def fixed(name, *args, query=""):
    return lambda world, desk: reverse(name, args=args) + query


def public(name, language=LANGUAGE, **kwargs):
    def url(world, desk):
        with translation.override(language):
            if desk is not None:
                kwargs["slug"] = desk.article.slug
            return reverse(name, kwargs=kwargs)

    return url


def assign_url(world, desk):
    return reverse("admin:translations_edition_assign") + f"?ids={desk.edition.pk}"


IMPORT_TEXT = "A title\n\n07.01.2022, 10:00\n\nA paragraph.\n"


def import_confirmation():
    """The confirmation a preview of IMPORT_TEXT would carry, made as the cell starts."""
    from reviews.services import article_import_preview

    editor = world_editor()
    _plan, token = article_import_preview(data=IMPORT_TEXT.encode(), language="en", user=editor)
    data = base64.b64encode(IMPORT_TEXT.encode()).decode()
    return {"confirm": "1", "token": token, "language": "en", "data": data}


def world_editor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="sec-editor")


def nothing(world, desk):
    return {}


def embargoed(world, desk):
    Article.objects.filter(pk=desk.article.pk).update(embargo_until=timezone.now() + HOUR)


def withdrawn(world, desk):
    Article.objects.filter(pk=desk.article.pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Legal advice."
    )


SEES_POOL = "login 404 200 200 200 200"  # the pool edition: both Kazakh translators see it
SEES_ASSIGNED = "login 404 200 404 200 200"
POST_ONLY = "login 405 405 405 405 405"
# A GET of a POST-only view is refused before the edition is read: one state
# (one with a version, for the version page's forms) stands for all.
ONE_STATE = ("in_review",)
NOBODY = "login no no no no no"
STAFF_200 = "login 200 200 200 200 200"
EVERYONE_200 = "200 200 200 200 200 200"

ROWS = [
    # --- The admin site's own pages ----------------------------------------------------
    Row("admin:index", fixed("admin:index"), STAFF_200),
    Row("admin:login", fixed("admin:login"), "200 302 302 302 302 302"),
    # Django's admin sends an anonymous visitor of the logout page home.
    Row("admin:logout", fixed("admin:logout"), "302 405 405 405 405 405"),
    Row("admin:logout", fixed("admin:logout"), "302 200 200 200 200 200", method="POST",
        data=nothing, fresh=True),
    Row("admin:password_change", fixed("admin:password_change"), STAFF_200),
    Row("admin:password_change", fixed("admin:password_change"), "login ok ok ok ok ok",
        method="POST", fresh=True,
        data=lambda world, desk: {"old_password": "pw", "new_password1": "Quiet-river-4821",
                                  "new_password2": "Quiet-river-4821"}),
    Row("admin:password_change_done", fixed("admin:password_change_done"), STAFF_200),
    # A lookup without its parameters is refused; people are listed only to
    # those who may see the user accounts, through any field that names them.
    Row("admin:autocomplete", fixed("admin:autocomplete"), "login 403 403 403 403 403"),
    Row("admin:autocomplete", fixed(
        "admin:autocomplete",
        query="?app_label=reviews&model_name=languagepair&field_name=user&term=sec"),
        "login 403 403 403 403 200", label="autocomplete users"),
    Row("admin:jsi18n", fixed("admin:jsi18n"), STAFF_200),
    # No model has a public URL of its own: "view on site" finds nothing to show.
    Row("admin:view_on_site", lambda world, desk: reverse("admin:view_on_site", args=[
        ContentType.objects.get_for_model(Article).pk, world.desk("in_review").article.pk]),
        "login 404 404 404 404 404"),
    Row("admin:app_list", fixed("admin:app_list", "translations"), STAFF_200,
        label="app_list translations"),
    Row("admin:app_list", fixed("admin:app_list", "reviews"), STAFF_200,
        label="app_list reviews"),
    Row("admin:app_list", fixed("admin:app_list", "aids"), STAFF_200, label="app_list aids"),
    Row("admin:app_list", fixed("admin:app_list", "auth"), "login 404 404 404 404 200",
        label="app_list auth"),
    Row("admin:app_list", fixed("admin:app_list", "webhooks"), "login 404 404 404 200 200",
        label="app_list webhooks"),
    Row("admin:app_list", fixed("admin:app_list", "axes"), "login 404 404 404 404 200",
        label="app_list axes"),
    Row("admin/(?P<url>.*)$", lambda world, desk: "/admin/no-such-page/",
        "login 404 404 404 404 404"),
    Row("admin:auth_user_password_change", lambda world, desk: reverse(
        "admin:auth_user_password_change", args=[world.users["assigned"].pk]),
        "login 403 403 403 403 200"),
    Row("admin:auth_user_password_change", lambda world, desk: reverse(
        "admin:auth_user_password_change", args=[world.users["assigned"].pk]),
        "login 403 403 403 403 ok", method="POST", fresh=True,
        data=lambda world, desk: {"password1": "Quiet-river-4821",
                                  "password2": "Quiet-river-4821"}),
    # --- My preferences (and the header's language switcher) ---------------------------
    Row("preferences:edit", fixed("preferences:edit"), STAFF_200),
    Row("preferences:edit", fixed("preferences:edit"), "login ok ok ok ok ok", method="POST",
        data=lambda world, desk: {"language": "ru", "next": "/admin/"}),
    Row("preferences:edit", fixed("preferences:edit"), NOBODY, method="POST",
        data=lambda world, desk: {"language": "de"},
        label="preferences:edit, a language the desk has not"),
    # --- My work and its buttons ------------------------------------------------------
    Row("admin:translations_edition_editor", edition_url("admin:translations_edition_editor"),
        per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
        states=STATES),
    Row("admin:translations_edition_editor", edition_url("admin:translations_edition_editor"),
        per_state(
            pool="login 404 no no ok ok",
            **{"__".join(EDITABLE): "login 404 ok 404 ok ok",
               "__".join(LOCKED): "login 404 no 404 no no"},
        ),
        method="POST", data=lambda world, desk: editor_post(desk), states=STATES),
    Row("admin:translations_edition_editor_dismiss",
        edition_url("admin:translations_edition_editor_dismiss"), POST_ONLY, states=ONE_STATE),
    Row("admin:translations_edition_editor_dismiss",
        edition_url("admin:translations_edition_editor_dismiss"),
        per_state(
            pool="login 404 no no ok ok",
            **{"__".join(EDITABLE): "login 404 ok 404 ok ok",
               "__".join(LOCKED): "login 404 no 404 no no"},
        ),
        method="POST", data=lambda world, desk: dismiss_post(desk), states=STATES),
    Row("admin:translations_edition_editor_suggest",
        edition_url("admin:translations_edition_editor_suggest", "title"),
        per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
        states=STATES),
    Row("admin:translations_edition_editor_suggest",
        edition_url("admin:translations_edition_editor_suggest", "p2"),
        per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
        states=STATES, label="suggest p2"),
    # Pre-translation: editors ask for it; whoever sees the edition sees its progress;
    # whoever may edit confirms machine text (the world's in-progress and sent-back
    # editions have a machine-written title).
    Row("admin:translations_edition_pretranslate",
        edition_url("admin:translations_edition_pretranslate"), POST_ONLY, states=ONE_STATE),
    Row("admin:translations_edition_pretranslate",
        edition_url("admin:translations_edition_pretranslate"),
        per_state(
            pool="login 404 no no ok ok",
            **{"__".join(EDITABLE): "login 404 no 404 ok ok",
               "__".join(LOCKED): "login 404 no 404 no no"},
        ),
        method="POST", data=nothing, states=STATES),
    Row("admin:translations_edition_pretranslate_progress",
        edition_url("admin:translations_edition_pretranslate_progress"),
        per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
        states=STATES),
    Row("admin:translations_edition_editor_confirm",
        edition_url("admin:translations_edition_editor_confirm"), POST_ONLY, states=ONE_STATE),
    Row("admin:translations_edition_editor_confirm",
        edition_url("admin:translations_edition_editor_confirm"),
        per_state(
            pool="login 404 no no no no",
            not_started="login 404 no 404 no no",
            **{"in_progress__changes_requested": "login 404 ok 404 ok ok",
               "__".join(LOCKED): "login 404 no 404 no no"},
        ),
        method="POST", data=lambda world, desk: {"all": "1"}, states=STATES),
    Row("admin:translations_edition_claim", edition_url("admin:translations_edition_claim"),
        POST_ONLY, states=ONE_STATE),
    Row("admin:translations_edition_claim", edition_url("admin:translations_edition_claim"),
        per_state(pool="login no ok ok no no", **{"__".join(ASSIGNED_STATES): NOBODY}),
        method="POST", data=nothing, states=STATES),
    Row("admin:translations_edition_reopen", edition_url("admin:translations_edition_reopen"),
        POST_ONLY, states=ONE_STATE),
    Row("admin:translations_edition_reopen", edition_url("admin:translations_edition_reopen"),
        per_state(approved="login no ok no ok ok",
                  **{"__".join(s for s in STATES if s != "approved"): NOBODY}),
        method="POST", data=lambda world, desk: {"comment": "A typo."}, states=STATES),
    Row("admin:translations_edition_withdraw",
        edition_url("admin:translations_edition_withdraw"), POST_ONLY, states=ONE_STATE),
    Row("admin:translations_edition_withdraw",
        edition_url("admin:translations_edition_withdraw"),
        per_state(in_review="login no ok no no no",
                  **{"__".join(s for s in STATES if s != "in_review"): NOBODY}),
        method="POST", data=nothing, states=STATES),
    # Lifecycle: embargo (editors), withdrawal and reinstatement (senior editors:
    # of these roles, the superuser). Lifting where no embargo runs and
    # reinstating what is not withdrawn are refused to all.
    *[Row(f"admin:translations_edition_{name}", edition_url(f"admin:translations_edition_{name}"),
          POST_ONLY, states=ONE_STATE)
      for name in ("embargo", "embargo_lift", "article_withdraw", "article_reinstate")],
    Row("admin:translations_edition_embargo", edition_url("admin:translations_edition_embargo"),
        "login no no no ok ok", method="POST", states=STATES,
        data=lambda world, desk: {"until": "2099-01-01T10:00", "scope": "edition"}),
    Row("admin:translations_edition_embargo", edition_url("admin:translations_edition_embargo"),
        "login no no no ok ok", method="POST", states=STATES, label="embargo article",
        data=lambda world, desk: {"until": "2099-01-01T10:00", "scope": "article"}),
    Row("admin:translations_edition_embargo_lift",
        edition_url("admin:translations_edition_embargo_lift"), NOBODY, method="POST",
        states=STATES, data=lambda world, desk: {"scope": "article"}),
    Row("admin:translations_edition_article_withdraw",
        edition_url("admin:translations_edition_article_withdraw"), "login no no no no ok",
        method="POST", states=STATES, data=lambda world, desk: {"reason": "Legal advice."}),
    Row("admin:translations_edition_article_reinstate",
        edition_url("admin:translations_edition_article_reinstate"), NOBODY,
        method="POST", states=STATES, data=nothing),
    Row("admin:translations_edition_embargo_lift",
        edition_url("admin:translations_edition_embargo_lift"), "login no no no ok ok",
        method="POST", states=STATES, label="embargo lift, embargoed",
        data=lambda world, desk: {"scope": "article"}, prepare=embargoed),
    Row("admin:translations_edition_article_reinstate",
        edition_url("admin:translations_edition_article_reinstate"), "login no no no no ok",
        method="POST", states=STATES, label="reinstate, withdrawn",
        data=lambda world, desk: {"comment": "Cleared."}, prepare=withdrawn),
    # Corrections and running updates: the forms are shown to whoever sees the
    # edition; only an editor may open a correction, on a live edition; an
    # update is the source's (these desks are translations); no desk has a
    # correction or an update open, so no note may be written.
    *[Row(f"admin:translations_edition_{name}", edition_url(f"admin:translations_edition_{name}"),
          per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
          states=STATES) for name in ("correction", "update", "note")],
    Row("admin:translations_edition_correction",
        edition_url("admin:translations_edition_correction"),
        per_state(pool="login 404 no no no no", approved="login 404 no 404 ok ok",
                  **{"__".join(s for s in ASSIGNED_STATES if s != "approved"):
                     "login 404 no 404 no no"}),
        method="POST", data=lambda world, desk: {"note": "An earlier version said 3."},
        states=STATES),
    *[Row(f"admin:translations_edition_{name}", edition_url(f"admin:translations_edition_{name}"),
          per_state(pool="login 404 no no no no",
                    **{"__".join(ASSIGNED_STATES): "login 404 no 404 no no"}),
          method="POST", data=lambda world, desk: {"note": "Adds a reaction."}, states=STATES)
      for name in ("update", "note")],
    # Assigning is an editor's move: a translator may open the form of an
    # edition they see, and the service refuses what they post, with a message.
    Row("admin:translations_edition_assign", assign_url,
        per_state(pool="login 404 200 200 200 200",
                  **{"__".join(ASSIGNED_STATES): "login 404 200 404 200 200"}),
        states=STATES),
    Row("admin:translations_edition_assign", assign_url,
        per_state(pool="login 404 no no ok ok",
                  **{"__".join(ASSIGNED_STATES): "login 404 no 404 ok ok"}),
        method="POST", states=STATES,
        data=lambda world, desk: {"users": [world.users["assigned"].pk], "priority": "2"}),
    Row("admin:translations_edition_changelist", fixed("admin:translations_edition_changelist"),
        per_state(pool="login no ok ok no no", **{"__".join(ASSIGNED_STATES): NOBODY}),
        method="POST", states=STATES, label="claim action",
        data=lambda world, desk: {"action": "claim_selected", "index": "0",
                                  "_selected_action": [desk.edition.pk]}),
    # Translators have no action on articles: the list is shown again, unchanged.
    Row("admin:translations_article_changelist", fixed("admin:translations_article_changelist"),
        "login 200 200 200 ok ok", method="POST", label="start translation action",
        data=lambda world, desk: {"action": "start_translation_ru", "index": "0",
                                  "_selected_action": [world.desk("in_review").article.pk]}),
    # --- The version page and its forms ----------------------------------------------
    Row("admin:reviews_version_review", version_url("admin:reviews_version_review"),
        "login 403 200 403 200 200", states=VERSION_STATES),
    Row("admin:reviews_version_review", version_url("admin:reviews_version_review"),
        "login 302 302 302 302 302", method="POST", data=nothing, states=VERSION_STATES),
    Row("admin:reviews_version_decide", version_url("admin:reviews_version_decide"),
        POST_ONLY, states=ONE_STATE),
    Row("admin:reviews_version_decide", version_url("admin:reviews_version_decide"),
        per_state(in_review="login 403 403 403 ok ok",
                  changes_requested__approved="login 403 400 403 400 400"),
        method="POST", data=lambda world, desk: {"decision": "approve"}, states=VERSION_STATES),
    Row("admin:reviews_version_comment", version_url("admin:reviews_version_comment"),
        POST_ONLY, states=ONE_STATE),
    Row("admin:reviews_version_comment", version_url("admin:reviews_version_comment"),
        "login no ok no ok ok", method="POST", states=VERSION_STATES,
        data=lambda world, desk: {"unit_key": "p1", "body": "Shorter than the source?"}),
    Row("admin:reviews_version_resolve", version_url("admin:reviews_version_resolve"),
        POST_ONLY, states=ONE_STATE),
    Row("admin:reviews_version_resolve", version_url("admin:reviews_version_resolve"),
        "login no ok no ok ok", method="POST", states=VERSION_STATES,
        data=lambda world, desk: {"comment": desk.comment_id}),
    Row("admin:reviews_version_check", version_url("admin:reviews_version_check"),
        POST_ONLY, states=ONE_STATE),
    Row("admin:reviews_version_check", version_url("admin:reviews_version_check"),
        per_state(in_review="login no no no ok ok", changes_requested__approved=NOBODY),
        method="POST", states=VERSION_STATES,
        data=lambda world, desk: {"unit_key": "title", "checked": "1"}),
    Row("admin:reviews_version_credits", version_url("admin:reviews_version_credits"),
        POST_ONLY, states=ONE_STATE),
    Row("admin:reviews_version_credits", version_url("admin:reviews_version_credits"),
        per_state(in_review="login no no no ok ok", changes_requested__approved=NOBODY),
        method="POST", states=VERSION_STATES, data=lambda world, desk: credits_post(desk)),
    # --- XLIFF ------------------------------------------------------------------------
    Row("xliff:export", edition_url("xliff:export"),
        per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
        states=STATES),
    Row("xliff:export_batch",
        lambda world, desk: reverse("xliff:export_batch") + f"?ids={desk.edition.pk}",
        per_state(pool="login 302 200 200 200 200",
                  **{"__".join(ASSIGNED_STATES): "login 302 200 302 200 200"}),
        states=STATES),
    Row("xliff:export_batch", fixed("xliff:export_batch"),
        per_state(pool="login no ok ok ok ok",
                  **{"__".join(ASSIGNED_STATES): "login no ok no ok ok"}),
        method="POST", states=STATES, data=lambda world, desk: {"ids": [desk.edition.pk]}),
    Row("xliff:import",
        lambda world, desk: reverse("xliff:import") + f"?edition={desk.edition.pk}",
        per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
        states=STATES),
    Row("xliff:import", fixed("xliff:import"),
        per_state(pool=SEES_POOL, **{"__".join(ASSIGNED_STATES): SEES_ASSIGNED}),
        method="POST", states=STATES, data=lambda world, desk: {"edition": desk.edition.pk},
        label="import without a file"),
    # --- Import article (editors, and authors: the article add permission) ---------------
    Row("admin:translations_article_import", fixed("admin:translations_article_import"),
        "login 403 403 403 200 200"),
    Row("admin:translations_article_import", fixed("admin:translations_article_import"),
        "login 403 403 403 200 200", method="POST", label="import preview",
        data=lambda world, desk: {"text": "A title\n\n07.01.2022, 10:00\n\nA paragraph.\n",
                                  "language": "en"}),
    Row("admin:translations_article_import", fixed("admin:translations_article_import"),
        "login 403 403 403 ok ok", method="POST", label="import confirm",
        data=lambda world, desk: import_confirmation()),
    Row("admin:translations_article_import", fixed("admin:translations_article_import"),
        "login 403 403 403 no no", method="POST", label="import confirm, forged token",
        data=lambda world, desk: {"confirm": "1", "token": "forged", "language": "en",
                                  "data": base64.b64encode(IMPORT_TEXT.encode()).decode()}),
    # --- Agency feeds: "Run now" queues a run (editors) ---------------------------------
    Row("admin:agency_feedsource_run", lambda world, desk: reverse(
        "admin:agency_feedsource_run", args=[world.objects["agency.feedsource"].pk]),
        "login 405 405 405 405 405"),
    Row("admin:agency_feedsource_run", lambda world, desk: reverse(
        "admin:agency_feedsource_run", args=[world.objects["agency.feedsource"].pk]),
        "login no no no ok ok", method="POST", data=nothing),
    # --- The desk dashboard (editors) -----------------------------------------------------
    Row("desk_dashboard:dashboard", fixed("desk_dashboard:dashboard"),
        "login 403 403 403 200 200"),
    Row("desk_dashboard:csv", fixed("desk_dashboard:csv"), "login 403 403 403 200 200"),
    # --- The public site --------------------------------------------------------------
    Row("public:article_list", public("public:article_list"), EVERYONE_200),
    Row("public:article_detail", public("public:article_detail"),
        per_state(approved=EVERYONE_200,
                  **{"__".join(s for s in STATES if s != "approved"): "404 " * 5 + "404"}),
        states=STATES),
    Row("public:feed", public("public:feed"), EVERYONE_200),
    Row("public:corrections", public("public:corrections"), EVERYONE_200),
    Row("public:search", lambda world, desk: public("public:search")(world, None) + "?q=news",
        EVERYONE_200),
    Row("sitemap", fixed("sitemap"), EVERYONE_200),
    Row("sitemap-section", fixed("sitemap-section", "2022-01-07"), EVERYONE_200),
    Row("sitemap-news", fixed("sitemap-news"), EVERYONE_200),
    Row("healthz", fixed("healthz"), EVERYONE_200),
    # --- Webhooks: editors keep the subscriptions and send deliveries again -----------
    Row("admin:webhooks_subscription_add", fixed("admin:webhooks_subscription_add"),
        "login 403 403 403 ok ok", method="POST", label="webhooks subscription add, valid",
        data=lambda world, desk: {"url": "https://apps.example.org/hook",
                                  "events": ["edition.published", "version.submitted"],
                                  "active": "on", "description": "Apps"}),
    Row("admin:webhooks_subscription_add", fixed("admin:webhooks_subscription_add"),
        "login 403 403 403 200 200", method="POST", label="webhooks subscription add, ftp",
        data=lambda world, desk: {"url": "ftp://apps.example.org/hook",
                                  "events": ["edition.published"], "active": "on"}),
    Row("admin:webhooks_subscription_changelist",
        fixed("admin:webhooks_subscription_changelist"), "login 403 403 403 ok ok",
        method="POST", label="webhooks subscription new secret",
        data=lambda world, desk: {"action": "secret_rotate", "_selected_action": [
            world.objects["webhooks.subscription"].pk]}),
    Row("admin:webhooks_delivery_changelist", fixed("admin:webhooks_delivery_changelist"),
        "login 403 403 403 ok ok", method="POST", label="webhooks delivery send again",
        data=lambda world, desk: {"action": "resend", "_selected_action": [
            world.objects["webhooks.delivery"].pk]}),
    # --- The REST API -------------------------------------------------------------------
    # Public reads answer everyone alike; ingest and state reads take an API key
    # and never a session, so every role here is refused (tests/api/test_key_matrix.py
    # has the same endpoints for every kind of key).
    Row("api-docs", fixed("api-docs"), EVERYONE_200),
    Row("api-v1:openapi-json", fixed("api-v1:openapi-json"), EVERYONE_200),
    Row("api-v1:api-root", fixed("api-v1:api-root"), "404 " * 5 + "404"),
    Row("api-v1:edition_list", fixed("api-v1:edition_list", LANGUAGE), EVERYONE_200),
    Row("api-v1:edition_detail",
        lambda world, desk: reverse("api-v1:edition_detail", args=[LANGUAGE, desk.article.slug]),
        per_state(approved=EVERYONE_200,
                  **{"__".join(s for s in STATES if s != "approved"): "404 " * 5 + "404"}),
        states=STATES),
    Row("api-v1:article_ingest", fixed("api-v1:article_ingest", "cms-1"), "401 " * 5 + "401",
        method="PUT", data=lambda world, desk: {"language": "en", "title": "T",
                                                "dateline": "2026-12-07T10:00:00+05:00",
                                                "paragraphs": ["P."]}),
    Row("api-v1:article_ingest", fixed("api-v1:article_ingest", "cms-1"), "405 " * 5 + "405",
        method="POST", data=nothing),
    Row("api-v1:article_state", fixed("api-v1:article_state", "cms-1"), "401 " * 5 + "401"),
    Row("api-v1:edition_state", fixed("api-v1:edition_state", "cms-1", LANGUAGE),
        "401 " * 5 + "401"),
]  # fmt: skip


# --- The stock admin pages of every registered model -------------------------------

TRANSLATORS = {"other", "assigned", "pool"}
EDITORS = {"editor", "superuser"}
SUPER = {"superuser"}
STAFF = TRANSLATORS | EDITORS


@dataclass(frozen=True)
class Rule:
    """Who may view, add, change and delete one model's objects in the admin.

    ``per_state``: the object is the edition's (or its version's, or its
    review's) in each of these states, seen by those ``visible_to`` says.
    Who sees it differs between the pool and an assigned edition, not
    between one step of the workflow and the next (the rows above cover the
    steps), so two states stand for all.
    """

    view: set = field(default_factory=set)
    add: set = field(default_factory=set)
    change: set = field(default_factory=set)
    delete: set = field(default_factory=set)
    per_state: tuple = ()
    change_redirects: bool = False  # the change page sends viewers elsewhere


MODEL_RULES = {
    "auth.group": Rule(SUPER, SUPER, SUPER, SUPER),
    "auth.user": Rule(SUPER, SUPER, SUPER, SUPER),
    "axes.accessattempt": Rule(SUPER, set(), SUPER, SUPER),
    "axes.accesslog": Rule(SUPER, set(), SUPER, SUPER),
    "axes.accessfailurelog": Rule(SUPER, set(), SUPER, SUPER),
    "translations.contributor": Rule(STAFF, EDITORS, EDITORS, SUPER),
    # Records: nobody adds, changes or deletes them, superusers included.
    "translations.auditentry": Rule(EDITORS, set(), set(), set()),
    "translations.version": Rule(STAFF, per_state=("in_review", "approved")),
    "translations.article": Rule(STAFF, EDITORS, EDITORS, set()),
    "translations.edition": Rule(STAFF, per_state=("pool", "in_review")),
    "reviews.review": Rule(STAFF, per_state=("in_review", "approved"), change_redirects=True),
    "reviews.languagepair": Rule(STAFF, EDITORS, EDITORS, EDITORS),
    "aids.glossaryterm": Rule(STAFF, EDITORS, EDITORS, EDITORS),
    "aids.checkdismissal": Rule(EDITORS, set(), set(), SUPER),
    # Agency feeds: editors keep the sources; items are records they may delete.
    "agency.feedsource": Rule(EDITORS, EDITORS, EDITORS, EDITORS),
    "agency.feeditem": Rule(EDITORS, set(), set(), EDITORS),
    # Background tasks (mail), read-only: editors see which failed and why.
    "django_tasks_database.dbtaskresult": Rule(EDITORS, set(), set(), set()),
    "webhooks.subscription": Rule(EDITORS, EDITORS, EDITORS, EDITORS),
    # The delivery log, read-only ("send again" is an action, above).
    "webhooks.delivery": Rule(EDITORS, set(), set(), set()),
    # API keys: superusers make, change and revoke them; nobody deletes one.
    "api.apikey": Rule(SUPER, SUPER, SUPER, set()),
}


def visible_to(state):
    """Who sees the edition under test (and its versions and reviews) in ``state``."""
    if state == "pool":
        return {"assigned", "pool", "editor", "superuser"}
    return {"assigned", "editor", "superuser"}


def _model_answer(rule, kind, method, role, visible):
    if role == "anonymous":
        return "login"
    sees = role in (rule.view | rule.change)
    if kind == "changelist":
        return "200" if sees else "403"
    if kind == "add":
        return "200" if role in rule.add else "403"
    if kind == "object":
        return "302"
    if kind == "delete":
        if role not in rule.delete:
            return "403"
        return "200" if visible else "302"
    # change and history
    if not sees:
        return "403"
    if not visible:
        # "Perhaps it was deleted?", and back to the admin's index.
        return "no" if method == "POST" else "302"
    if kind == "change" and rule.change_redirects:
        return "302"
    if method == "POST":
        return "403"  # only roles without the change permission are sent a POST
    return "200"


def _model_object(world, label, desk):
    if desk is None:
        return world.objects[label]
    if label == "translations.edition":
        return desk.edition
    if label == "translations.version":
        return desk.version
    return desk.version.review


def _model_url(label, kind):
    app_label, model_name = label.split(".")

    def url(world, desk):
        if kind == "changelist":
            return reverse(f"admin:{app_label}_{model_name}_changelist")
        if kind == "add":
            return reverse(f"admin:{app_label}_{model_name}_add")
        pk = _model_object(world, label, desk).pk
        if kind == "object":
            return f"/admin/{app_label}/{model_name}/{pk}/"
        return reverse(f"admin:{app_label}_{model_name}_{kind}", args=[pk])

    return url


def _model_rows(label, rule):
    keys = model_admin_keys_for(label)
    states = rule.per_state
    for kind, key in keys.items():
        object_level = kind not in ("changelist", "add") and bool(states)
        row_states = states if object_level else ()

        def table(method, kind=kind, object_level=object_level):
            def line(state):
                visible = visible_to(state) if object_level else set(ROLES)
                return {
                    role: _model_answer(rule, kind, method, role, role in visible) for role in ROLES
                }

            if object_level:
                return {state: line(state) for state in states}
            return " ".join(line(None).values())

        yield Row(key, _model_url(label, kind), table("GET"), states=row_states,
                  label=f"{label} {kind}")  # fmt: skip
        # A POST is sent where it must be refused: to the add, change and delete
        # pages, by every role without that permission.
        if kind in ("add", "change", "delete"):
            allowed = {"add": rule.add, "change": rule.change, "delete": rule.delete}[kind]
            yield Row(key, _model_url(label, kind), _refusals(table("POST"), allowed),
                      method="POST", data=nothing, states=row_states,
                      label=f"{label} {kind}")  # fmt: skip


def _refusals(expect, allowed):
    """``expect`` with the cells of ``allowed`` roles marked ``-`` (not requested)."""

    def mark(answers_by_role):
        return {role: "-" if role in allowed else a for role, a in answers_by_role.items()}

    if isinstance(expect, dict):
        return {state: mark(line) for state, line in expect.items()}
    return " ".join(mark(answers(expect)).values())


def model_admin_keys_for(label):
    return model_admin_keys(registered_models()[label])


MODEL_ROWS = [row for label, rule in MODEL_RULES.items() for row in _model_rows(label, rule)]
ALL_ROWS = ROWS + MODEL_ROWS


# --- Requesting the cells ------------------------------------------------------------


def _login_path():
    return reverse(settings.LOGIN_URL)


def _errors_said(response):
    return any(m.level >= messages.WARNING for m in get_messages(response.wsgi_request))


def outcome(response, method, changed):
    """The answer a response stands for (see the module's docstring)."""
    status = response.status_code
    if status in (301, 302) and response["Location"].startswith(_login_path()):
        answer = "login"
    elif method == "POST" and changed and status in (200, 302):
        answer = "ok"
    elif method == "POST" and status in (200, 302) and _errors_said(response):
        answer = "no"
    else:
        answer = str(status)
    if changed and answer != "ok":
        answer += " (and changed the database)"
    return answer


def _fresh_client(world, role):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = world.csrf
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def request_cell(world, row, role, desk, baseline):
    """Send one cell's request in a savepoint; return its answer."""
    with isolated():
        client = world.clients[role]
        # Messages an earlier cell left in the cookie are not this answer's.
        client.cookies.pop("messages", None)
        if row.fresh:
            # Logging in writes the user's last_login: the baseline follows it.
            client = _fresh_client(world, role)
            baseline = db_fingerprint()
        if row.prepare:
            row.prepare(world, desk)
            baseline = db_fingerprint()
        url = row.url(world, desk)
        if row.method == "GET":
            response = client.get(url)
            return outcome(response, "GET", changed=False)
        if row.method == "PUT":  # the API's: a JSON body, no form and no CSRF token
            response = client.put(url, row.data(world, desk), content_type="application/json")
            return outcome(response, "PUT", changed=db_fingerprint() != baseline)
        data = {**row.data(world, desk), "csrfmiddlewaretoken": world.csrf}
        response = client.post(url, data)
        return outcome(response, "POST", changed=db_fingerprint() != baseline)


def cells(row):
    """``(state, role, expected)`` of every cell ``row`` requests."""
    for state in row.states or (None,):
        expected = row.expected(state) if state else row.expected(None)
        for role in ROLES:
            if expected[role] != "-":
                yield state, role, expected[role]


def matrix_size():
    return sum(1 for row in ALL_ROWS for _cell in cells(row))


@pytest.mark.parametrize("row", ALL_ROWS, ids=lambda row: row.id)
def test_every_role_gets_the_answer_of_the_matrix(world, row):
    baseline = db_fingerprint()
    wrong = []
    for state, role, expected in cells(row):
        desk = world.desk(state) if state else None
        got = request_cell(world, row, role, desk, baseline)
        if got != expected:
            wrong.append(f"{state or '-'} / {role}: expected {expected}, got {got}")
    assert not wrong, f"{row.id}:\n" + "\n".join(wrong)


def test_every_pattern_has_a_row():
    """A URL pattern without a row in the matrix fails here, and so does a stale row."""
    patterns = {pattern.key for pattern in project_patterns()}
    covered = {row.key for row in ALL_ROWS}
    assert patterns - covered == set(), "patterns without a row in the matrix"
    assert covered - patterns == set(), "rows naming no pattern of the project"


def test_every_registered_model_has_a_rule():
    assert set(MODEL_RULES) == set(registered_models())
