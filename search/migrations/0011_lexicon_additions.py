"""Seed the groups added to the built-in lexicon since migration 0008 (the
groups already there, and any an administrator edited, stay as they are)."""

import importlib

from django.db import migrations

_seeding = importlib.import_module("search.migrations.0008_seed_everyday_lexicon")


def seed(apps, schema_editor):
    _seeding.seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("harbor_search", "0010_bigram_fields")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
