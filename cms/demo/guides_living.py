"""Service guides for housing, schooling, health care, rest and spouses' jobs."""

from .guide_kit import (
    BANK_ACCOUNT,
    COMMON_QUESTIONS,
    EMPLOYMENT_CONTRACT,
    HOUSEHOLD_REGISTER,
    ID_DOCUMENT,
    MARRIAGE_CERTIFICATE,
    SOCIAL_INSURANCE,
    TALENT_CERTIFICATE,
    application_form,
    basis,
    material,
    question,
    standard_process,
)
from .samples import HOUSE_PURCHASE_FORM, JINJIANG_HOUSING_FORM

HOUSING = "泉州市住房和城乡建设局"
EDUCATION = "泉州市教育局"
HEALTH = "泉州市卫生健康委员会"
TALENT_OFFICE = "中共泉州市委人才工作领导小组办公室"
RSJ = "泉州市人力资源和社会保障局"
JINJIANG_RSJ = "晋江市人力资源和社会保障局"
NANAN_RSJ = "南安市人力资源和社会保障局"

HOUSING_RULES = "《泉州市高层次人才住房保障实施办法》"
CHILD_ID = material(
    "子女出生医学证明或户口簿",
    form="original_and_copy",
    notes="证明申请人与子女的亲子关系",
)

