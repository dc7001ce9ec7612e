from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="serviceguidepage",
            name="promised_limit_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text=(
                    "For a service without an online form. A guide with an online "
                    "form promises the total of the form's review steps instead."
                ),
                null=True,
                verbose_name="promised time limit (working days)",
            ),
        ),
    ]
