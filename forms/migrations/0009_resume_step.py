from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_step_handler"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="resume_step",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
    ]
