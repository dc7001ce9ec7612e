"""Demo application forms for housing, schooling and spouses' jobs."""

from .forms_kit import (
    ALL_ID_KINDS,
    EDUCATION_LEVELS,
    TIER_NAMES,
    choice,
    consent,
    date,
    explanation,
    field,
    group,
    long_text,
    number,
    personal_id,
    region,
    section,
    short_text,
    step,
    upload,
    when,
    yes_no,
)

# Mainland residents and Hong Kong, Macao and Taiwan compatriots; foreign talents'
# children are enrolled through the international school channel.
CHILD_ID_KINDS = ["resident", "hk_macau", "taiwan", "passport"]
GRADES = [
    "小学一年级",
    "小学二年级",
    "小学三年级",
    "小学四年级",
    "小学五年级",
    "小学六年级",
    "初中一年级",
    "初中二年级",
    "初中三年级",
]


def talent_block() -> list[dict]:
    """The talent applying: identity, contact, tier and employer, prefilled."""
    return [
        short_text(
            "full_name",
            "姓名",
            "与身份证件上的姓名一致。",
            max_length=50,
            prefill="real_name",
        ),
        personal_id("id_document", "身份证件", ALL_ID_KINDS, prefill="id_number"),
        field(
            "mobile",
            "mobile",
            "手机号码",
            "用于接收受理、补正和办理结果短信。",
            prefill="mobile",
        ),
        choice(
            "dropdown",
            "tier",
            "人才层次",
            TIER_NAMES,
            "以高层次人才认定证书上的层次为准。",
        ),
        short_text(
            "certificate_number",
            "高层次人才认定证书编号",
            "见认定证书右上角，如 QZGC-2025-0123。",
            max_length=20,
            pattern=r"QZGC-\d{4}-\d{4}",
            pattern_message="证书编号的格式为 QZGC-年份-4位序号，如 QZGC-2025-0123。",
        ),
        short_text(
            "employer_name",
            "工作单位",
            max_length=100,
            prefill="employer_name",
        ),
    ]


HOUSING = {
    "guide": "jinjiang-anju-buzhu",
    "slug": "zaixian-shenqing",
    "title": "人才住房补贴申请",
    "applicant_kinds": "talent",
    "intro": (
        "<p>在晋江市全职工作的高层次人才，在晋江购买商品住房或租房居住的，"
        "可在线申请住房补贴（购房补贴与租房补贴不可同时享受）。</p>"
        "<p>补贴直接发放到申请人本人名下的泉州地区银行账户。</p>"
    ),
    "confirmation_text": (
        "我们将在 1 个工作日内完成受理，材料需补正的将一次性告知。"
        "受理后由晋江市人社局人才服务股审核，并会同住建、不动产登记部门核查住房情况，"
        "承诺在 10 个工作日内办结；审核通过的补贴于次月拨付到您填写的银行账户。"
    ),
    "definition": [
        step("申请人信息"),
        *talent_block(),
        field(
            "uscc",
            "employer_uscc",
            "工作单位统一社会信用代码",
            prefill="employer_uscc",
        ),
        choice(
            "single_choice",
            "marital_status",
            "婚姻状况",
            ["未婚", "已婚", "离异", "丧偶"],
        ),
        short_text(
            "spouse_name",
            "配偶姓名",
            "核查本人及配偶在泉住房情况时使用。",
            max_length=50,
            condition=when("marital_status", "已婚"),
        ),
        step("住房情况"),
        yes_no(
            "owns_home",
            "是否已在泉购房",
            "指本人或配偶在泉州市行政区域内购买的商品住房（含二手房）。",
        ),
        section(
            "购房信息",
            "购房合同须已在住建部门网签备案。",
            condition=when("owns_home", "yes"),
        ),
        upload(
            "purchase_contract",
            "商品房买卖合同",
            "网签备案的合同全文，含备案页。",
            types=["pdf"],
            max_size_mb=20,
            material_form="全文扫描件（PDF）",
        ),
        date(
            "purchase_date",
            "购房合同签订日期",
            not_in_future=True,
            min_date="2018-01-01",
        ),
        number(
            "purchase_price",
            "购房总价（元）",
            "以合同或发票金额为准，填写整数。",
            min_value=100000,
            max_value=50000000,
        ),
        number(
            "floor_area",
            "建筑面积（平方米）",
            min_value=10,
            max_value=1000,
            decimal_places=2,
        ),
        field("address", "house_address", "房屋坐落", max_length=150),
        section(
            "租房信息",
            "租赁合同须已办理房屋租赁登记备案。",
            condition=when("owns_home", "no"),
        ),
        upload(
            "lease_contract",
            "房屋租赁合同",
            "含出租方身份证明和租赁备案证明。",
            max_count=3,
        ),
        date("lease_start", "租赁起始日期", min_date="2018-01-01"),
        number(
            "monthly_rent",
            "月租金（元）",
            min_value=300,
            max_value=30000,
        ),
        field("address", "rental_address", "租赁房屋地址", max_length=150),
        section("其他补贴"),
        yes_no(
            "other_subsidy",
            "是否已享受其他购房或租房补贴",
            "包括市级人才购房补贴、人才周转房、单位提供的住房补贴等。",
        ),
        long_text(
            "other_subsidy_detail",
            "已享受的补贴情况",
            "写明补贴名称、发放单位、金额和期限。",
            max_length=500,
            condition=when("other_subsidy", "yes"),
        ),
        step("收款账户和材料"),
        explanation("补贴只发放到申请人本人名下的银行账户，不接受他人账户。"),
        short_text(
            "account_holder",
            "账户名",
            "须为申请人本人。",
            max_length=50,
            prefill="real_name",
        ),
        short_text(
            "bank_name",
            "开户银行",
            "写到支行，如“中国工商银行晋江支行”。",
            max_length=60,
        ),
        field(
            "bank_account",
            "bank_account",
            "银行账号",
            "银行卡号或存折账号，12 至 19 位数字。",
        ),
        upload("id_scan", "身份证件", "正反面印在同一个文件中。", max_size_mb=5),
        upload(
            "bank_card",
            "银行卡",
            "银行卡正面照片或开户证明。",
            types=["jpg", "png", "pdf"],
            max_size_mb=5,
        ),
        consent(),
    ],
}

