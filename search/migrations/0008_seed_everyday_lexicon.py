"""Seed the built-in everyday-to-official lexicon as synonym groups, so that
administrators can edit or switch off each group in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from search.analysis import (
        LEXICON_NOTE,
        format_synonym_line,
        lexicon_groups,
        parse_synonym_line,
    )

    SynonymGroup = apps.get_model("harbor_search", "SynonymGroup")
    existing = {
        format_synonym_line(*parse_synonym_line(line))
        for line in SynonymGroup.objects.values_list("terms", flat=True)
    }
    lines = [format_synonym_line(*group) for group in lexicon_groups()]
    SynonymGroup.objects.bulk_create(
        [
            SynonymGroup(terms=line[:300], note=LEXICON_NOTE)
            for line in lines
            if line not in existing
        ]
    )
    # Every running process reloads its dictionary with the new groups.
    from search.analysis import mark_dictionary_changed

    mark_dictionary_changed()


def unseed(apps, schema_editor):
    from search.analysis import LEXICON_NOTE

    apps.get_model("harbor_search", "SynonymGroup").objects.filter(
        note=LEXICON_NOTE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("harbor_search", "0007_bestbet")]

    operations = [migrations.RunPython(seed, unseed)]
