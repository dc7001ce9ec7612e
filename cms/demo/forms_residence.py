"""Demo application form for foreign talents' residence permits (外籍人才居留许可协办)."""

from .forms_kit import (
    NATIONALITIES,
    choice,
    consent,
    date,
    explanation,
    field,
    group,
    personal_id,
    short_text,
    step,
    upload,
    when,
    yes_no,
)

FOREIGN_NATIONALITIES = [name for name in NATIONALITIES if not name.startswith("中国")]

RESIDENCE_PERMIT = {
    "guide": "waiji-rencai-juliu-xuke",
    "slug": "zaixian-shenqing",
    "title": "外籍人才居留许可协办",
    "applicant_kinds": "both",
    "intro": (
        "<p>在泉工作的外籍高层次人才，可由本人或用人单位经办人在线提交居留许可"
        "协办申请。服务专窗预审材料后，预约出入境窗口办理时间，"
        "并协助办理随行配偶、子女的团聚类居留许可。</p>"
        "<p>Foreign talents working in Quanzhou, or their employer's contact, may apply "
        "here; fill in names exactly as they appear in the passport.</p>"
    ),
    "confirmation_text": (
        "我们将在 1 个工作日内完成预审，并通过短信告知出入境窗口的预约时间和需携带的"
        "原件；出入境管理部门自受理之日起 10 个工作日内作出决定。"
        "审批期间护照由出入境管理部门留存，请合理安排出行。"
    ),
    "definition": [
        step("申请人信息", "Applicant"),
        short_text(
            "full_name",
            "姓名（护照英文姓名）",
            "与护照个人资料页一致，如 WEBER LUKAS。",
            max_length=80,
            prefill="real_name",
            pattern=r"[A-Za-z][A-Za-z .'\-]*",
            pattern_message="请按护照填写英文姓名，只用字母、空格、点、撇号和连字符。",
        ),
        short_text(
            "chinese_name",
            "中文姓名",
            "有中文姓名的填写，没有的可不填。",
            max_length=30,
            required=False,
        ),
        personal_id(
            "id_document",
            "证件",
            ["passport", "foreign_permanent"],
            "持外国人永久居留身份证的也可选择该证件。",
            prefill="id_number",
        ),
        choice("single_choice", "gender", "性别", ["男", "女"]),
        date("birth_date", "出生日期", not_in_future=True, min_date="1930-01-01"),
        choice("dropdown", "nationality", "国籍", FOREIGN_NATIONALITIES),
        date(
            "passport_expiry",
            "护照有效期至",
            "护照剩余有效期应在 6 个月以上，否则请先换发护照。",
            min_date="2025-01-01",
        ),
        field("mobile", "mobile", "在华手机号码", prefill="mobile"),
        field("email", "email", "电子邮箱", prefill="email"),
        step("工作和居留", "Work and residence"),
        short_text(
            "work_permit_number",
            "外国人工作许可证号",
            "见工作许可证正面“许可证号”一栏。",
            max_length=18,
            pattern=r"\d{18}",
            pattern_message="工作许可证号为 18 位数字，请对照证件正面填写。",
        ),
        date("work_permit_expiry", "工作许可有效期至", min_date="2025-01-01"),
        short_text(
            "employer_name",
            "用人单位名称",
            max_length=100,
            prefill="employer_name",
        ),
        field(
            "uscc",
            "employer_uscc",
            "用人单位统一社会信用代码",
            prefill="employer_uscc",
        ),
        short_text("position", "职务", max_length=60),
        choice(
            "dropdown",
            "residence_years",
            "申请居留期限",
            ["2年", "3年", "4年", "5年"],
            "不超过工作许可的有效期；外籍高层次人才可申请 5 年。",
        ),
        short_text(
            "residence_address",
            "在泉住址",
            "写到门牌号。",
            max_length=150,
        ),
        yes_no("accommodation_registered", "是否已办理境外人员住宿登记"),
        explanation(
            "请先到住所所在地派出所或通过“闽政通”办理境外人员住宿登记，"
            "再上传住宿登记表。",
            condition=when("accommodation_registered", "no"),
        ),
        group(
            "family_members",
            "随行家属",
            [
                short_text("member_name", "姓名（护照英文姓名）", max_length=80),
                choice("dropdown", "relation", "关系", ["配偶", "子女"]),
                short_text("member_passport", "护照号码", max_length=17),
                date("member_birth_date", "出生日期", not_in_future=True),
            ],
            "需同时办理团聚类居留许可的配偶、子女；没有的不填。",
            min_rows=0,
            max_rows=6,
            required=False,
        ),
        step("材料上传", "Documents"),
        upload(
            "passport_photo_page",
            "护照个人资料页",
            "彩色扫描件或清晰照片。",
            max_size_mb=5,
        ),
        upload(
            "work_permit_scan",
            "外国人工作许可证",
            "正反面，最多 2 个文件。",
            max_size_mb=5,
            max_count=2,
        ),
        upload(
            "photo",
            "近期证件照",
            "白底、免冠、正面，JPG 或 PNG。",
            types=["jpg", "png"],
            max_size_mb=2,
            material_form="电子照片",
        ),
        upload(
            "accommodation_form",
            "境外人员住宿登记表",
            condition=when("accommodation_registered", "yes"),
        ),
        consent(),
    ],
}

FORMS = [RESIDENCE_PERMIT]
