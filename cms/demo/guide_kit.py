"""Building blocks for the demo service guides: the materials and steps most
guides share, so that each guide's data says only what is particular to it."""

from .samples import FormTemplate

COMPLAINT_PHONE = "0595-12345"


def material(
    name: str,
    form: str = "copy",
    copies: int = 1,
    required: bool = True,
    notes: str = "",
    sample: FormTemplate | None = None,
) -> tuple[str, dict]:
    """One row of the materials list, as the guide's StreamField stores it; a
    `sample` is turned into a document when the guide is written."""
    value = {
        "name": name,
        "form": form,
        "copies": copies,
        "required": required,
        "notes": notes,
    }
    if sample is not None:
        value["sample"] = sample
    return ("material", value)


def application_form(form: str | FormTemplate) -> tuple[str, dict]:
    """The signed application form; given a FormTemplate, the guide also offers
    it blank for download."""
    template = form if isinstance(form, FormTemplate) else None
    how = "在线填写后打印（也可下载空白模板填写）" if template else "在线填写后打印"
    return material(
        f"《{template.title if template else form}》",
        form="original",
        notes=f"{how}，申请人签名，用人单位签署意见并加盖公章",
        sample=template,
    )


ID_DOCUMENT = material(
    "申请人有效身份证件（外籍人员提供护照）",
    form="original_and_copy",
    notes="原件核验后退回，复印件正反面印在同一页",
)
TALENT_CERTIFICATE = material(
    "泉州市高层次人才认定证书或认定公示文件",
    notes="已在系统中核验的可免于提交",
)
EMPLOYMENT_CONTRACT = material(
    "与用人单位签订的劳动合同或聘用合同",
    notes="合同期限应在3年以上（含试用期）",
)
SOCIAL_INSURANCE = material(
    "申请人在泉缴纳社会保险的证明",
    form="electronic",
    notes="可在“闽政通”下载电子证明，系统能查询的免于提交",
)
EMPLOYER_LICENCE = material(
    "用人单位营业执照或事业单位法人证书",
    notes="加盖单位公章；已在系统中登记统一社会信用代码的免于提交",
)
BANK_ACCOUNT = material(
    "申请人本人名下泉州地区银行借记卡",
    notes="注明开户行全称",
)
HOUSEHOLD_REGISTER = material(
    "户口簿或户籍证明",
    form="original_and_copy",
    notes="含户主页和本人页",
)
MARRIAGE_CERTIFICATE = material(
    "结婚证",
    form="original_and_copy",
    required=False,
    notes="为配偶、子女申请时提供",
)


def standard_process(
    handler: str,
    decision_days: int,
    district_pre_review: bool = False,
) -> list[tuple[str, dict]]:
    """The hall's path for most items: apply online, the window accepts with one
    list of everything missing, (district pre-review,) back office, department,
    result."""
    steps = [
        (
            "网上申报",
            "申请人或用人单位登录“一站式”服务大厅，在线填写申请表并上传材料。",
            "申请人",
            None,
        ),
        (
            "窗口受理",
            "服务专窗审查材料是否齐全、是否符合法定形式；"
            "需补正的一次性告知全部需补正内容。",
            "高层次人才服务专窗",
            1,
        ),
    ]
    if district_pre_review:
        steps.append(
            (
                "县区初审",
                "申请人所在县（市、区）人才服务窗口核实情况，提出初审意见并上报。",
                "县（市、区）人才服务窗口",
                3,
            )
        )
    steps += [
        (
            "后台审核",
            "市高层次人才服务中心专员审核材料，统一对接职能部门并跟踪办理进度。",
            "市高层次人才服务中心",
            2,
        ),
        ("部门办理", "职能部门审核并作出办理决定。", handler, decision_days),
        (
            "结果反馈",
            "通过短信和“我的申请”告知办理结果，需要公示的在大厅网站公示。",
            "高层次人才服务专窗",
            1,
        ),
    ]
    return [
        (
            "step",
            {
                "title": title,
                "description": description,
                "handler": step_handler,
                "time_limit_days": days,
            },
        )
        for title, description, step_handler, days in steps
    ]


def basis(title: str, article: str = "") -> tuple[str, dict]:
    return ("basis", {"title": title, "article": article})


def question(asked: str, answer: str) -> tuple[str, dict]:
    return ("question", {"question": asked, "answer": answer})


COMMON_QUESTIONS = [
    question(
        "可以委托他人或用人单位代为办理吗？",
        "可以。用人单位经办人可通过单位账号在线代为申报；"
        "到窗口办理的，需提供申请人签名的授权委托书和经办人身份证件。",
    ),
    question(
        "材料不齐怎么办？",
        "窗口将通过短信和“我的申请”一次性告知需补正的全部材料，"
        "补正后原申请继续办理，无需重新申报。",
    ),
]


def guide_defaults(place: str, window: str, hours: str, phone: str) -> dict:
    """The fields every demo guide takes from its department's module, as they
    are: a fallback here would hide a module read before it was filled in."""
    return {
        "place": place,
        "window": window,
        "office_hours": hours,
        "contact_phone": phone,
        "complaint_phone": COMPLAINT_PHONE,
        "fees": "不收费",
    }
