"""The tabular reader stops at its documented limits with a clear error instead of
working for minutes, and refuses what the database cannot store; every importer
reads through it, so each of the four commands is tried with the same files."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cms.core import tabular
from cms.core.models import CalendarDay
from cms.core.tabular import ImportFileError, read_table

pytestmark = pytest.mark.django_db

COLUMNS = {"date": ("日期",), "kind": ("类型",), "name": ("名称",)}
# Each importer with a header it accepts (the check stops before the rows).
IMPORTERS = {
    "import_calendar": ["date", "kind", "name"],
    "import_departments": ["name", "kind"],
    "import_policies": ["title", "department", "document_number"],
    "import_talents": ["name", "id_number", "tier"],
}


def xlsx(path, rows, far_cell=None, far_value="x"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = far_value
    workbook.save(path)
    return path


def test_one_far_away_cell_is_refused_without_reading_the_padding(tmp_path):
    path = xlsx(tmp_path / "far.xlsx", [["date", "kind"]], far_cell="XFD1048576")
    assert path.stat().st_size < 10_000
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        read_table(path, COLUMNS, ("date", "kind"))
    assert "Cell XFD1048576 is beyond column 200" in str(caught.value)


def test_a_formatted_empty_cell_far_away_is_ignored(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["date", "kind"])
    sheet.append(["2026-10-01", "休"])
    sheet["XFD1048576"].number_format = "0.00"  # stored, but holds nothing
    workbook.save(tmp_path / "styled.xlsx")
    table = read_table(tmp_path / "styled.xlsx", COLUMNS, ("date", "kind"))
    assert table.rows == [(2, {"date": "2026-10-01", "kind": "休"})]


def test_rows_far_below_keep_their_row_numbers(tmp_path):
    path = xlsx(
        tmp_path / "below.xlsx",
        [["date", "kind"], ["2026-10-01", "休"]],
        far_cell="A1048576",
        far_value="2026-10-08",
    )
    table = read_table(path, COLUMNS, ("date", "kind"))
    assert [number for number, _row in table.rows] == [2, 1048576]


def test_the_reader_stops_at_the_stored_cell_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_XLSX_CELLS", 50)
    path = xlsx(
        tmp_path / "many.xlsx",
        [["date", "kind"]] + [["2026-10-01", "休"] for _ in range(100)],
    )
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        read_table(path, COLUMNS, ("date", "kind"))
    assert "more than 50 cells" in str(caught.value)


@pytest.mark.parametrize("command", IMPORTERS)
def test_every_importer_refuses_the_far_cell_even_in_a_dry_run(tmp_path, command):
    path = xlsx(tmp_path / "far.xlsx", [IMPORTERS[command]], far_cell="XFD1048576")
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command(
            command,
            str(path),
            "--dry-run",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert "XFD1048576" in str(caught.value)


@pytest.mark.parametrize("command", IMPORTERS)
def test_every_importer_refuses_deeply_nested_json(tmp_path, command):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command(command, str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "nested too deeply" in str(caught.value)


# XML cannot carry a NUL, so an XLSX cell never holds one.
@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_nul_in_a_cell_is_refused_and_nothing_is_written(tmp_path, suffix):
    rows = [["date", "kind", "name"], ["2026-10-01", "休", "国庆\x00节"]]
    path = tmp_path / f"nul.{suffix}"
    if suffix == "csv":
        path.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    else:
        path.write_text(json.dumps([dict(zip(rows[0], rows[1], strict=True))]))
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command(
            "import_calendar", str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert "column name contains a NUL character" in str(caught.value)
    assert not CalendarDay.objects.filter(name__contains="国庆").exists()


def test_a_json_cell_holding_a_list_is_refused(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"date": ["2026-10-01"], "kind": "休"}]))
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        read_table(path, COLUMNS, ("date", "kind"))
    assert "Row 1, column date: a value must be text or a number" in str(caught.value)


def test_a_division_code_of_non_ascii_digits_is_a_row_error(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("name,kind,code\n鲤城区,县区,²²²²²²\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command(
            "import_departments", str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert "Nothing was written" in str(caught.value)
