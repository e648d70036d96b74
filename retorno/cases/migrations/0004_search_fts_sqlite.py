"""On SQLite, search by name goes through an FTS5 trigram index of the normalised name (kept in
sync by triggers), so `LIKE '%token%'` is an index lookup instead of a scan of every person.
PostgreSQL has its trigram GIN index (0003). Where SQLite lacks FTS5, nothing is created and
search falls back to a plain LIKE."""

from django.db import migrations

UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_person_fts USING fts5("
    "search_name, content='cases_person', content_rowid='id', tokenize='trigram')",
    "INSERT INTO cases_person_fts(cases_person_fts) VALUES('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS cases_person_fts_ai AFTER INSERT ON cases_person BEGIN "
    "INSERT INTO cases_person_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER IF NOT EXISTS cases_person_fts_ad AFTER DELETE ON cases_person BEGIN "
    "INSERT INTO cases_person_fts(cases_person_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER IF NOT EXISTS cases_person_fts_au AFTER UPDATE OF search_name ON cases_person "
    "BEGIN INSERT INTO cases_person_fts(cases_person_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO cases_person_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
]
DOWN = [
    "DROP TRIGGER IF EXISTS cases_person_fts_ai",
    "DROP TRIGGER IF EXISTS cases_person_fts_ad",
    "DROP TRIGGER IF EXISTS cases_person_fts_au",
    "DROP TABLE IF EXISTS cases_person_fts",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.fts_probe USING fts5(a, tokenize='trigram')")
            cursor.execute("DROP TABLE temp.fts_probe")
        except Exception:  # noqa: BLE001 - an SQLite without FTS5 trigram: plain LIKE search
            return
    for statement in UP:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DOWN:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_search_trigram_index")]

    operations = [migrations.RunPython(forwards, backwards)]
