"""A "checked" mark's hash now joins source and text with U+001F, as a dismissal's does.

Each mark is re-keyed from the version unit it was made on (found among its
edition's versions by the old hash), so marks that held keep holding. A mark
no version matches any more had lapsed already and is left as it is.
"""

import hashlib

from django.db import migrations


def _hash(unit, separator):
    text = f"{unit.get('source') or ''}{separator}{unit.get('text') or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rekey(apps, separator_from, separator_to):
    ParagraphCheck = apps.get_model("reviews", "ParagraphCheck")
    Version = apps.get_model("translations", "Version")
    checks = ParagraphCheck.objects.order_by("edition_id", "pk")
    by_edition = {}
    for check in checks.iterator():
        by_edition.setdefault(check.edition_id, []).append(check)
    for edition_id, marks in by_edition.items():
        wanted = {check.unit_key for check in marks}
        rehashed = {}
        versions = Version.objects.filter(edition_id=edition_id).values_list("units", flat=True)
        for units in versions.iterator(chunk_size=16):
            for unit in units:
                if unit.get("key") in wanted:
                    rehashed[(unit["key"], _hash(unit, separator_from))] = _hash(unit, separator_to)
        changed = []
        for check in marks:
            new = rehashed.get((check.unit_key, check.text_hash))
            if new is not None and new != check.text_hash:
                check.text_hash = new
                changed.append(check)
        ParagraphCheck.objects.bulk_update(changed, ["text_hash"], batch_size=500)


def forwards(apps, schema_editor):
    rekey(apps, "\x00", "\x1f")


def backwards(apps, schema_editor):
    rekey(apps, "\x1f", "\x00")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_review_submitted_index"),
        ("translations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
