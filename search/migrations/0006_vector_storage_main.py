"""PostgreSQL: keep the tsvector in the row (compressed when it must be)
rather than out of line in TOAST, so that ranking thousands of hits does not
look each one up in the TOAST table. Rows written before this keep their old
storage until the next `search_rebuild`."""

from django.db import migrations

ENTRY_TABLE = "harbor_search_searchentry"


def set_storage(storage):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {ENTRY_TABLE} ALTER COLUMN search_vector"
                f" SET STORAGE {storage}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("harbor_search", "0005_entry_tiers")]

    operations = [
        migrations.RunPython(set_storage("MAIN"), set_storage("EXTENDED")),
    ]
