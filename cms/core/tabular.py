"""Reading tabular files from outside the system safely: CSV, XLSX and JSON.

The files are prepared by a city's staff, often in third-party tools, so reading
them is fenced (docs/security.md H3): a size cap before anything is parsed, a row cap, a
ZIP bomb check on XLSX before openpyxl opens it, openpyxl in read-only, values-only
mode (formulas are never evaluated: a formula cell yields the value the spreadsheet
program cached, if any), and defusedxml installed so that openpyxl refuses XML
entity tricks. Values are taken as they are: nothing is escaped or "neutralised" on
the way in; output escaping is the templates' job.

Every importer (departments, policies, and later rosters) reads through `read_table`.
"""

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_ENTRIES = 200
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# A sheet is read cell by cell as stored, never padded to its stated extent (one
# cell at XFD1048576 would otherwise mean 17 billion empty cells). These bound the
# work: cells stored in the sheet, empty or not, and the last column with data.
MAX_XLSX_CELLS = 500_000
MAX_COLUMNS = 200
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
            name: _clean_value(value, row_number, name)
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
        text = text.replace("\x00", "")
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


def _clean_value(value, row_number: int, column: str) -> CellValue:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, list | dict):
        # Only JSON has these; a cell holds one value.
        raise ImportFileError(
            _("Row %(row)d, column %(column)s: a value must be text or a number.")
            % {"row": row_number, "column": column}
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if "\x00" in text:
        # PostgreSQL cannot store it, and no one types it.
        raise ImportFileError(
            _("Row %(row)d, column %(column)s contains a NUL character.")
            % {"row": row_number, "column": column}
        )
    return text


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
    # openpyxl is large and only an XLSX file needs it, not every CSV import.
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
        for number, values in _stored_rows(workbook):
            if headers is None:
                headers = values
            elif any(value not in (None, "") for value in values):
                rows.append((number, values))
                if len(rows) > MAX_ROWS:
                    break
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(str(UNREADABLE_XLSX)) from error
    finally:
        workbook.close()
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    width = len(headers)
    return headers, [
        (number, (values + [None] * width)[:width]) for number, values in rows
    ]


def _stored_rows(workbook) -> Iterator[tuple[int, list]]:
    """The active sheet's rows as stored: (row number, values up to the last
    stored cell with a value), rows without any stored cell skipped.

    openpyxl's iter_rows pads every row to the sheet's widest column and yields
    every missing row up to the last one, which a single far-away cell turns into
    minutes of work; its parser yields only what the file holds.
    """
    # Loaded with openpyxl itself, only for an XLSX file (see _read_xlsx).
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    sheet = workbook.active
    visited = 0
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            visited += len(cells)
            if visited > MAX_XLSX_CELLS:
                raise ImportFileError(
                    _("The sheet stores more than %(max)d cells: split it.")
                    % {"max": MAX_XLSX_CELLS}
                )
            values: list = []
            for cell in cells:
                if cell["value"] in (None, ""):
                    continue
                column = cell["column"]
                if column > MAX_COLUMNS:
                    raise ImportFileError(
                        _(
                            "Cell %(cell)s is beyond column %(max)d: remove it or "
                            "move the data to the first columns."
                        )
                        % {
                            "cell": f"{get_column_letter(column)}{number}",
                            "max": MAX_COLUMNS,
                        }
                    )
                values.extend([None] * (column - 1 - len(values)))
                values.append(cell["value"])
            yield number, values


def _read_json(content: bytes) -> tuple[list, list[tuple[int, list]]]:
    try:
        items = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(
            _("The JSON file is malformed: %(error)s") % {"error": error}
        ) from error
    except RecursionError as error:
        raise ImportFileError(
            _("The JSON file is nested too deeply: it must hold a list of objects.")
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
