"""The recall safety net: character bigrams of the title and the body beside
the segmented words, in the full-text index of both vendors.

SQLite: the FTS5 table gains two columns (it is recreated: FTS5 tables cannot
add columns). PostgreSQL: the generated tsvector takes the title's bigrams at
weight B (beside the pinyin keys, which are ASCII and never collide with a
Chinese bigram) and the body's at weight D, so a bigram match ranks below a
word match of the same field. Rows written before this have no bigrams until
the next `search_rebuild`.

Adding a column makes Django rebuild the SQLite table, which drops the indexes
it does not know of: the recency index of migration 0004 is made again here
(both ways).
"""

from django.db import migrations, models

FTS_TABLE = "harbor_search_fts"
ENTRY_TABLE = "harbor_search_searchentry"

OLD_COLUMNS = "title_tokens, body_tokens, pinyin"
NEW_COLUMNS = "title_tokens, body_tokens, pinyin, title_grams, body_grams"

OLD_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(title_tokens, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(pinyin, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(body_tokens, '')), 'C')"
)
NEW_VECTOR = (
    OLD_VECTOR + " || "
    "setweight(to_tsvector('simple', coalesce(title_grams, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(body_grams, '')), 'D')"
)


RECENCY_INDEX = "harbor_search_recency"


def _restore_recency_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {RECENCY_INDEX} ON {ENTRY_TABLE} ("
            "(CASE WHEN status = 'repealed' THEN 1 ELSE 0 END), issued_on DESC,"
            " id DESC, type, department_id, category_id, year, status)"
        )


def _recreate(columns: str, vector: str):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, "
                f"content='{ENTRY_TABLE}', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 0')"
            )
            schema_editor.execute(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
            )
            _restore_recency_index(apps, schema_editor)
        elif vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS harbor_search_vector_gin")
            schema_editor.execute(f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN search_vector")
            schema_editor.execute(
                f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS ({vector}) STORED"
            )
            # In the row, not in TOAST (as migration 0006 set it).
            schema_editor.execute(
                f"ALTER TABLE {ENTRY_TABLE} ALTER COLUMN search_vector SET STORAGE MAIN"
            )
            schema_editor.execute(
                f"CREATE INDEX harbor_search_vector_gin ON {ENTRY_TABLE} "
                "USING gin (search_vector)"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("harbor_search", "0009_synonym_group_narrower_help")]

    operations = [
        # Reversed last: after the columns are gone (and the table rebuilt).
        migrations.RunPython(migrations.RunPython.noop, _restore_recency_index),
        migrations.AddField(
            model_name="searchentry",
            name="title_grams",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="body_grams",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(
            _recreate(NEW_COLUMNS, NEW_VECTOR), _recreate(OLD_COLUMNS, OLD_VECTOR)
        ),
    ]
