"""Seed the lexicon groups of how people ask about each theme, added since
migration 0011 (the groups already there, and any an administrator edited,
stay as they are)."""

import importlib

from django.db import migrations

_seeding = importlib.import_module("search.migrations.0008_seed_everyday_lexicon")


def seed(apps, schema_editor):
    _seeding.seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("harbor_search", "0011_lexicon_additions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
