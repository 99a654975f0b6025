"""The full-text index of chunks, in the form the database in use has (D26b).

PostgreSQL: a stored generated tsvector (heading weighted A, text B) with a GIN index (no pending list).
SQLite: an external-content FTS5 table over knowledge_chunk, kept in step by triggers.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    ALTER TABLE knowledge_chunk ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(heading, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(text, '')), 'B')
    ) STORED
    """,
    # fastupdate off: uploads are rare and searches many. With the pending list on, a freshly
    # loaded knowledge base was searched by a sequential scan (95 ms over 4,000 chunks instead of
    # 0.1 ms) until autovacuum merged the list (bench/knowledge_search.py, D26b).
    "CREATE INDEX knowledge_chunk_search_gin ON knowledge_chunk USING GIN (search_vector) WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_chunk_search_gin",
    "ALTER TABLE knowledge_chunk DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE knowledge_chunk_fts USING fts5(
        heading, text, content='knowledge_chunk', content_rowid='id', tokenize='porter unicode61'
    )
    """,
    """
    CREATE TRIGGER knowledge_chunk_fts_insert AFTER INSERT ON knowledge_chunk BEGIN
        INSERT INTO knowledge_chunk_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
    END
    """,
    """
    CREATE TRIGGER knowledge_chunk_fts_delete AFTER DELETE ON knowledge_chunk BEGIN
        INSERT INTO knowledge_chunk_fts(knowledge_chunk_fts, rowid, heading, text)
        VALUES ('delete', old.id, old.heading, old.text);
    END
    """,
    """
    CREATE TRIGGER knowledge_chunk_fts_update AFTER UPDATE ON knowledge_chunk BEGIN
        INSERT INTO knowledge_chunk_fts(knowledge_chunk_fts, rowid, heading, text)
        VALUES ('delete', old.id, old.heading, old.text);
        INSERT INTO knowledge_chunk_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_chunk_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_chunk_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_chunk_fts_insert",
    "DROP TABLE IF EXISTS knowledge_chunk_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
