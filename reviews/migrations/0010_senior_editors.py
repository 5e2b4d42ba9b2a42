"""Creates the "Senior editors" group: withdraw and reinstate articles (reviews/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from reviews.roles import LIFECYCLE_GROUPS, groups_sync


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    groups_sync(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"),
        groups=LIFECYCLE_GROUPS,
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=LIFECYCLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_clock_notices_publish_timing"),
        ("translations", "0008_embargo_withdrawal"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
