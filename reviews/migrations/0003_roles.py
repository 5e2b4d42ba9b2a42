"""Creates the desk's groups, Translators and Editors (see reviews/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from reviews.roles import GROUPS, groups_sync


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    groups_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_unitedit"),
        ("translations", "0002_immutable_versions"),
        ("aids", "0002_tmsegment_bands_gin"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
