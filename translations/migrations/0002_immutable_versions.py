"""Database triggers that keep versions, approved credits and audit entries fixed.

Code refuses these writes with a clear message first; the triggers are the
guarantee for everything else (a shell, a script, a bug).
"""

from django.db import migrations

VERSION_CHANGED = (
    "NEW.edition_id IS NOT OLD.edition_id OR NEW.number IS NOT OLD.number"
    " OR NEW.title IS NOT OLD.title OR NEW.units IS NOT OLD.units"
    " OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by_id IS NOT OLD.created_by_id"
    " OR (OLD.approved_at IS NOT NULL AND (NEW.approved_at IS NOT OLD.approved_at"
    " OR NEW.approved_by_id IS NOT OLD.approved_by_id))"
)
CREDIT_ON_APPROVED = (
    "(SELECT approved_at FROM translations_version WHERE id = {row}.version_id) IS NOT NULL"
)
AUDIT_CHANGED = (
    "NEW.action IS NOT OLD.action OR NEW.actor_id IS NOT OLD.actor_id"
    " OR NEW.created_at IS NOT OLD.created_at OR NEW.comment IS NOT OLD.comment"
    " OR NEW.data IS NOT OLD.data OR NEW.from_state IS NOT OLD.from_state"
    " OR NEW.to_state IS NOT OLD.to_state"
)

VERSION_MESSAGE = "a version cannot be changed once it is made"
CREDIT_MESSAGE = "the credits of an approved version cannot be changed"
AUDIT_MESSAGE = "audit entries cannot be changed"


def sqlite_statements():
    return [
        f"""CREATE TRIGGER translations_version_immutable
        BEFORE UPDATE ON translations_version FOR EACH ROW WHEN {VERSION_CHANGED}
        BEGIN SELECT RAISE(ABORT, '{VERSION_MESSAGE}'); END""",
        f"""CREATE TRIGGER translations_credit_insert_fixed
        BEFORE INSERT ON translations_credit FOR EACH ROW
        WHEN {CREDIT_ON_APPROVED.format(row="NEW")}
        BEGIN SELECT RAISE(ABORT, '{CREDIT_MESSAGE}'); END""",
        f"""CREATE TRIGGER translations_credit_update_fixed
        BEFORE UPDATE ON translations_credit FOR EACH ROW
        WHEN {CREDIT_ON_APPROVED.format(row="OLD")}
        BEGIN SELECT RAISE(ABORT, '{CREDIT_MESSAGE}'); END""",
        f"""CREATE TRIGGER translations_auditentry_immutable
        BEFORE UPDATE ON translations_auditentry FOR EACH ROW WHEN {AUDIT_CHANGED}
        BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END""",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS translations_version_immutable",
    "DROP TRIGGER IF EXISTS translations_credit_insert_fixed",
    "DROP TRIGGER IF EXISTS translations_credit_update_fixed",
    "DROP TRIGGER IF EXISTS translations_auditentry_immutable",
]


def _pg(condition):
    return condition.replace(" IS NOT ", " IS DISTINCT FROM ")


def postgresql_statements():
    def function(name, condition, message):
        return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {condition} THEN
                RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$"""

    return [
        function("translations_version_immutable", _pg(VERSION_CHANGED), VERSION_MESSAGE),
        """CREATE TRIGGER translations_version_immutable BEFORE UPDATE ON translations_version
        FOR EACH ROW EXECUTE FUNCTION translations_version_immutable()""",
        function(
            "translations_credit_insert_fixed", CREDIT_ON_APPROVED.format(row="NEW"), CREDIT_MESSAGE
        ),
        """CREATE TRIGGER translations_credit_insert_fixed BEFORE INSERT ON translations_credit
        FOR EACH ROW EXECUTE FUNCTION translations_credit_insert_fixed()""",
        function(
            "translations_credit_update_fixed", CREDIT_ON_APPROVED.format(row="OLD"), CREDIT_MESSAGE
        ),
        """CREATE TRIGGER translations_credit_update_fixed BEFORE UPDATE ON translations_credit
        FOR EACH ROW EXECUTE FUNCTION translations_credit_update_fixed()""",
        function("translations_auditentry_immutable", _pg(AUDIT_CHANGED), AUDIT_MESSAGE),
        """CREATE TRIGGER translations_auditentry_immutable BEFORE UPDATE
        ON translations_auditentry
        FOR EACH ROW EXECUTE FUNCTION translations_auditentry_immutable()""",
    ]


POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS translations_version_immutable ON translations_version",
    "DROP FUNCTION IF EXISTS translations_version_immutable()",
    "DROP TRIGGER IF EXISTS translations_credit_insert_fixed ON translations_credit",
    "DROP FUNCTION IF EXISTS translations_credit_insert_fixed()",
    "DROP TRIGGER IF EXISTS translations_credit_update_fixed ON translations_credit",
    "DROP FUNCTION IF EXISTS translations_credit_update_fixed()",
    "DROP TRIGGER IF EXISTS translations_auditentry_immutable ON translations_auditentry",
    "DROP FUNCTION IF EXISTS translations_auditentry_immutable()",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, sqlite_statements())
    elif vendor == "postgresql":
        _run(schema_editor, postgresql_statements())


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_DROP)


class Migration(migrations.Migration):
    dependencies = [("translations", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