GUIDES = [
    {
        "name": "高层次人才购房补贴申领",
        "slug": "goufang-butie",
        "category": "housing",
        "department": HOUSING,
        "item_code": "350500-ZJJ-ZF-010",
        "description": "在泉首次购买商品住房的高层次人才申领购房补贴。",
        "eligible_applicants": "经认定、在泉首次购买商品住房的第一至第七层次人才",
        "summary": (
            "高层次人才在泉首次购买自住商品住房的，按层次给予购房补贴，"
            "第一层次最高200万元，第七层次10万元，补贴分5年发放。"
        ),
        "conditions": [
            "经认定的高层次人才，且本人及配偶在泉无其他自有住房",
            "购房合同已在住建部门网签备案",
            "未享受过我市人才周转房产权优惠或其他购房补贴",
        ],
        "materials": [
            application_form(HOUSE_PURCHASE_FORM),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            material("商品房买卖合同（网签备案）", form="original_and_copy"),
            material("购房发票", form="original_and_copy"),
            MARRIAGE_CERTIFICATE,
            BANK_ACCOUNT,
        ],
        "process": standard_process("市住建局住房保障科", 10),
        "legal_basis": [basis(HOUSING_RULES, "第八条至第十二条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 12,
        "service_mode": "both",
        "faq": [
            question(
                "夫妻双方都是高层次人才，可以各领一份吗？",
                "不可以。夫妻双方均为高层次人才的，按就高原则享受一份购房补贴。",
            ),
            question(
                "购房补贴和人才周转房可以同时享受吗？",
                "入住人才周转房期间可申请购房补贴，但领取补贴后须在3个月内退出周转房。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "人才周转房（人才公寓）申请",
        "slug": "rencai-zhouzhuanfang",
        "category": "housing",
        "department": HOUSING,
        "item_code": "350500-ZJJ-ZF-011",
        "description": "东宝花苑等人才周转房的配租申请。",
        "eligible_applicants": "在泉无自有住房的高层次人才",
        "summary": (
            "东宝花苑144套人才限价房已调整为人才周转房，"
            "面向在泉无自有住房的高层次人才配租，租期最长3年，租金按市场价的30%收取。"
        ),
        "conditions": [
            "经认定的高层次人才，本人及配偶在泉无自有住房",
            "未享受购房补贴",
        ],
        "materials": [
            application_form("人才周转房配租申请表"),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            material(
                "本人及配偶无房证明",
                form="electronic",
                notes="可在不动产登记中心自助打印",
            ),
            MARRIAGE_CERTIFICATE,
        ],
        "process": standard_process("市住建局住房保障科", 10),
        "legal_basis": [
            basis(HOUSING_RULES, "第十五条"),
            basis("《泉州市人才周转房管理办法》", "第六条"),
        ],
        "statutory_limit_days": 20,
        "promised_limit_days": 15,
        "service_mode": "both",
        "faq": [
            question(
                "房源不足时怎么排序？",
                "按人才层次从高到低、同层次按申请时间先后排序轮候。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "晋江市人才安居补助申领",
        "slug": "jinjiang-anju-buzhu",
        "category": "housing",
        "department": JINJIANG_RSJ,
        "item_code": "350582-RSJ-ZF-012",
        "description": "在晋江工作的高层次人才申领晋江市级安居补助。",
        "eligible_applicants": "在晋江市企事业单位全职工作的高层次人才",
        "summary": (
            "在晋江市全职工作的高层次人才，在晋江购房或租房的，"
            "可在享受市级待遇的基础上叠加申领晋江市级安居补助。"
        ),
        "conditions": [
            "在晋江市用人单位全职工作并在晋江缴纳社会保险",
            "经认定的泉州市高层次人才",
        ],
        "materials": [
            application_form(JINJIANG_HOUSING_FORM),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            material("购房合同或房屋租赁合同", form="original_and_copy"),
            BANK_ACCOUNT,
        ],
        "process": standard_process("晋江市人社局人才服务股", 10),
        "legal_basis": [basis("《晋江市人才安居工程实施办法》", "第五条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "both",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "南安市人才购（租）房补助兑现",
        "slug": "nanan-goufang-zufang-buzhu",
        "category": "housing",
        "department": NANAN_RSJ,
        "item_code": "350583-RSJ-ZF-013",
        "description": "通过“南安智酷”平台兑现人才购（租）房补助。",
        "eligible_applicants": "在南安市全职工作的高层次人才",
        "summary": (
            "在南安市全职工作的高层次人才，可通过“南安智酷”人才服务平台"
            "在线申请购房补助或租房补助，无需往返窗口。"
        ),
        "conditions": [
            "在南安市用人单位全职工作并缴纳社会保险",
            "经认定的泉州市高层次人才或南安市级人才",
        ],
        "materials": [
            application_form("南安市人才购（租）房补助申请表"),
            ID_DOCUMENT,
            material("购房合同或房屋租赁合同", form="original_and_copy"),
            BANK_ACCOUNT,
        ],
        "process": standard_process("南安市人社局人才科", 10),
        "legal_basis": [basis("《南安市人才安居保障办法》", "第四条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "高层次人才子女义务教育阶段入学照顾",
        "slug": "zinv-yiwu-jiaoyu-ruxue",
        "category": "schooling",
        "department": EDUCATION,
        "item_code": "350500-JYJ-JX-014",
        "description": "高层次人才子女小学、初中入学和转学照顾。",
        "eligible_applicants": "经认定的高层次人才的子女（含外籍人才子女）",
        "summary": (
            "高层次人才子女申请小学、初中入学或转学的，由教育部门按“就近、就优”"
            "原则统筹安排；第一至第三层次人才子女可在全市范围内选择公办学校。"
        ),
        "conditions": [
            "申请人为经认定且在有效期内的高层次人才",
            "子女为适龄儿童少年",
        ],
        "materials": [
            application_form("高层次人才子女入学申请表"),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            CHILD_ID,
            SOCIAL_INSURANCE,
            material("子女学籍证明", required=False, notes="转学时提供"),
            HOUSEHOLD_REGISTER,
        ],
        "process": standard_process("市教育局基础教育科", 10),
        "legal_basis": [
            basis("《泉州市高层次人才子女入学照顾实施办法》", "第三条至第八条"),
        ],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "both",
        "faq": [
            question(
                "什么时候申请？",
                "新生入学每年4月至5月集中申请；转学可随时申请，"
                "原则上在学期开始前办理。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "高层次人才子女中考照顾加分",
        "slug": "zinv-zhongkao-jiafen",
        "category": "schooling",
        "department": EDUCATION,
        "item_code": "350500-JYJ-JX-015",
        "description": "高层次人才子女参加泉州市中考的照顾加分。",
        "eligible_applicants": "经认定的第一至第五层次人才的子女",
        "summary": (
            "第一至第五层次人才子女参加泉州市中考的，可按规定享受照顾加分，"
            "加分只能享受一项，不累计。"
        ),
        "conditions": [
            "申请人为经认定的第一至第五层次人才",
            "子女具有泉州市中考报名资格",
        ],
        "materials": [
            application_form("高层次人才子女中考照顾申请表"),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            CHILD_ID,
        ],
        "process": standard_process("市教育局招生考试中心", 10),
        "legal_basis": [basis("《泉州市中考照顾加分政策规定》", "第二条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "高层次人才医疗保健服务",
        "slug": "yiliao-baojian-fuwu",
        "category": "healthcare",
        "department": HEALTH,
        "item_code": "350500-WJW-YL-016",
        "description": "办理高层次人才医疗保健证，享受就医绿色通道。",
        "eligible_applicants": "经认定的第一至第五层次人才",
        "summary": (
            "第一至第五层次人才可办理医疗保健证，在市第一医院、市人民医院等"
            "定点医院享受预约诊疗、优先就诊和专家会诊服务。"
        ),
        "conditions": ["经认定且在有效期内的第一至第五层次人才"],
        "materials": [
            application_form("高层次人才医疗保健证申请表"),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            material("近期免冠一寸证件照", form="electronic"),
        ],
        "process": standard_process("市卫健委干部保健处", 5),
        "legal_basis": [basis("《泉州市高层次人才医疗保健服务办法》", "第四条")],
        "statutory_limit_days": 15,
        "promised_limit_days": 7,
        "service_mode": "online",
        "faq": [
            question(
                "保健证可以给家属用吗？",
                "保健证限本人使用；配偶和子女可在定点医院享受预约诊疗服务。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "高层次人才年度健康体检",
        "slug": "niandu-jiankang-tijian",
        "category": "healthcare",
        "department": HEALTH,
        "item_code": "350500-WJW-YL-017",
        "description": "高层次人才每年一次免费健康体检预约。",
        "eligible_applicants": "经认定的第一至第七层次人才",
        "summary": "高层次人才每年可在定点医院免费体检一次，体检项目按层次确定。",
        "conditions": ["经认定且在有效期内的高层次人才"],
        "materials": [ID_DOCUMENT, TALENT_CERTIFICATE],
        "process": standard_process("市卫健委干部保健处", 3),
        "legal_basis": [basis("《泉州市高层次人才医疗保健服务办法》", "第六条")],
        "statutory_limit_days": 10,
        "promised_limit_days": 5,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "高层次人才疗养休假活动报名",
        "slug": "liaoyang-xiujia",
        "category": "recuperation",
        "department": TALENT_OFFICE,
        "item_code": "350500-RCB-LY-018",
        "description": "每年组织高层次人才赴疗养基地疗养休假。",
        "eligible_applicants": "经认定的第一至第五层次人才",
        "summary": (
            "市委人才办每年组织高层次人才到德化、永春等地疗养基地疗养休假，"
            "每期5天，费用由市人才专项资金承担。"
        ),
        "conditions": [
            "经认定的第一至第五层次人才",
            "近三年未参加过市级疗养休假活动",
            "身体健康，能适应疗养活动安排",
        ],
        "materials": [
            application_form("高层次人才疗养休假报名表"),
            ID_DOCUMENT,
            material("用人单位同意参加的意见", form="original", notes="加盖单位公章"),
        ],
        "process": standard_process("市委人才办", 10),
        "legal_basis": [basis("《泉州市高层次人才疗养休假管理办法》", "第三条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "高层次人才配偶就业安置",
        "slug": "peiou-jiuye-anzhi",
        "category": "spouse-employment",
        "department": RSJ,
        "item_code": "350500-RSJ-PO-019",
        "description": "协助高层次人才的随迁配偶在泉就业。",
        "eligible_applicants": "经认定的第一至第五层次人才的随迁配偶",
        "summary": (
            "随迁配偶原为机关事业单位在编人员的，按对口原则协调安置；"
            "原在企业工作的，由人社部门推荐就业，暂未就业期间按月发放生活补贴。"
        ),
        "conditions": [
            "人才为经认定的第一至第五层次人才",
            "配偶随迁来泉且有就业意愿",
        ],
        "materials": [
            application_form("高层次人才配偶就业安置申请表"),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            material("结婚证", form="original_and_copy"),
            EMPLOYMENT_CONTRACT,
            material("配偶原单位工作证明及劳动合同", form="original_and_copy"),
            material("配偶学历、职称证书", form="original_and_copy", required=False),
        ],
        "process": standard_process("市人社局就业促进科", 20),
        "legal_basis": [basis("《泉州市高层次人才配偶就业安置办法》", "第五条")],
        "statutory_limit_days": 30,
        "promised_limit_days": 25,
        "service_mode": "both",
        "faq": list(COMMON_QUESTIONS),
    },
]
