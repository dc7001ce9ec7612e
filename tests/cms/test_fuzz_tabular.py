"""Property tests: whatever a CSV, JSON or XLSX file holds, the tabular reader
returns rows or refuses the file with an ImportFileError, never anything else."""

import csv
import io
import json

import openpyxl
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from cms.core.tabular import ImportFileError, read_table
from tests.strategies import deeply_nested, json_values, nasty_text

COLUMNS = {"name": ("名称",), "code": ("代码",), "kind": ("类型",)}
HEADERS = st.sampled_from(["name", "名称", "code", "kind", "类型"]) | nasty_text
cells = st.one_of(
    nasty_text, st.integers(), st.floats(allow_nan=True), st.dates(), st.none()
)
tables = st.lists(st.lists(cells, max_size=6), max_size=8)


def read(path, content: bytes | str):
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    try:
        table = read_table(path, COLUMNS, ("name",))
    except ImportFileError as error:
        assert str(error)
        return None
    for number, row in table.rows:
        assert isinstance(number, int) and set(row) <= set(COLUMNS)
        assert not any(
            "\x00" in value for value in row.values() if isinstance(value, str)
        )
    return table


@given(st.binary(max_size=2000), st.sampled_from(["csv", "json", "xlsx"]))
def test_any_bytes(tmp_path, content, suffix):
    read(tmp_path / f"file.{suffix}", content)


@given(st.lists(HEADERS, min_size=1, max_size=5), tables)
def test_any_csv(tmp_path, headers, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    read(tmp_path / "file.csv", out.getvalue())


@given(json_values | deeply_nested() | st.lists(st.dictionaries(HEADERS, json_values)))
def test_any_json(tmp_path, value):
    read(tmp_path / "file.json", json.dumps(value, ensure_ascii=False))


@given(st.integers(1, 200_000), st.sampled_from(["[", '{"name": [', '[{"name": ']))
def test_json_nested_to_any_depth(tmp_path, depth, opening):
    read(tmp_path / "file.json", opening * depth)


@given(st.lists(HEADERS, min_size=1, max_size=5), tables, st.integers(1, 16384))
def test_any_xlsx(tmp_path, headers, rows, far_column):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    try:
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        sheet.cell(row=far_column * 64, column=far_column, value="far")
    except (IllegalCharacterError, ValueError):
        assume(False)  # openpyxl cannot write it, so no file can hold it
    path = tmp_path / "file.xlsx"
    workbook.save(path)
    read(path, path.read_bytes())
