"""System checks of the hall's reference data."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _

from .workdays import next_year_missing


@register(Tags.database)
def next_year_calendar(app_configs, databases=None, **kwargs):
    """Warns from 1 November while next year's holidays are missing.

    A database check: it runs with `migrate` and `check --database default`,
    never on a plain `check` that may have no database to ask.
    """
    if not databases:
        return []

    try:
        year = next_year_missing()
    except DatabaseError:  # not migrated yet
        return []
    if year is None:
        return []
    return [
        Warning(
            _("The working-day calendar has no holidays for %(year)d.")
            % {"year": year},
            hint=_(
                "Deadlines in %(year)d would skip no public holiday. Upgrade the "
                "chinesecalendar package and run manage.py sync_official_calendar, "
                "or load the State Council's notice with manage.py import_calendar."
            )
            % {"year": year},
            id="core.W001",
        )
    ]
