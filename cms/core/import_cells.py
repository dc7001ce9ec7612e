"""Cells of an imported table as the importers' widgets read them (django-import-export).

Every importer of a city's tables (policies, talent rosters) reads text and dates
through these, so a cell means the same whichever table it is in.
"""

import datetime

from django.utils.translation import gettext as _
from import_export import widgets

# Spreadsheets and staff write dates as 2026-03-01, 2026/03/01 or 2026.03.01.
DATE_SEPARATORS = str.maketrans({"/": "-", ".": "-"})


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


class DateWidget(widgets.Widget):
    """A date cell; ``missing`` is the message when the date is required."""

    def __init__(self, missing=None):
        super().__init__()
        self.missing = missing

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            if self.missing is not None:
                raise ValueError(self.missing)
            return None
        try:
            return datetime.date.fromisoformat(text.translate(DATE_SEPARATORS))
        except ValueError:
            raise ValueError(
                _("Bad date “%(value)s”: write it as YYYY-MM-DD.") % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""
