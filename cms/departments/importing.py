"""Onboarding a city from files: reading spreadsheets safely, importing its units.

The files come from outside the system (prepared by a city's staff, often in
third-party tools), so reading them is fenced (SECURITY.md H3): a size cap before
anything is parsed, a row cap, a ZIP bomb check on XLSX before openpyxl opens it,
openpyxl in read-only, values-only mode (formulas are never evaluated: a formula
cell yields the value the spreadsheet program cached, if any), and defusedxml
installed so that openpyxl refuses XML entity tricks. Values are taken as they are:
nothing is escaped or "neutralised" on the way in; output escaping is the
templates' job.

`read_table` is shared by the department and the policy importers.
"""

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from .models import Department, District

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_ENTRIES = 200
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Below this many rows a progress bar is noise.
PROGRESS_MIN_ROWS = 50

CellValue = str | datetime.date | datetime.datetime
# openpyxl and defusedxml raise many exception types for hostile or broken files;
# to the person importing, they all mean this.
UNREADABLE_XLSX = gettext_lazy(
    "The XLSX file cannot be read: it is damaged or not a spreadsheet."
)


class ImportFileError(Exception):
    """The file as a whole cannot be used; nothing in it is imported."""


@dataclass
class Table:
    """A file's rows under canonical column names, each with its row number.

    Row numbers are what the person who prepared the file sees: in CSV and XLSX the
    header is row 1, so the first record is row 2; in JSON the first object is 1.
    """

    columns: list[str]
    rows: list[tuple[int, dict[str, CellValue]]]


def read_table(
    path: Path | str, columns: dict[str, Iterable[str]], required: Iterable[str]
) -> Table:
    """Read a CSV, XLSX or JSON file into a Table.

    `columns` maps each canonical column name to the other headers accepted for it
    (Chinese headers, for instance); an unknown header is an error rather than
    silently ignored, because a misspelt "document_number" would otherwise turn an
    update into a duplicate.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(_("File not found: %(path)s") % {"path": path})
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)d bytes; at most %(max)d).")
            % {"size": size, "max": MAX_FILE_BYTES}
        )
    suffix = path.suffix.lower()
    readers = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json}
    if suffix not in readers:
        raise ImportFileError(
            _("Unsupported file type “%(suffix)s”: use .csv, .xlsx or .json.")
            % {"suffix": suffix}
        )
    headers, raw_rows = readers[suffix](path.read_bytes())
    canonical = _canonical_headers(headers, columns, required)
    rows = []
    for row_number, values in raw_rows:
        record = {
            name: _clean_value(value)
            for name, value in zip(canonical, values, strict=False)
            if name is not None
        }
        if all(value == "" for value in record.values()):
            continue
        rows.append((row_number, record))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)d rows: split it.") % {"max": MAX_ROWS}
            )
    return Table(columns=[name for name in canonical if name is not None], rows=rows)


def _canonical_headers(
    headers: list, columns: dict[str, Iterable[str]], required: Iterable[str]
) -> list[str | None]:
    lookup = {}
    for name, aliases in columns.items():
        for alias in (name, *aliases):
            lookup[alias.strip().lower()] = name
    canonical: list[str | None] = []
    unknown = []
    for header in headers:
        text = str(header if header is not None else "").strip().lstrip("\ufeff")
        if not text:
            canonical.append(None)
            continue
        name = lookup.get(text.lower())
        if name is None:
            unknown.append(text)
        canonical.append(name)
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(unknown)s. Expected: %(expected)s.")
            % {"unknown": ", ".join(unknown), "expected": ", ".join(columns)}
        )
    missing = [name for name in required if name not in canonical]
    if missing:
        raise ImportFileError(
            _("Missing column(s): %(missing)s.") % {"missing": ", ".join(missing)}
        )
    return canonical


def _clean_value(value) -> CellValue:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    # Excel on a Chinese Windows saves "CSV" in GB18030 (GBK), not UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def _read_csv(content: bytes) -> tuple[list, list[tuple[int, list]]]:
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    try:
        records = list(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed: %(error)s") % {"error": error}
        ) from error
    if not records:
        raise ImportFileError(_("The file is empty."))
    return records[0], list(enumerate(records[1:], start=2))


def _check_zip(content: bytes) -> None:
    """Refuse ZIP bombs before openpyxl inflates anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("This is not a valid XLSX file.")) from error
    entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ImportFileError(_("The XLSX file expands to too much data to be read."))


def _read_xlsx(content: bytes) -> tuple[list, list[tuple[int, list]]]:
    import openpyxl

    _check_zip(content)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except Exception as error:
        raise ImportFileError(str(UNREADABLE_XLSX)) from error
    headers: list | None = None
    rows: list[tuple[int, list]] = []
    try:
        # Blank rows (sheets often carry formatting far below the data) are
        # dropped as they stream by, and reading stops past the row cap.
        for number, values in enumerate(workbook.active.iter_rows(values_only=True), 1):
            if headers is None:
                headers = list(values)
            elif any(value not in (None, "") for value in values):
                rows.append((number, list(values)))
                if len(rows) > MAX_ROWS:
                    break
    except Exception as error:
        raise ImportFileError(str(UNREADABLE_XLSX)) from error
    finally:
        workbook.close()
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    return headers, rows


def _read_json(content: bytes) -> tuple[list, list[tuple[int, list]]]:
    try:
        items = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(
            _("The JSON file is malformed: %(error)s") % {"error": error}
        ) from error
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ImportFileError(_("The JSON file must hold a list of objects."))
    headers: list[str] = []
    for item in items:
        headers.extend(key for key in item if key not in headers)
    return headers, [
        (number, [item.get(key) for key in headers])
        for number, item in enumerate(items, start=1)
    ]


