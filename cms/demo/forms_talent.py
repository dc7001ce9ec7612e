"""Demo application form for talent recognition (高层次人才认定申请)."""

from .forms_kit import (
    DEGREES,
    SCANS,
    TIER_NAMES,
    applicant_block,
    choice,
    consent,
    date,
    explanation,
    field,
    group,
    long_text,
    region,
    short_text,
    step,
    upload,
)

QUALIFICATION_CATEGORIES = [
    "国内外顶尖人才及重大奖项获得者",
    "国家级人才计划入选者",
    "省级人才计划入选者",
    "正高级专业技术职称人才",
    "博士研究生及青年拔尖人才",
    "高技能人才（技能大师、首席技师等）",
    "企业高级经营管理人才",
]

RECOGNITION = {
    "guide": "gaocengci-rencai-rending",
    "slug": "zaixian-shenqing",
    "title": "高层次人才认定申请",
    "applicant_kinds": "both",
    "intro": (
        "<p>在泉州市行政区域内全职工作的各类人才，可由本人或用人单位经办人在线申报"
        "高层次人才认定。申报前请对照《泉州市高层次人才认定和评价办法》确认所申请的"
        "层次，并准备好下列材料的扫描件。</p>"
        "<p>用人单位经办人代为申报的，请在开始时选择本单位已注册的人才；"
        "人才尚未注册的，可直接填写其信息。</p>"
    ),
    "confirmation_text": (
        "我们将在 1 个工作日内完成受理，材料不齐的将一次性告知需补正的全部内容。"
        "受理后由所在县（市、区）人才服务窗口初审（3 个工作日），"
        "再经市级审核、职能部门办理和公示，整个流程承诺在 15 个工作日内办结。"
        "办理进度和结果会通过短信和“我的申请”通知您。"
    ),
    "definition": [
        step("基本信息", "人才本人的身份和联系方式。"),
        explanation(
            "用人单位经办人代为申报的，请填写人才本人的信息，而不是经办人的信息。"
        ),
        *applicant_block(for_employer=True),
        step("工作单位", "人才目前全职工作的用人单位。"),
        short_text(
            "employer_name",
            "用人单位名称",
            "与营业执照或事业单位法人证书上的名称一致。",
            max_length=100,
            prefill="employer_name",
        ),
        field(
            "uscc",
            "employer_uscc",
            "统一社会信用代码",
            "18 位，见营业执照或法人证书。",
            prefill="employer_uscc",
        ),
        region(
            "employer_region",
            "用人单位所在地",
            "用人单位注册地所在的县（市、区），由该地人才服务窗口初审。",
        ),
        short_text("position", "现任职务或岗位", max_length=60),
        short_text(
            "professional_title",
            "专业技术职称或职业技能等级",
            "如“正高级工程师”“高级技师”；没有的可不填。",
            max_length=60,
            required=False,
        ),
        date(
            "join_date",
            "入职本单位时间",
            "以劳动（聘用）合同的起始日期为准。",
            not_in_future=True,
            min_date="1970-01-01",
        ),
        step("认定条件", "对照认定标准目录填写所申请的层次和依据。"),
        choice(
            "dropdown",
            "tier",
            "申请认定层次",
            TIER_NAMES,
            "同时符合多个层次条件的，按就高原则申请一个层次。",
        ),
        choice(
            "single_choice",
            "qualification_category",
            "认定条件类别",
            QUALIFICATION_CATEGORIES,
        ),
        long_text(
            "qualification_detail",
            "符合的具体认定条件",
            "写明认定标准目录中的条款序号和内容，如“第五层次第3条：入选福建省引才"
            "“百人计划””。",
            max_length=500,
        ),
        group(
            "education",
            "学习经历",
            [
                short_text("school", "毕业院校", max_length=80),
                choice("dropdown", "degree", "学历学位", DEGREES),
                short_text("major", "所学专业", max_length=60),
                date("graduation_date", "毕业时间", not_in_future=True),
            ],
            "从最高学历填起；境外学历须另附教育部留学服务中心认证书。",
            min_rows=1,
            max_rows=5,
        ),
        long_text(
            "honours",
            "主要业绩和荣誉",
            "近五年获得的奖项、承担的项目、授权专利等，每项一行。",
            max_length=2000,
            required=False,
        ),
        step("材料上传", "请上传清晰的原件扫描件或照片，每个文件不超过规定大小。"),
        upload(
            "id_scan",
            "身份证件",
            "居民身份证正反面，或护照个人资料页、港澳台居民通行证。",
            max_size_mb=5,
            max_count=2,
        ),
        upload(
            "degree_certificates",
            "学历学位证书",
            "最高学历的毕业证书和学位证书，境外学历附认证书，最多 3 个文件。",
            max_count=3,
        ),
        upload(
            "labour_contract",
            "劳动（聘用）合同",
            "合同期限应在 3 年以上，含签字盖章页。",
            types=["pdf"],
            max_size_mb=20,
            material_form="全文扫描件（PDF）",
        ),
        upload(
            "social_insurance",
            "在泉缴纳社会保险证明",
            "可在“闽政通”下载电子证明。",
            material_form="电子证明或加盖公章的打印件",
        ),
        upload(
            "qualification_proof",
            "符合认定条件的证明材料",
            "获奖证书、人才计划入选文件、职称证书等，最多 5 个文件。",
            types=SCANS,
            max_count=5,
            required=False,
        ),
        consent(),
    ],
}

FORMS = [RECOGNITION]
