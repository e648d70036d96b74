"""Search by name uses `search_name LIKE '%token%'`; on PostgreSQL a trigram GIN index makes
that an index scan instead of a table scan. SQLite has no such index and needs none at the
sizes it serves."""

from django.db import migrations

UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cases_person_search_name_trgm "
    "ON cases_person USING gin (search_name gin_trgm_ops)",
]
DOWN = ["DROP INDEX IF EXISTS cases_person_search_name_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in UP:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DOWN:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_desk_reference_index")]

    operations = [migrations.RunPython(forwards, backwards)]
