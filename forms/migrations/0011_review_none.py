from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0010_form_blocks"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationformpage",
            name="review_none",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Applications are complete as soon as they are submitted, with "
                    "no review steps. A form needs review steps or this choice to "
                    "be published."
                ),
                verbose_name="No review (即办件)",
            ),
        ),
        migrations.AlterField(
            model_name="applicationformpage",
            name="confirmation_text",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Shown with the receipt number after submitting. Do not repeat "
                    "time limits here: the receipt states them from the review steps."
                ),
                verbose_name="what happens next",
            ),
        ),
    ]
