"""The desk's two groups and exactly the model permissions each needs.

What a person may do to an edition is decided by ``reviews.workflow`` (their
group, assignments and language pairs); these permissions only open the admin
pages each group works in. The data migration creates the groups; a
``post_migrate`` hook keeps them exactly in step with this table afterwards
(also after a test run's flush, which empties every table).
"""

TRANSLATORS_GROUP = "Translators"
EDITORS_GROUP = "Editors"
# Withdrawing and reinstating an article (on top of being an editor).
SENIOR_EDITORS_GROUP = "Senior editors"
SENIOR_EDITOR_PERMISSION = "translations.withdraw_article"

GROUPS = {
    TRANSLATORS_GROUP: {
        "translations": ["view_article", "view_edition", "view_version", "view_contributor"],
        "reviews": ["view_review", "view_comment", "add_comment", "view_languagepair"],
        "aids": ["view_glossaryterm"],
    },
    EDITORS_GROUP: {
        "translations": [
            "add_article", "change_article", "view_article",
            "view_paragraph",
            "add_contributor", "change_contributor", "view_contributor",
            "add_edition", "change_edition", "view_edition",
            "view_version", "view_credit", "view_auditentry",
        ],
        "reviews": [
            "add_assignment", "change_assignment", "delete_assignment", "view_assignment",
            "add_languagepair", "change_languagepair", "delete_languagepair",
            "view_languagepair",
            "view_review", "change_review",
            "add_comment", "change_comment", "view_comment",
            "add_paragraphcheck", "change_paragraphcheck", "delete_paragraphcheck",
            "view_paragraphcheck", "view_unitedit",
        ],
        "aids": [
            "add_glossaryterm", "change_glossaryterm", "delete_glossaryterm",
            "view_glossaryterm", "view_checkdismissal",
        ],
        # Agency feeds: editors keep the sources; items are records (deleting one
        # lets its GUID be imported again).
        "agency": [
            "add_feedsource", "change_feedsource", "delete_feedsource", "view_feedsource",
            "view_feeditem", "delete_feeditem",
        ],
        # Background tasks (mail): editors see which failed; nobody edits them.
        "django_tasks_database": ["view_dbtaskresult"],
        # Webhooks: editors keep the subscriptions and read (and resend) deliveries.
        "webhooks": [
            "add_subscription", "change_subscription", "delete_subscription",
            "view_subscription", "view_delivery", "resend_delivery",
        ],
    },
}  # fmt: skip

# Made by a later migration (``reviews/migrations/0010_senior_editors.py``)
# than the two above, once the permission exists.
LIFECYCLE_GROUPS = {
    SENIOR_EDITORS_GROUP: {"translations": ["withdraw_article", "view_article"]},
}


def groups_sync(group_model, permission_model, *, strict=True, groups=None):
    """Create the groups and give each exactly its permissions.

    ``strict`` refuses a permission that does not exist (a typo in the table);
    the post-migrate hook is lenient, since it also runs while only some apps
    are migrated.
    """
    registry = permission_model._meta.apps
    for name, grants in (GROUPS if groups is None else groups).items():
        group, _created = group_model.objects.get_or_create(name=name)
        permissions = []
        for app_label, codenames in grants.items():
            found = list(
                permission_model.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
            missing = set(codenames) - {p.codename for p in found}
            # In a migration, an app whose models are not migrated yet has no
            # permissions to find; the post-migrate hook grants them later.
            if missing and strict and _in_registry(registry, app_label):
                raise RuntimeError(f"permissions not found: {app_label} {sorted(missing)}")
            permissions += found
        group.permissions.set(permissions)


def _in_registry(registry, app_label):
    try:
        registry.get_app_config(app_label)
    except LookupError:
        return False
    return True


def sync_after_migrate(sender, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Apps after this one in INSTALLED_APPS get their permissions only after
    # this hook on a first migrate: create them now, so the sync finds them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    groups_sync(Group, Permission, strict=False)
    groups_sync(Group, Permission, strict=False, groups=LIFECYCLE_GROUPS)
