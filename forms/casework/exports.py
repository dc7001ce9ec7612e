"""Exports of a form's applications to XLSX and CSV (docs/security.md H1, H2).

Columns come from django-import-export resources: receipt, status, submission time,
form version, then one column per field over every version of the form (keys in
the order they first appear, labelled as in the latest version that has them).
Each application is rendered against its own version, with ID numbers and mobile
numbers masked unless the export reveals them.

The files are written here rather than by tablib/openpyxl: both write a text cell
such as ``=HYPERLINK(...)`` as a live formula, and openpyxl stages every sheet in a
temporary file on disk. The XLSX writer below streams a minimal workbook whose
every cell is an inline string (no ``<f>`` element can appear); the CSV writer
prefixes ``'`` to cells that a spreadsheet would read as a formula.
"""

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from forms.builder.field_types import registered, type_of
from forms.models import Application, ApplicationFormPage

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# ASVS 5.0 1.2.10 / OWASP CSV injection: what makes a spreadsheet start a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


# --- the resource ---


def answer_columns(versions) -> list[tuple[str, str]]:
    """(key, label) of every field over the versions, oldest version first."""
    labels: dict[str, str] = {}
    for version in versions:
        for item in version.definition:
            if registered(item.get("type")) and item.get("key"):
                # Insertion order keeps the first position; the label is updated
                # so the newest wording wins.
                labels[item["key"]] = item.get("label") or item["key"]
    return list(labels.items())


class ApplicationResource(resources.Resource):
    """Submitted applications of one form, one row each."""

    receipt_number = fields.Field(
        attribute="receipt_number", column_name=gettext_lazy("Receipt number")
    )
    status = fields.Field(
        column_name=gettext_lazy("Status"),
        dehydrate_method=lambda application: application.get_status_display(),
    )
    submitted_at = fields.Field(
        column_name=gettext_lazy("Submitted"),
        dehydrate_method=lambda application: (
            timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")
            if application.submitted_at
            else ""
        ),
    )
    version = fields.Field(
        column_name=gettext_lazy("Form version"),
        dehydrate_method=lambda application: str(application.version.number),
    )

    def __init__(self, form: ApplicationFormPage, *, reveal: bool = False):
        super().__init__()
        self.form = form
        self.reveal = reveal
        versions = list(form.versions.order_by("number"))
        self.items_by_version = {
            version.pk: {
                item["key"]: item
                for item in version.definition
                if registered(item.get("type")) and item.get("key")
            }
            for version in versions
        }
        for key, label in answer_columns(versions):
            self.fields[f"answer__{key}"] = fields.Field(
                column_name=label,
                dehydrate_method=lambda application, key=key: self.answer(
                    application, key
                ),
            )

    def get_queryset(self) -> QuerySet:
        return self.form.applications.all()

    def answer(self, application: Application, key: str) -> str:
        item = self.items_by_version.get(application.version_id, {}).get(key)
        if item is None:
            return ""  # the field is not in this application's version
        files = [
            stored for stored in application.files.all() if stored.field_key == key
        ]
        value = application.answers.get(key)
        return type_of(item).export_text(item, value, files, reveal=self.reveal)

    def rows(self, queryset: QuerySet) -> Iterator[list[str]]:
        for application in self.iter_queryset(queryset):
            yield [
                "" if value is None else str(value)
                for value in self.export_resource(application)
            ]


# --- writers ---


def neutralise(value: str) -> str:
    """A CSV cell that no spreadsheet program will evaluate as a formula."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


class _Echo:
    def write(self, value):
        return value


def csv_chunks(headers: list[str], rows: Iterable[list[str]]) -> Iterator[bytes]:
    """RFC 4180 CSV in UTF-8 with a BOM (so Excel reads the Chinese right)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff".encode() + writer.writerow([neutralise(h) for h in headers]).encode()
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row]).encode()


# Characters XML 1.0 cannot carry at all; \t \n \r are kept (\r as a reference).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PACKAGE = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_NS_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_NS_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_NS_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(value: str, row: int, column: int) -> str:
    text = escape(_XML_ILLEGAL.sub("", value)).replace("\r", "&#13;")
    return (
        f'<c r="{_column_letter(column)}{row}" t="inlineStr">'
        f'<is><t xml:space="preserve">{text}</t></is></c>'
    )


def _row(values: list[str], number: int) -> str:
    cells = "".join(_cell(value, number, i) for i, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


class _Sink:
    """A write-only, unseekable file: ZipFile then streams with data descriptors."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def xlsx_chunks(
    headers: list[str], rows: Iterable[list[str]], sheet_name: str = "Sheet1"
) -> Iterator[bytes]:
    """A one-sheet workbook, every cell an inline string, streamed as it is zipped."""
    sheet_name = re.sub(r"[\[\]:*?/\\]", " ", sheet_name)[:31] or "Sheet1"
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _PACKAGE.items():
            archive.writestr(name, _XML_HEAD + xml)
        archive.writestr(
            "xl/workbook.xml",
            f'{_XML_HEAD}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><sheets>'
            f'<sheet name="{escape(sheet_name, {chr(34): "&quot;"})}" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        yield sink.drain()
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'{_XML_HEAD}<worksheet xmlns="{_NS_MAIN}"><sheetData>'.encode()
            )
            sheet.write(_row(headers, 1).encode())
            for number, values in enumerate(rows, start=2):
                sheet.write(_row(values, number).encode())
                if number % 200 == 0:
                    yield sink.drain()
            sheet.write(b"</sheetData></worksheet>")
    yield sink.drain()


def _in_language(language: str, rows: Iterator[list[str]]) -> Iterator[list[str]]:
    # A streamed body is produced after the view returned: keep the request's
    # language for the status names and yes/no answers.
    with translation.override(language):
        yield from rows


def export_chunks(
    form: ApplicationFormPage, queryset: QuerySet, file_format: str, *, reveal: bool
) -> Iterator[bytes]:
    """The export file of ``queryset`` (applications of ``form``), in chunks."""
    resource = ApplicationResource(form, reveal=reveal)
    headers = resource.get_export_headers()
    rows = _in_language(
        translation.get_language(),
        resource.rows(
            queryset.select_related("version").prefetch_related("files").order_by("pk")
        ),
    )
    if file_format == "csv":
        return csv_chunks(headers, rows)
    return xlsx_chunks(headers, rows, sheet_name=_("Applications"))
