"""Blank application forms (空白模板) for a few demo materials, so that a guide's
"sample or template" column has something to download.

Each form is built here as a small XLSX workbook and stored once as a Wagtail
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


APPLICANT = (
    "姓名",
    "性别",
    "出生日期",
    "国籍（地区）",
    "证件类型",
    "证件号码",
    "手机号码",
    "电子邮箱",
)
EMPLOYER = (
    "用人单位名称",
    "统一社会信用代码",
    "单位所在县（市、区）",
    "单位经办人及电话",
)

RECOGNITION_FORM = FormTemplate(
    title="泉州市高层次人才认定申请表",
    filename="gaocengci-rencai-rending-shenqingbiao.xlsx",
    sections=(
        ("申请人基本信息", APPLICANT),
        (
            "工作单位",
            (
                *EMPLOYER,
                "现任职务或岗位",
                "专业技术职称或职业技能等级",
                "入职本单位时间",
                "劳动（聘用）合同期限",
            ),
        ),
        (
            "学习经历（从最高学历填起）",
            ("毕业院校", "学历学位", "所学专业", "毕业时间"),
        ),
        ("认定条件", ("申请认定层次", "认定条件类别")),
    ),
    long_fields=(
        "符合的具体认定条件（写明认定标准目录中的条款序号和内容）",
        "近五年主要业绩和荣誉（奖项、项目、专利等，每项一行）",
    ),
)

HOUSE_PURCHASE_FORM = FormTemplate(
    title="高层次人才购房补贴申请表",
    filename="goufang-butie-shenqingbiao.xlsx",
    sections=(
        ("申请人基本信息", (*APPLICANT, "人才层次", "认定证书编号")),
        ("配偶信息", ("配偶姓名", "配偶证件号码")),
        ("工作单位", EMPLOYER),
        (
            "所购住房",
            (
                "房屋坐落",
                "建筑面积（平方米）",
                "网签备案合同编号",
                "购房总价（元）",
                "购房发票号码",
                "不动产权证号（已办理的）",
            ),
        ),
        ("补贴发放账户", ("开户银行（全称）", "银行账号")),
    ),
    long_fields=("本人及配偶在泉其他住房情况说明（无则填“无”）",),
)

JINJIANG_HOUSING_FORM = FormTemplate(
    title="晋江市人才安居补助申请表",
    filename="jinjiang-anju-buzhu-shenqingbiao.xlsx",
    sections=(
        ("申请人基本信息", (*APPLICANT, "人才层次", "认定证书编号")),
        ("工作单位", EMPLOYER),
        (
            "安居情况",
            (
                "申请类别（购房／租房）",
                "房屋坐落",
                "合同编号",
                "合同金额（元）",
            ),
        ),
        ("补助发放账户", ("开户银行（全称）", "银行账号")),
    ),
)

# The blank forms by the name data/guides.json gives them ({"template": name}).
TEMPLATES = {
    "RECOGNITION_FORM": RECOGNITION_FORM,
    "HOUSE_PURCHASE_FORM": HOUSE_PURCHASE_FORM,
    "JINJIANG_HOUSING_FORM": JINJIANG_HOUSING_FORM,
}
