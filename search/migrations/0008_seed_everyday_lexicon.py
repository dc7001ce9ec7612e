"""Seed the built-in everyday-to-official lexicon as synonym groups, so that
administrators can edit or switch off each group in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from search.analysis import LEXICON_NOTE, lexicon_groups

    SynonymGroup = apps.get_model("harbor_search", "SynonymGroup")
    existing = {
        frozenset(g.replace("，", ",").replace("/", ",").replace(" ", "").split(","))
        for g in SynonymGroup.objects.values_list("terms", flat=True)
    }
    SynonymGroup.objects.bulk_create(
        [
            SynonymGroup(terms=", ".join(words)[:300], note=LEXICON_NOTE)
            for words in lexicon_groups()
            if frozenset(words) not in existing
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
