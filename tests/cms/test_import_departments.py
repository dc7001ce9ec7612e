"""Onboarding a city's districts and departments from a file (import_departments)."""

import io
import json
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation
from wagtail.models import GroupPagePermission, Page

from cms.core import tabular
from cms.departments import importing
from cms.departments.models import Department, DepartmentPage, District, DistrictPage
from tests.cms.import_commands import (  # noqa: F401 (fixture)
    english_messages,
    failing_command,
    run_command,
)
from tests.factories import home_page, make_department, make_district

EXAMPLE = Path(importing.__file__).parent / "examples" / "quanzhou.csv"
HEADER = "name,kind,parent,short_name,phone,address\n"


def run_import(path, *extra) -> tuple[str, str]:
    return run_command("import_departments", path, *extra)


def failing_import(path, *extra) -> str:
    return failing_command("import_departments", path, *extra)


def write_csv(
    tmp_path, body: str, name: str = "units.csv", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes((HEADER + textwrap.dedent(body).lstrip()).encode(encoding))
    return path


def database_counts() -> tuple[int, ...]:
    return (
        District.objects.count(),
        Department.objects.count(),
        Page.objects.count(),
        Group.objects.count(),
    )


class QuanzhouExampleTests(TestCase):
    """The shipped example file, imported once into a freshly migrated database."""

    @classmethod
    def setUpTestData(cls):
        cls.output, _ = run_import(EXAMPLE)

    def test_creates_the_eleven_districts_with_published_modules_and_groups(self):
        districts = District.objects.all()
        assert districts.count() == 11
        jinjiang = District.objects.get(name="晋江市")
        assert jinjiang.code == "350582" and jinjiang.phone == "0595-22101006"
        for district in districts:
            module = district.module_page
            assert isinstance(module, DistrictPage) and module.live
            assert module.get_parent().pk == home_page().pk
            assert district.editors_group and district.moderators_group

    def test_city_departments_have_their_modules_and_editor_rights(self):
        department = Department.objects.get(short_name="人社局")
        assert (
            department.name == "泉州市人力资源和社会保障局"
            and department.district is None
        )
        assert department.module_page.get_parent().pk == home_page().pk
        rights = GroupPagePermission.objects.filter(group=department.editors_group)
        assert {right.page_id for right in rights} == {department.module_page.pk}
        short_names = set(
            Department.objects.filter(district=None).values_list(
                "short_name", flat=True
            )
        )
        assert {
            "人社局",
            "住建局",
            "教育局",
            "卫健委",
            "出入境管理支队",
            "财政局",
            "科技局",
            "市委人才办",
        } <= short_names

    def test_a_district_department_lives_in_its_district_module(self):
        department = Department.objects.get(name="晋江市人力资源和社会保障局")
        assert department.district.name == "晋江市"
        assert (
            department.module_page.get_parent().pk == department.district.module_page.pk
        )

    def test_rows_follow_the_file_order(self):
        assert list(District.objects.values_list("name", flat=True)[:3]) == [
            "鲤城区",
            "丰泽区",
            "洛江区",
        ]

    def test_importing_again_reports_every_row_unchanged(self):
        counts = database_counts()
        output, _ = run_import(EXAMPLE)
        assert "0 created, 0 updated, 20 unchanged, 0 failed" in output
        assert database_counts() == counts

    def test_a_changed_phone_updates_the_existing_district(self):
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "phone.csv"
        path.write_text(HEADER + "晋江市,县区,,,0595-88888888,\n", encoding="utf-8")
        output, _ = run_import(path)
        assert "0 created, 1 updated" in output
        district = District.objects.get(name="晋江市")
        assert district.phone == "0595-88888888"
        # An empty cell leaves what is there alone.
        assert district.address.startswith("晋江市人才服务中心")


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(tmp_path):
    path = write_csv(tmp_path, "鲤城区,县区,,,,\n鲤城区人社局,部门,鲤城区,,,\n")
    counts = database_counts()
    output, _ = run_import(path, "--dry-run")
    assert "Dry run: 2 created" in output
    assert database_counts() == counts


@pytest.mark.django_db
def test_each_bad_row_is_reported_with_its_number_and_reason_and_nothing_is_written(
    tmp_path,
):
    make_department(name="泉州市财政局", short_name="财政局")
    path = write_csv(
        tmp_path,
        """\
        鲤城区,县区,,,,
        泉州市人社局,单位,,,,
        ,部门,,,,
        晋江市人社局,部门,晋江市,,,
        财政局下属科,部门,泉州市财政局,,,
        石狮市,县区,鲤城区,,,
        鲤城区人社局,部门,鲤城区,,,
        """,
    )
    counts = database_counts()
    report = failing_import(path)
    assert "Row 3 (泉州市人社局): Unknown kind “单位”" in report
    assert "Row 4 (-): The name is missing." in report
    assert "Row 5 (晋江市人社局): Unknown parent district “晋江市”" in report
    assert (
        "Row 6 (财政局下属科): The parent “泉州市财政局” is a department, not a district."
        in report
    )
    assert "Row 7 (石狮市): A district has no parent" in report
    assert "Row 2" not in report and "Row 8" not in report
    assert "5 failed" in report and "Nothing was written" in report
    # The good rows (2 and 8) were rolled back with the rest.
    assert database_counts() == counts


@pytest.mark.django_db
def test_a_name_too_long_for_the_record_is_a_row_error(tmp_path):
    path = write_csv(tmp_path, f"{'很长的名字' * 20},部门,,,,\n")
    report = failing_import(path)
    assert "Row 2" in report and "name:" in report


@pytest.mark.django_db
def test_an_existing_district_cannot_be_imported_as_a_department(tmp_path):
    make_district(name="惠安县")
    path = write_csv(tmp_path, "惠安县,部门,,,,\n")
    assert "“惠安县” already exists as a district." in failing_import(path)


@pytest.mark.django_db
def test_an_xlsx_file_with_chinese_headers_imports(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["名称", "类型", "上级", "简称", "电话", "地址"])
    sheet.append(["南安市", "县区", None, None, None, "南安市行政服务中心"])
    sheet.append(
        ["南安市人力资源和社会保障局", "部门", "南安市", "南安人社局", 22103002, None]
    )
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    output, _ = run_import(path)
    assert "2 created" in output
    department = Department.objects.get(short_name="南安人社局")
    assert department.district.name == "南安市" and department.phone == "22103002"
    assert isinstance(department.module_page, DepartmentPage)


@pytest.mark.django_db
def test_a_json_file_imports(tmp_path):
    path = tmp_path / "units.json"
    path.write_text(
        json.dumps(
            [
                {"name": "德化县", "kind": "district"},
                {"name": "德化县教育局", "kind": "部门", "parent": "德化县"},
            ]
        ),
        encoding="utf-8",
    )
    run_import(path)
    assert Department.objects.get(name="德化县教育局").district.name == "德化县"


@pytest.mark.django_db
def test_a_csv_saved_by_chinese_excel_in_gb18030_is_read(tmp_path):
    path = write_csv(tmp_path, "永春县,县区,,,,\n", encoding="gb18030")
    run_import(path)
    assert District.objects.filter(name="永春县").exists()


@pytest.mark.django_db
def test_an_unknown_column_is_refused_before_anything_is_read(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("name,kind,telephone\n安溪县,县区,123\n", encoding="utf-8")
    assert "Unknown column(s): telephone" in failing_import(path)
    assert not District.objects.filter(name="安溪县").exists()


@pytest.mark.django_db
def test_a_missing_required_column_is_refused(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("name\n安溪县\n", encoding="utf-8")
    assert "Missing column(s): kind" in failing_import(path)


@pytest.mark.django_db
def test_an_unsupported_file_type_is_refused(tmp_path):
    path = tmp_path / "units.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "Unsupported file type “.xls”" in failing_import(path)


@pytest.mark.django_db
def test_a_file_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 40)
    path = write_csv(tmp_path, "鲤城区,县区,,,,\n丰泽区,县区,,,,\n")
    assert "The file is too large" in failing_import(path)


@pytest.mark.django_db
def test_a_file_over_the_row_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 1)
    path = write_csv(tmp_path, "鲤城区,县区,,,,\n丰泽区,县区,,,,\n")
    assert "more than 1 rows" in failing_import(path)
    assert not District.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            b"\0" * (tabular.MAX_XLSX_UNCOMPRESSED_BYTES + 1),
        )
    assert path.stat().st_size < tabular.MAX_FILE_BYTES
    assert "expands to too much data" in failing_import(path)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