SCHOOLING = {
    "guide": "zinv-yiwu-jiaoyu-ruxue",
    "slug": "zaixian-shenqing",
    "title": "高层次人才子女入学申请",
    "applicant_kinds": "talent",
    "intro": (
        "<p>经认定的高层次人才，可为适龄子女在线申请小学、初中入学或转学照顾。"
        "教育部门按“就近、就优”原则统筹安排；第一至第三层次人才子女可在全市范围内"
        "选择公办学校。</p>"
        "<p>春季学期的申请请在 1 月 10 日前提交，秋季学期请在 6 月 30 日前提交。</p>"
    ),
    "confirmation_text": (
        "我们将在 1 个工作日内完成受理，材料需补正的将一次性告知。"
        "受理后转市教育局基础教育科统筹安排，一般在 15 个工作日内反馈安排意见；"
        "遇招生集中期，最迟在开学前 10 日通知您就读学校和报到时间。"
    ),
    "definition": [
        step("人才信息"),
        *talent_block(),
        yes_no(
            "household_in_quanzhou",
            "子女户籍是否已迁入泉州",
            "指子女户口已落户泉州市行政区域内。",
        ),
        explanation(
            "户籍未迁入的，凭高层次人才认定证书享受同城待遇，"
            "请在“材料”一步上传居住证或在泉住房证明。",
            condition=when("household_in_quanzhou", "no"),
        ),
        step("子女信息"),
        group(
            "children",
            "申请入学的子女",
            [
                short_text("child_name", "姓名", max_length=50),
                personal_id("child_id", "身份证件", CHILD_ID_KINDS),
                date("child_birth_date", "出生日期", not_in_future=True),
                short_text(
                    "current_school",
                    "目前就读学校",
                    "尚未入学的填“无”。",
                    max_length=80,
                ),
                choice("dropdown", "grade", "申请就读年级", GRADES),
            ],
            "每位子女填写一行，最多 3 位。",
            min_rows=1,
            max_rows=3,
        ),
        choice(
            "single_choice",
            "enrolment_type",
            "申请类型",
            ["新生入学", "插班转学"],
        ),
        region(
            "desired_district",
            "意向就读区域",
            "意向学校所在的县（市、区）。",
        ),
        choice(
            "single_choice",
            "school_preference",
            "学校安排意向",
            [
                "就近安排公办学校",
                "指定意向公办学校（限第一至第三层次人才）",
                "服从教育部门统筹安排",
            ],
        ),
        short_text(
            "preferred_school",
            "意向学校名称",
            "可填写 1 至 2 所，用顿号分隔。",
            max_length=80,
            condition=when(
                "school_preference", "指定意向公办学校（限第一至第三层次人才）"
            ),
        ),
        step("材料"),
        upload(
            "child_documents",
            "子女出生医学证明或户口簿",
            "证明申请人与子女的亲子关系，最多 3 个文件。",
            max_count=3,
        ),
        upload(
            "talent_certificate",
            "高层次人才认定证书",
            "已在系统中核验的也请上传，以便学校报到时核对。",
            max_size_mb=5,
        ),
        upload(
            "residence_proof",
            "居住证或在泉住房证明",
            "购房合同、不动产权证书或租赁备案证明均可。",
            max_count=2,
            condition=when("household_in_quanzhou", "no"),
        ),
        upload(
            "school_record",
            "学籍证明",
            "插班转学的，由原就读学校出具。",
            condition=when("enrolment_type", "插班转学"),
        ),
        consent(),
    ],
}

