"""The full-text index beneath the embedded engine, per database vendor.

SQLite: an FTS5 table over the pre-segmented text (external content: the
SearchEntry table), ranked with bm25(). PostgreSQL: a stored, weighted tsvector
column with a GIN index, ranked with ts_rank_cd(). The text is already split
into words by jieba, so the simplest tokenizers and no stemming are right.
"""

from django.db import migrations

FTS_TABLE = "harbor_search_fts"
ENTRY_TABLE = "harbor_search_searchentry"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title_tokens, body_tokens, pinyin, "
            f"content='{ENTRY_TABLE}', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', coalesce(title_tokens, '')), 'A') || "
            "setweight(to_tsvector('simple', coalesce(pinyin, '')), 'B') || "
            "setweight(to_tsvector('simple', coalesce(body_tokens, '')), 'C')"
            ") STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX harbor_search_vector_gin ON {ENTRY_TABLE} "
            "USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS harbor_search_vector_gin")
        schema_editor.execute(
            f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS search_vector"
        )


class Migration(migrations.Migration):
    dependencies = [("harbor_search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