<!ENTITY lol "lollollollollollollollollollol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""

SHARED_STRINGS_RELATIONSHIP = (
    '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)
SHARED_STRINGS_CONTENT_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def write_xlsx_with_shared_strings(path: Path, shared_strings: str) -> None:
    """An XLSX whose cell A2 refers to the first entry of the given sharedStrings.xml
    (openpyxl itself writes inline strings, so the part is added by hand)."""
    plain = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "kind"])
    workbook.active.append(["PLACEHOLDER", "县区"])
    workbook.save(plain)
    with (
        zipfile.ZipFile(plain) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for entry in original.infolist():
            data = original.read(entry.filename).decode()
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    't="inlineStr"><is><t>PLACEHOLDER</t></is>', 't="s"><v>0</v>'
                )
            elif entry.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    "</Relationships>", SHARED_STRINGS_RELATIONSHIP + "</Relationships>"
                )
            elif entry.filename == "[Content_Types].xml":
                data = data.replace(
                    "</Types>", SHARED_STRINGS_CONTENT_TYPE + "</Types>"
                )
            copy.writestr(entry, data.encode())
        copy.writestr("xl/sharedStrings.xml", shared_strings.encode())


READ_HOSTILE_FILE = """
import resource, sys
import django
django.setup()
from django.utils import translation
translation.activate("en")
from cms.core.tabular import ImportFileError, read_table
from cms.departments.importing import UNIT_COLUMNS
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    read_table(sys.argv[1], UNIT_COLUMNS, ())
    print("ACCEPTED")
except ImportFileError as error:
    print("REJECTED", error)
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


@pytest.mark.django_db
def test_a_shared_strings_xlsx_is_read(tmp_path):
    """The control for the test below: the hand-built file is a valid XLSX."""
    path = tmp_path / "shared.xlsx"
    write_xlsx_with_shared_strings(
        path,
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>鲤城区</t></si></sst>',
    )
    run_import(path)
    assert District.objects.filter(name="鲤城区").exists()


def test_an_xlsx_with_a_billion_laughs_is_rejected_without_eating_memory(tmp_path):
    """docs/security.md H3: entity expansion in sharedStrings.xml is refused, and the
    attempt does not raise the reader's peak memory by 100 MB or more."""
    hostile = tmp_path / "laughs.xlsx"
    write_xlsx_with_shared_strings(hostile, BILLION_LAUGHS)
    env = {"DJANGO_SETTINGS_MODULE": "cms.settings.test", "PATH": "/usr/bin:/bin"}
    completed = subprocess.run(
        [sys.executable, "-c", READ_HOSTILE_FILE, str(hostile)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(importing.__file__).resolve().parents[2],
    )
    assert "REJECTED The XLSX file cannot be read" in completed.stdout, (
        completed.stdout + completed.stderr
    )
    peak_growth_kb = int(completed.stdout.split("PEAK_KB")[1].strip())
    assert peak_growth_kb < 100 * 1024


@pytest.mark.django_db
def test_long_files_show_a_progress_bar(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "PROGRESS_MIN_ROWS", 2)
    path = write_csv(tmp_path, "鲤城区,县区,,,,\n丰泽区,县区,,,,\n")
    _, progress = run_import(path)
    assert "100%" in progress and "2/2" in progress


@pytest.mark.django_db
def test_short_files_show_no_progress_bar(tmp_path):
    path = write_csv(tmp_path, "鲤城区,县区,,,,\n")
    _, progress = run_import(path)
    assert progress == ""


@pytest.mark.django_db
def test_an_xlsx_over_the_row_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 1)
    workbook = openpyxl.Workbook()
    for row in (["name", "kind"], ["鲤城区", "县区"], [None, None], ["丰泽区", "县区"]):
        workbook.active.append(row)
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    assert "more than 1 rows" in failing_import(path)


@pytest.mark.django_db
def test_verbose_output_lists_every_row(tmp_path):
    path = write_csv(tmp_path, "鲤城区,县区,,,,\n")
    output, _ = run_import(path, "--verbosity", "2")
    assert "Row 2 (鲤城区): created" in output


@pytest.mark.django_db
def test_row_errors_are_reported_in_chinese_by_default(tmp_path):
    """Operators read the command's report in the hall's language."""
    path = tmp_path / "units.csv"
    path.write_text("name,kind,parent\n某某局,部门,不存在区\n", encoding="utf-8")
    stderr = io.StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command(
            "import_departments", str(path), stdout=io.StringIO(), stderr=stderr
        )
    assert "第2行" in stderr.getvalue()
    assert not Department.objects.filter(name="某某局").exists()
