"""The State Council's holidays and make-up working days, for every year the
pinned chinesecalendar package knows, from the first migrate. Later years come
with `manage.py sync_official_calendar` after upgrading the package."""

from django.db import migrations


def seed_official_days(apps, schema_editor):
    from cms.core.official_calendar import seed

    seed(apps.get_model("core", "CalendarDay"))


def remove_official_days(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source="official").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendarday_source")]

    operations = [migrations.RunPython(seed_official_days, remove_official_days)]
