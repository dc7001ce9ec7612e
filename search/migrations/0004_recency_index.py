"""SQLite: an index in the order of the ranking rules when every hit scores the
same (in force before repealed, newer first), covering the filter columns, so
that the embedded engine walks it and stops at the end of the page."""

from django.db import migrations

ENTRY_TABLE = "harbor_search_searchentry"
INDEX = "harbor_search_recency"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {ENTRY_TABLE} ("
            "(CASE WHEN status = 'repealed' THEN 1 ELSE 0 END), issued_on DESC,"
            " id DESC, type, department_id, category_id, year, status)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("harbor_search", "0003_facet_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
