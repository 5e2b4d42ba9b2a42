"""The GIN index that makes "shares a band" one indexed ``&&`` on PostgreSQL.

Elsewhere the bands are plain text and the lookup scans them instead (see
``aids.memory.lookup``), so there is nothing to create.
"""

from django.db import migrations

CREATE = "CREATE INDEX aids_tmsegment_bands_gin ON aids_tmsegment USING gin (bands)"
DROP = "DROP INDEX IF EXISTS aids_tmsegment_bands_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("aids", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
