"""The demo's data files (cms/demo/data/) are in their importers' formats and are
loaded through them: a file an importer would refuse stops the demo."""

import csv
import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.utils import translation

from cms.core.models import CalendarDay
from cms.demo import files
from cms.demo.calendar import write_calendar
from cms.demo.files import DemoDataError
from cms.demo.forms_pages import FORM_GUIDES, FORMS
from cms.demo.organisation import write_districts
from cms.demo.progress import Progress
from cms.departments.models import Department, District
from cms.home.bootstrap import ensure_hall
from forms.builder.definition import validate_definition
from forms.builder.form_files import (
    FORMAT,
    FORMAT_VERSION,
    OPTIONAL_KEYS,
    REQUIRED_KEYS,
)

pytestmark = pytest.mark.django_db


def dry_run(command: str, name: str) -> str:
    """The command's summary, in English for the assertions."""
    stdout = io.StringIO()
    with translation.override("en"):
        call_command(
            command,
            str(files.path(name)),
            "--dry-run",
            stdout=stdout,
            stderr=io.StringIO(),
        )
    return stdout.getvalue()


def test_the_departments_file_passes_import_departments_and_writes_nothing_dry():
    ensure_hall()
    report = dry_run("import_departments", "departments.csv")
    assert "22 created" in report and "0 failed" in report
    assert not District.objects.exists() and not Department.objects.exists()


def test_the_calendar_file_passes_import_calendar():
    CalendarDay.objects.all().delete()
    report = dry_run("import_calendar", "calendar.csv")
    rows = len(files.read_csv("calendar.csv"))
    assert f"{rows} created" in report and "0 failed" in report
    assert not CalendarDay.objects.exists()


def test_every_unit_has_one_module_description_and_no_stray_ones():
    units = [row["name"] for row in files.read_csv("departments.csv")]
    modules = [row["name"] for row in files.read_csv("modules.csv")]
    assert sorted(units) == sorted(modules)
    assert len(set(units)) == len(units)


def test_every_form_file_is_an_import_form_file_named_after_its_guide():
    guides = {
        guide["slug"] for guide in json.loads(files.path("guides.json").read_text())
    }
    on_disk = {path.stem for path in files.path("forms").glob("*.json")}
    assert on_disk == set(FORM_GUIDES) <= guides
    for spec in FORMS:
        data = {key: value for key, value in spec.items() if key != "guide"}
        assert (data["format"], data["version"]) == (FORMAT, FORMAT_VERSION)
        assert (
            set(REQUIRED_KEYS)
            <= set(data)
            <= {*REQUIRED_KEYS, *OPTIONAL_KEYS, "parent"}
        )
        validate_definition(data["definition"])


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the data folder the demo reads instead of its own."""
    copy = tmp_path / "data"
    shutil.copytree(files.DATA, copy)
    monkeypatch.setattr(files, "DATA", copy)
    files.read_csv.cache_clear()
    yield copy
    files.read_csv.cache_clear()


def test_a_unit_row_the_importer_refuses_stops_the_demo(data_copy):
    ensure_hall()
    path = data_copy / "departments.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[1][rows[0].index("code")] = "35050X"  # not six digits
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(DemoDataError, match="row 2"):
        write_districts(Progress())
    assert not District.objects.exists()


def test_a_calendar_row_the_importer_refuses_stops_the_demo(data_copy):
    CalendarDay.objects.all().delete()
    path = data_copy / "calendar.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "2027-13-01,holiday,不存在的日子\n",
        encoding="utf-8",
    )
    with pytest.raises(DemoDataError, match="calendar.csv row"):
        write_calendar(Progress())
    assert not CalendarDay.objects.exists()
