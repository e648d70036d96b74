"""SQLite refuses DELETE of an audit event too, and Django's base manager refuses like `objects`.

Migration 0002 guarded only UPDATE on SQLite, because Django's flush (used by the test runner)
empties tables with DELETE there. The project's SQLite backend (retorno.lib.sqlite) now lifts
triggers named *_no_delete for the length of a flush's own transaction only, as TRUNCATE does on
PostgreSQL, so every other DELETE is refused.
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_delete;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["-occurred_at", "-id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
