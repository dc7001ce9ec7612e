"""Blank application forms (空白模板) for a few demo materials, so that a guide's
"sample or template" column has something to download.

Each form's fields are given in data/guides.json (the "sample" of a material);
it is built here as a small XLSX workbook and stored once as a Wagtail
document in the collection of the department that handles the guide, where
that department's editors can replace it. No binary file is kept in the
repository.
"""

from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from .progress import Progress

ISSUER = "泉州市高层次人才服务中心"
PLEDGE = "本人承诺以上填写的信息和提交的材料真实、有效，如有虚假，愿承担相应责任。"
WINDOW_ONLY = ("受理编号", "受理日期", "受理人", "受理意见")

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(vertical="center", wrap_text=True)
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADING_FILL = PatternFill("solid", fgColor="D9E2F3")


@dataclass(frozen=True)
class FormTemplate:
    """A blank form to print and fill in by hand at the window."""

    title: str
    # ASCII, so that the document's download address needs no escaping.
    filename: str
    # (heading, short fields): two fields share a row.
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    # Fields that need a few lines, each over the whole width.
    long_fields: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ("申请人签名", "用人单位意见（盖章）")

    @property
    def document_title(self) -> str:
        """The document's title, and its key within the collection."""
        return f"{self.title}（空白模板）"

    def build(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "申请表"
        workbook.properties.title = self.title
        workbook.properties.creator = ISSUER
        _layout(sheet, self)
        output = BytesIO()
        workbook.save(output)
        return output.getvalue()


def _whole_row(sheet: Worksheet, row: int, text: str, **style) -> None:
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    cell = sheet.cell(row=row, column=1, value=text)
    for column in range(1, 5):
        sheet.cell(row=row, column=column).border = _BOX
    cell.alignment = style.pop("alignment", _WRAP)
    for name, value in style.items():
        setattr(cell, name, value)


def _label(sheet: Worksheet, row: int, column: int, text: str) -> None:
    cell = sheet.cell(row=row, column=column, value=text)
    cell.fill, cell.border, cell.alignment = _LABEL_FILL, _BOX, _WRAP
    sheet.cell(row=row, column=column + 1).border = _BOX


def _layout(sheet: Worksheet, form: FormTemplate) -> None:
    for column, width in zip("ABCD", (20, 26, 20, 26), strict=True):
        sheet.column_dimensions[column].width = width
    _whole_row(
        sheet,
        1,
        form.title,
        font=Font(size=16, bold=True),
        alignment=Alignment(horizontal="center", vertical="center"),
    )
    sheet.row_dimensions[1].height = 32
    _whole_row(
        sheet,
        2,
        "填表日期：　　　年　　月　　日",
        alignment=Alignment(horizontal="right"),
    )
    row = 3
    for heading, fields in form.sections:
        _whole_row(sheet, row, heading, font=Font(bold=True), fill=_HEADING_FILL)
        row += 1
        for index in range(0, len(fields), 2):
            for offset, text in enumerate(fields[index : index + 2]):
                _label(sheet, row, 1 + 2 * offset, text)
            sheet.row_dimensions[row].height = 22
            row += 1
    for text in form.long_fields:
        _whole_row(sheet, row, text, font=Font(bold=True), fill=_LABEL_FILL)
        _whole_row(sheet, row + 1, "")
        sheet.row_dimensions[row + 1].height = 90
        row += 2
    _whole_row(sheet, row, PLEDGE)
    sheet.row_dimensions[row].height = 30
    row += 1
    for text in form.signatures:
        _label(sheet, row, 1, text)
        _label(sheet, row, 3, "日期")
        sheet.row_dimensions[row].height = 40
        row += 1
    _whole_row(
        sheet, row, "以下由受理窗口填写", font=Font(bold=True), fill=_HEADING_FILL
    )
    row += 1
    for index in range(0, len(WINDOW_ONLY), 2):
        for offset, text in enumerate(WINDOW_ONLY[index : index + 2]):
            _label(sheet, row, 1 + 2 * offset, text)
        row += 1
    sheet.print_area = f"A1:D{row - 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_sample(
    progress: Progress, form: FormTemplate, collection: Collection
) -> AbstractDocument:
    """The form's document in `collection`, found by its title or made now."""
    document_model = get_document_model()
    document = document_model.objects.filter(
        collection=collection, title=form.document_title
    ).first()
    progress.record("sample documents", document is None)
    if document is None:
        content = form.build()
        document = document_model(
            title=form.document_title,
            collection=collection,
            file=ContentFile(content, name=form.filename),
        )
        document.file_size = len(content)
        document.file_hash = hash_filelike(BytesIO(content))
        # The same rules as an editor's upload (WAGTAILDOCS_EXTENSIONS), checked
        # before save() writes the file.
        document.full_clean()
        document.save()
    return document


def template_from_data(value: dict) -> FormTemplate:
    """A blank form as data/guides.json describes it in a material's "sample"."""
    return FormTemplate(
        title=value["title"],
        filename=value["filename"],
        sections=tuple(
            (heading, tuple(fields)) for heading, fields in value["sections"]
        ),
        long_fields=tuple(value.get("long_fields", ())),
        signatures=tuple(value.get("signatures", FormTemplate.signatures)),
    )