SPOUSE_JOB = {
    "guide": "peiou-jiuye-anzhi",
    "slug": "zaixian-shenqing",
    "title": "配偶就业安置申请",
    "applicant_kinds": "talent",
    "intro": (
        "<p>经认定的第一至第五层次人才，其随迁配偶有就业意愿的，可在线申请就业安置。"
        "配偶原为机关事业单位在编人员的，按对口原则协调安置；"
        "原在企业工作的，由人社部门推荐就业。</p>"
    ),
    "confirmation_text": (
        "我们将在 1 个工作日内完成受理，材料需补正的将一次性告知。"
        "受理后由市人社局就业促进科对接安置，承诺在 25 个工作日内提出安置或推荐意见；"
        "暂未就业期间的生活补贴另行通知申领。"
    ),
    "definition": [
        step("人才信息"),
        *talent_block(),
        step("配偶信息"),
        short_text("spouse_name", "配偶姓名", max_length=50),
        personal_id("spouse_id", "配偶身份证件", ALL_ID_KINDS),
        field("mobile", "spouse_mobile", "配偶手机号码"),
        choice("dropdown", "spouse_education", "配偶最高学历", EDUCATION_LEVELS),
        short_text("spouse_major", "所学专业", max_length=60, required=False),
        short_text("spouse_previous_employer", "原工作单位", max_length=100),
        short_text("spouse_previous_position", "原任职务或岗位", max_length=60),
        short_text(
            "spouse_title",
            "专业技术职称或职业资格",
            max_length=60,
            required=False,
        ),
        yes_no(
            "spouse_is_civil_servant",
            "配偶是否为机关事业单位在编人员",
            "含公务员、参照公务员法管理人员和事业单位在编人员。",
        ),
        section(
            "在编人员信息",
            "以下信息用于按对口原则协调安置。",
            condition=when("spouse_is_civil_servant", "yes"),
        ),
        choice(
            "single_choice",
            "establishment_type",
            "编制类别",
            [
                "公务员（含参照公务员法管理）",
                "事业单位管理岗位",
                "事业单位专业技术岗位",
                "事业单位工勤技能岗位",
            ],
        ),
        short_text(
            "current_rank",
            "现任职级或岗位等级",
            "如“四级主任科员”“专业技术十级”。",
            max_length=60,
        ),
        yes_no("accept_transfer", "是否同意按对口原则调入"),
        section("就业意向"),
        choice(
            "multiple_choice",
            "employment_preference",
            "意向就业方向",
            [
                "机关事业单位（限在编人员对口安置）",
                "国有企业",
                "民营企业",
                "高校和科研院所",
                "医疗卫生机构",
                "自主创业",
            ],
            "可多选。",
        ),
        region("preferred_district", "意向工作地", depth="district"),
        number(
            "expected_salary",
            "期望月薪（元）",
            min_value=0,
            max_value=100000,
            required=False,
        ),
        long_text(
            "remarks",
            "其他说明",
            "如特长、工作经历中需要说明的情况。",
            max_length=500,
            required=False,
        ),
        step("材料"),
        upload("marriage_certificate", "结婚证", max_size_mb=5),
        upload(
            "spouse_id_scan", "配偶身份证件", "正反面。", max_size_mb=5, max_count=2
        ),
        upload(
            "spouse_employment_proof",
            "配偶原单位工作证明及劳动合同",
            "最多 3 个文件。",
            max_count=3,
        ),
        upload(
            "spouse_certificates",
            "配偶学历、职称证书",
            required=False,
            max_count=3,
        ),
        upload(
            "establishment_proof",
            "在编证明",
            "由原单位组织人事部门出具的编制证明。",
            condition=when("spouse_is_civil_servant", "yes"),
        ),
        consent(),
    ],
}

FORMS = [HOUSING, SCHOOLING, SPOUSE_JOB]
