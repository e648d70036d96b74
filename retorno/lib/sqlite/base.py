"""Django's SQLite backend, with one change: flushing the database lifts append-only guards.

On SQLite, append-only tables (the audit trail) are guarded by triggers named ``*_no_delete``
that refuse every DELETE, from the ORM and from raw SQL alike. Django's ``flush`` (which the
test runner also uses to empty the database between transactional tests) empties tables with
DELETE on SQLite, where PostgreSQL uses TRUNCATE, which row triggers do not see. So that a flush
does here what it does on PostgreSQL, and nothing more, its own transaction drops those triggers,
empties the tables and creates the triggers again: the guard is never off outside a flush.
"""

from django.db.backends.sqlite3 import base, operations

GUARD_SUFFIX = "_no_delete"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not sql:
            return sql
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s ESCAPE '\\'",
                ["%" + GUARD_SUFFIX.replace("_", "\\_")],
            )
            flushed = set(tables)
            guards = [(name, text) for name, table, text in cursor.fetchall() if table in flushed]
        drop = [f"DROP TRIGGER {self.quote_name(name)};" for name, _sql in guards]
        create = [sql_text + ";" for _name, sql_text in guards]
        return [*drop, *sql, *create]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
