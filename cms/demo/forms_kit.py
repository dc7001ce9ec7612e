"""Building blocks for the demo application forms: one helper per block type,
returning definition items in the JSON format of forms/builder/definition.py, and the
texts most forms share (the PIPL notice, the upload rules)."""

from cms.home.bootstrap import TALENT_TIERS

# The tiers exactly as the taxonomy names them, so answers match TalentTier.name.
TIER_NAMES = [name for _code, name in TALENT_TIERS]

ALL_ID_KINDS = ["resident", "passport", "hk_macau", "taiwan", "foreign_permanent"]
SCANS = ["pdf", "jpg", "png"]

DEGREES = ["博士研究生", "硕士研究生", "大学本科", "大学专科", "其他"]
EDUCATION_LEVELS = ["博士研究生", "硕士研究生", "大学本科", "大学专科", "高中及以下"]
NATIONALITIES = [
    "中国",
    "中国香港",
    "中国澳门",
    "中国台湾",
    "美国",
    "英国",
    "德国",
    "法国",
    "日本",
    "韩国",
    "新加坡",
    "澳大利亚",
    "加拿大",
    "俄罗斯",
    "其他国家或地区",
]

PIPL_NOTICE = (
    "根据《中华人民共和国个人信息保护法》第十七条，现告知如下：\n"
    "1. 处理者：泉州市高层次人才服务中心（“人才港湾”一站式服务大厅），"
    "联系电话 0595-12345。\n"
    "2. 处理目的：仅用于审核本项申请、兑现相关待遇和依法开展统计、监督检查。\n"
    "3. 处理的个人信息：本表所填的身份、联系方式、学历、工作和家庭信息及上传的材料；"
    "其中身份证件号码等敏感个人信息加密存储，页面和导出默认隐藏部分号码。\n"
    "4. 提供范围：仅向承办本事项的职能部门和县（市、区）人才服务窗口提供，"
    "不用于其他目的，不向第三方出售。\n"
    "5. 保存期限：草稿保存30天，提交后的申请按档案管理规定保存，期满后删除或匿名化。\n"
    "6. 您的权利：可在“我的申请”查阅本人信息，可联系服务专窗更正或撤回尚未受理的申请。"
)
PROMISE = "我已阅读并同意上述个人信息处理说明，承诺所填信息和所传材料真实、有效"


def when(field: str, value: str = "", operator: str = "equals") -> dict:
    """A condition on an earlier answer (yes/no answers are "yes" and "no")."""
    return {"field": field, "operator": operator, "value": value}


def step(title: str, description: str = "") -> dict:
    return {"type": "step", "title": title, "description": description}


def section(heading: str, text: str = "", condition: dict | None = None) -> dict:
    return {"type": "section", "heading": heading, "text": text, "condition": condition}


def explanation(text: str, condition: dict | None = None) -> dict:
    return {"type": "explanation", "text": text, "condition": condition}


def field(
    kind: str,
    key: str,
    label: str,
    help_text: str = "",
    *,
    required: bool = True,
    condition: dict | None = None,
    **extra,
) -> dict:
    return {
        "type": kind,
        "key": key,
        "label": label,
        "help_text": help_text,
        "required": required,
        "condition": condition,
        **extra,
    }


def short_text(key: str, label: str, help_text: str = "", **kwargs) -> dict:
    kwargs.setdefault("max_length", 100)
    return field("short_text", key, label, help_text, **kwargs)


def long_text(key: str, label: str, help_text: str = "", **kwargs) -> dict:
    kwargs.setdefault("max_length", 1000)
    return field("long_text", key, label, help_text, **kwargs)


def number(key: str, label: str, help_text: str = "", **kwargs) -> dict:
    kwargs.setdefault("decimal_places", 0)
    return field("number", key, label, help_text, **kwargs)


def date(key: str, label: str, help_text: str = "", **kwargs) -> dict:
    return field("date", key, label, help_text, **kwargs)


def choice(kind: str, key: str, label: str, choices: list[str], help_text="", **kw):
    return field(kind, key, label, help_text, choices=list(choices), **kw)


def yes_no(key: str, label: str, help_text: str = "", **kwargs) -> dict:
    return field("yes_no", key, label, help_text, **kwargs)


def personal_id(key: str, label: str, kinds: list[str], help_text="", **kwargs):
    return field("personal_id", key, label, help_text, id_kinds=list(kinds), **kwargs)


def region(key: str, label: str, help_text: str = "", depth="district", **kwargs):
    return field("region", key, label, help_text, depth=depth, **kwargs)


def upload(
    key: str,
    label: str,
    help_text: str = "",
    *,
    types: list[str] | None = None,
    max_size_mb: int = 10,
    max_count: int = 1,
    material_form: str = "原件扫描件",
    **kwargs,
) -> dict:
    return field(
        "file",
        key,
        label,
        help_text,
        file_types=list(types or SCANS),
        max_size_mb=max_size_mb,
        max_count=max_count,
        material_form=material_form,
        **kwargs,
    )


def group(
    key: str,
    label: str,
    fields: list[dict],
    help_text: str = "",
    *,
    min_rows: int = 1,
    max_rows: int = 5,
    **kwargs,
) -> dict:
    # Fields inside a group cannot have conditions.
    rows = [{k: v for k, v in item.items() if k != "condition"} for item in fields]
    for row in rows:
        row["condition"] = None
    return field(
        "group",
        key,
        label,
        help_text,
        fields=rows,
        min_rows=min_rows,
        max_rows=max_rows,
        **kwargs,
    )


def consent(notice: str = PIPL_NOTICE, label: str = PROMISE) -> dict:
    return {"type": "consent", "key": "consent", "label": label, "notice": notice}


def applicant_block(
    *,
    kinds: list[str] = ALL_ID_KINDS,
    for_employer: bool = False,
) -> list[dict]:
    """The applicant's identity and contact details, prefilled from the profile."""
    who = "人才本人" if for_employer else "申请人"
    return [
        short_text(
            "full_name",
            "姓名",
            f"与{who}身份证件上的姓名一致；外籍人才填写护照上的英文姓名。",
            max_length=50,
            prefill="real_name",
        ),
        personal_id(
            "id_document",
            "身份证件",
            kinds,
            "内地居民选择居民身份证；港澳台和外籍人才选择相应证件。",
            prefill="id_number",
        ),
        choice("single_choice", "gender", "性别", ["男", "女"]),
        date(
            "birth_date",
            "出生日期",
            "居民身份证持有人应与证件号码中的出生日期一致。",
            not_in_future=True,
            min_date="1930-01-01",
        ),
        choice("dropdown", "nationality", "国籍（地区）", NATIONALITIES),
        field(
            "mobile",
            "mobile",
            "手机号码",
            "用于接收受理、补正和办理结果短信。",
            prefill="mobile",
        ),
        field(
            "email",
            "email",
            "电子邮箱",
            "选填，用于接收电子证书和通知。",
            required=False,
            prefill="email",
        ),
    ]