def progress_bar(total: int, stream) -> tqdm:
    """A progress bar on `stream`, shown only for files long enough to need one."""
    return tqdm(
        total=total, file=stream, unit=_("rows"), disable=total < PROGRESS_MIN_ROWS
    )


# --- Districts and departments ------------------------------------------------

UNIT_COLUMNS = {
    "name": ("名称", "全称"),
    "kind": ("类型", "类别"),
    "parent": ("上级", "所属县区"),
    "short_name": ("简称",),
    "phone": ("电话", "联系电话"),
    "address": ("地址",),
    "code": ("区划代码", "division_code"),
}
UNIT_REQUIRED_COLUMNS = ("name", "kind")
DISTRICT_KINDS = {"县区", "县(市、区)", "县（市、区）", "区县", "district"}
DEPARTMENT_KINDS = {"部门", "职能部门", "department"}
UNIT_DETAIL_FIELDS = ("short_name", "phone", "address")


class RowError(Exception):
    """One row cannot be imported; the message says why, in words for the importer."""


@dataclass
class RowOutcome:
    row_number: int
    name: str
    status: str  # "created", "updated", "unchanged" or "failed"
    message: str = ""


@dataclass
class UnitImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def committed(self) -> bool:
        return not self.dry_run and not self.failures


def import_units(
    table: Table, dry_run: bool = False, on_row: Callable[[], object] | None = None
) -> UnitImportReport:
    """Create or update the districts and departments listed in `table`, in order.

    All or nothing: one transaction, rolled back for a dry run or when any row
    failed, so a file is fixed and imported again rather than half-applied. Each row
    runs in its own savepoint so that one failure does not stop the others from
    being checked and reported. Creating a unit provisions its module page, groups
    and workflow (signals.py).
    """
    report = UnitImportReport(dry_run=dry_run)
    with transaction.atomic():
        for row_number, row in table.rows:
            name = str(row.get("name", ""))
            try:
                with transaction.atomic():
                    status = _import_unit_row(row, row_number)
            except RowError as error:
                report.outcomes.append(
                    RowOutcome(row_number, name, "failed", str(error))
                )
            except ValidationError as error:
                report.outcomes.append(
                    RowOutcome(row_number, name, "failed", _validation_message(error))
                )
            else:
                report.outcomes.append(RowOutcome(row_number, name, status))
            if on_row is not None:
                on_row()
        if not report.committed:
            transaction.set_rollback(True)
    return report


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _import_unit_row(row: dict[str, CellValue], row_number: int) -> str:
    name = str(row.get("name", ""))
    if not name:
        raise RowError(_("The name is missing."))
    kind = str(row.get("kind", "")).lower()
    parent = str(row.get("parent", ""))
    if kind in DISTRICT_KINDS:
        if parent:
            raise RowError(_("A district has no parent: leave “parent” empty."))
        if Department.objects.filter(name=name).exists():
            raise RowError(
                _("“%(name)s” already exists as a department.") % {"name": name}
            )
        code = str(row.get("code", ""))
        if code and not (code.isdigit() and len(code) == 6):
            raise RowError(
                _("The division code “%(code)s” is not six digits.") % {"code": code}
            )
        return _save_unit(District, name, row, row_number, extra={"code": code})
    if kind in DEPARTMENT_KINDS:
        district = _parent_district(parent) if parent else None
        if District.objects.filter(name=name).exists():
            raise RowError(
                _("“%(name)s” already exists as a district.") % {"name": name}
            )
        existing = Department.objects.filter(name=name).first()
        if existing is not None and existing.district_id != (
            district.pk if district else None
        ):
            raise RowError(
                _(
                    "“%(name)s” already exists under another parent; move it in the admin."
                )
                % {"name": name}
            )
        return _save_unit(
            Department, name, row, row_number, extra={"district": district}
        )
    raise RowError(
        _("Unknown kind “%(kind)s”: use 县区 for a district or 部门 for a department.")
        % {"kind": row.get("kind", "")}
    )


def _parent_district(parent: str) -> District:
    district = District.objects.filter(name=parent).first()
    if district is not None:
        return district
    if Department.objects.filter(name=parent).exists():
        raise RowError(
            _("The parent “%(parent)s” is a department, not a district.")
            % {"parent": parent}
        )
    raise RowError(
        _("Unknown parent district “%(parent)s”: list the district in an earlier row.")
        % {"parent": parent}
    )


def _save_unit(
    model, name: str, row: dict[str, CellValue], row_number: int, extra: dict
) -> str:
    """Create the unit, or fill in what the row gives for an existing one.

    An empty cell leaves an existing value alone: an onboarding file states what is
    known, it does not erase what an administrator has entered since.
    """
    values = {key: str(row.get(key, "")) for key in UNIT_DETAIL_FIELDS}
    values.update(
        {key: value for key, value in extra.items() if key != "code" or value}
    )
    unit = model.objects.filter(name=name).first()
    if unit is None:
        unit = model(name=name, sort_order=row_number, **values)
        unit.full_clean()
        unit.save()
        return "created"
    changed = [
        key
        for key, value in values.items()
        if value not in ("", None) and getattr(unit, key) != value
    ]
    if not changed:
        return "unchanged"
    for key in changed:
        setattr(unit, key, values[key])
    unit.full_clean()
    unit.save(update_fields=changed)
    return "updated"
