"""The desk's two groups and exactly the model permissions each needs.

What a person may do to an edition is decided by ``reviews.workflow`` (their
group, assignments and language pairs); these permissions only open the admin
pages each group works in.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRANSLATORS = {
    "translations": ["view_article", "view_edition", "view_version", "view_contributor"],
    "reviews": ["view_review", "view_comment", "add_comment", "view_languagepair"],
}
EDITORS = {
    "translations": [
        "add_article", "change_article", "view_article",
        "view_paragraph",
        "add_contributor", "change_contributor", "view_contributor",
        "add_edition", "change_edition", "view_edition",
        "view_version", "view_credit", "view_auditentry",
    ],
    "reviews": [
        "add_assignment", "change_assignment", "delete_assignment", "view_assignment",
        "add_languagepair", "change_languagepair", "delete_languagepair", "view_languagepair",
        "view_review", "change_review",
        "add_comment", "change_comment", "view_comment",
        "add_paragraphcheck", "change_paragraphcheck", "delete_paragraphcheck",
        "view_paragraphcheck", "view_unitedit",
    ],
}
GROUPS = {"Translators": TRANSLATORS, "Editors": EDITORS}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"permissions not found: {app_label} {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_unitedit"),
        ("translations", "0002_immutable_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
