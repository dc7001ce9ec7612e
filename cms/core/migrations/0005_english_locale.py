"""The English locale beside the default (Chinese) one: a single row, no
page is touched (pages keep the default locale they already have)."""

from django.db import migrations


def add_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_seed_official_calendar"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(add_english, migrations.RunPython.noop)]
