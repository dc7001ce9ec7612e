"""The one date cell every importer reads (policies, talent rosters)."""

import datetime

import pytest

from cms.core.import_cells import DateWidget, cell_text
from cms.policies import resources as policy_resources
from forms.talents import resources as talent_resources


@pytest.mark.parametrize(
    "cell", ["2026-03-01", "2026/03/01", "2026.03.01", " 2026-03-01 "]
)
def test_the_ways_staff_write_a_date_read_as_one_date(cell):
    assert DateWidget().clean(cell) == datetime.date(2026, 3, 1)


def test_spreadsheet_dates_pass_through():
    moment = datetime.datetime(2026, 3, 1, 9, 30)
    assert DateWidget().clean(moment) == datetime.date(2026, 3, 1)
    assert DateWidget().clean(moment.date()) == datetime.date(2026, 3, 1)


def test_an_optional_date_may_be_empty_and_a_required_one_names_itself():
    assert DateWidget().clean("  ") is None
    with pytest.raises(ValueError, match="issue date"):
        DateWidget("The issue date is missing.").clean(None)


@pytest.mark.parametrize("cell", ["2026-13-01", "1 March 2026", "2026-02-30"])
def test_a_bad_date_says_how_to_write_it(cell):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        DateWidget().clean(cell)


def test_both_importers_read_dates_and_text_through_the_same_cells():
    assert policy_resources.DateWidget is DateWidget
    assert talent_resources.DateWidget is DateWidget
    assert talent_resources.cell_text is cell_text
    assert cell_text(None) == "" and cell_text(" 住房 ") == "住房"
