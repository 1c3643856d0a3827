"""Full-text index on Organization.search_text: FTS5 on SQLite, GIN on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE registry_organization_fts USING fts5(
        search_text, content='registry_organization', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
    )""",
    """CREATE TRIGGER registry_organization_fts_ai AFTER INSERT ON registry_organization BEGIN
        INSERT INTO registry_organization_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER registry_organization_fts_ad AFTER DELETE ON registry_organization BEGIN
        INSERT INTO registry_organization_fts(registry_organization_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER registry_organization_fts_au AFTER UPDATE OF search_text ON registry_organization
    BEGIN
        INSERT INTO registry_organization_fts(registry_organization_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO registry_organization_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO registry_organization_fts(registry_organization_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_organization_fts_au",
    "DROP TRIGGER IF EXISTS registry_organization_fts_ad",
    "DROP TRIGGER IF EXISTS registry_organization_fts_ai",
    "DROP TABLE IF EXISTS registry_organization_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX registry_organization_search ON registry_organization "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS registry_organization_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
