"""Service guides for residence and household registration, entry and exit,
and general services."""

from .guide_kit import (
    COMMON_QUESTIONS,
    EMPLOYER_LICENCE,
    EMPLOYMENT_CONTRACT,
    HOUSEHOLD_REGISTER,
    ID_DOCUMENT,
    MARRIAGE_CERTIFICATE,
    TALENT_CERTIFICATE,
    application_form,
    basis,
    material,
    question,
    standard_process,
)

POLICE = "泉州市公安局"
EXIT_ENTRY = "泉州市公安局出入境管理支队"
SCIENCE = "泉州市科学技术局"
TALENT_OFFICE = "中共泉州市委人才工作领导小组办公室"
RSJ = "泉州市人力资源和社会保障局"

PASSPORT = material(
    "有效护照",
    form="original_and_copy",
    notes="复印护照资料页及最近一次入境签证页",
)
PHOTO = material(
    "近期正面免冠彩色照片",
    form="original",
    copies=2,
    notes="48mm×33mm，白色背景",
)
EXIT_ENTRY_LAW = "《中华人民共和国出境入境管理法》"

GUIDES = [
    {
        "name": "高层次人才及家属落户",
        "slug": "rencai-luohu",
        "category": "residence",
        "department": POLICE,
        "item_code": "350500-GAJ-LH-020",
        "description": "高层次人才及其配偶、子女户口迁入泉州。",
        "eligible_applicants": "经认定的高层次人才及其配偶、未成年子女",
        "summary": (
            "高层次人才可在工作地、实际居住地或单位集体户落户，"
            "配偶和未成年子女可随迁，实行“先落户、后就业”，材料齐全的当场受理。"
        ),
        "conditions": [
            "经认定的高层次人才或持有引进人才证明",
            "有合法稳定住所，或用人单位同意落户单位集体户",
        ],
        "materials": [
            application_form("户口迁入申请表"),
            ID_DOCUMENT,
            HOUSEHOLD_REGISTER,
            TALENT_CERTIFICATE,
            material(
                "合法稳定住所证明或单位集体户同意接收证明",
                form="original_and_copy",
            ),
            MARRIAGE_CERTIFICATE,
        ],
        "process": standard_process("市公安局户政管理支队", 5),
        "legal_basis": [
            basis("《中华人民共和国户口登记条例》", "第十条"),
            basis("《泉州市进一步放宽城镇落户条件的实施意见》", "第二条"),
        ],
        "statutory_limit_days": 15,
        "promised_limit_days": 3,
        "service_mode": "offline",
        "faq": [
            question(
                "落户需要本人到场吗？",
                "需要本人到窗口采集人像；配偶、子女随迁的可由本人代办。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "外籍高层次人才居留许可",
        "slug": "waiji-rencai-juliu-xuke",
        "category": "residence",
        "department": EXIT_ENTRY,
        "item_code": "350500-CRJ-JL-021",
        "description": "为外籍高层次人才及其配偶、子女签发2—5年居留许可。",
        "eligible_applicants": "在泉工作、有留泉意愿的外籍高层次人才及其配偶、子女",
        "summary": (
            "有留泉意愿的外籍高层次人才及其配偶、子女，可申请签发居留期为2—5年"
            "的工作类或团聚类居留许可证件。"
        ),
        "conditions": [
            "持有有效的外国人工作许可证或高层次人才认定证明",
            "在泉有合法住所并已办理住宿登记",
        ],
        "materials": [
            application_form("外国人签证证件申请表"),
            PASSPORT,
            PHOTO,
            material("外国人工作许可证", form="original_and_copy"),
            material("住宿登记表", form="original"),
            material(
                "亲属关系证明",
                form="original_and_copy",
                required=False,
                notes="配偶、子女申请时提供，境外出具的须经认证",
            ),
        ],
        "process": standard_process("市公安局出入境管理支队外国人管理大队", 10),
        "legal_basis": [
            basis(EXIT_ENTRY_LAW, "第三十条"),
            basis("《中华人民共和国外国人入境出境管理条例》", "第十五条"),
        ],
        "statutory_limit_days": 15,
        "promised_limit_days": 10,
        "service_mode": "offline",
        "faq": [
            question(
                "审批期间可以出境吗？",
                "审批期间护照由出入境管理部门留存，确需出境的可申请提前取回，"
                "申请视为撤回。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "外籍高层次人才多次往返签证",
        "slug": "waiji-rencai-duoci-qianzheng",
        "category": "entry-exit",
        "department": EXIT_ENTRY,
        "item_code": "350500-CRJ-CR-022",
        "description": "签发最长5年、每次停留不超过180天的多次签证。",
        "eligible_applicants": "来泉工作、交流的外籍高层次人才及其配偶、子女",
        "summary": (
            "外籍高层次人才可申请签发有效期最长5年、每次停留期不超过180天的"
            "多次入出境有效签证，配偶和未成年子女可一并申请。"
        ),
        "conditions": [
            "经认定的外籍高层次人才或用人单位邀请来泉工作的外籍专家",
            "护照有效期在6个月以上",
        ],
        "materials": [
            application_form("外国人签证证件申请表"),
            PASSPORT,
            PHOTO,
            material("用人单位邀请函", form="original", notes="加盖单位公章"),
            material("高层次人才认定证明", form="original_and_copy"),
        ],
        "process": standard_process("市公安局出入境管理支队签证科", 5),
        "legal_basis": [basis(EXIT_ENTRY_LAW, "第十六条、第二十九条")],
        "statutory_limit_days": 7,
        "promised_limit_days": 5,
        "service_mode": "offline",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "高层次人才出入境证件办理绿色通道",
        "slug": "churujing-zhengjian-lvse-tongdao",
        "category": "entry-exit",
        "department": EXIT_ENTRY,
        "item_code": "350500-CRJ-CR-023",
        "description": "高层次人才申办护照、往来港澳台通行证的优先办理。",
        "eligible_applicants": "经认定的中国籍高层次人才及其配偶、子女",
        "summary": (
            "高层次人才因商务、学术交流申办护照、往来港澳通行证和往来台湾通行证的，"
            "可走绿色通道优先受理，急需出境的可申请加急办理。"
        ),
        "conditions": ["经认定的高层次人才，或其配偶、未成年子女"],
        "materials": [
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            material("出入境证件申请表", form="original", notes="窗口现场填写或打印"),
            material("加急事由证明", required=False, notes="申请加急时提供"),
        ],
        "process": standard_process("市公安局出入境管理支队证件科", 5),
        "legal_basis": [
            basis("《中华人民共和国护照法》", "第五条、第六条"),
            basis(EXIT_ENTRY_LAW, "第九条"),
        ],
        "statutory_limit_days": 15,
        "promised_limit_days": 5,
        "service_mode": "offline",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "外国高端人才（A类）工作许可",
        "slug": "waiguo-gaoduan-rencai-gongzuo-xuke",
        "category": "entry-exit",
        "department": SCIENCE,
        "item_code": "350500-KJJ-CR-024",
        "description": "外国高端人才（A类）来华工作许可和确认函办理。",
        "eligible_applicants": "聘用外国高端人才的在泉用人单位",
        "summary": (
            "外国高端人才（A类）实行“告知+承诺”“容缺受理”，"
            "工作许可最长可一次性办理5年，凭确认函可申请人才签证。"
        ),
        "conditions": [
            "符合外国高端人才（A类）认定标准",
            "用人单位已在外国人来华工作管理服务系统注册",
        ],
        "materials": [
            application_form("外国人来华工作许可申请表"),
            PASSPORT,
            EMPLOYMENT_CONTRACT,
            material(
                "最高学位证书或职业资格证明",
                form="original_and_copy",
                notes="境外出具的须经认证，A类可容缺后补",
            ),
            material("无犯罪记录证明", required=False, notes="A类人才可承诺后补"),
            EMPLOYER_LICENCE,
        ],
        "process": standard_process("市科技局外国专家服务科", 5),
        "legal_basis": [basis("《外国人在中国就业管理规定》", "第十一条")],
        "statutory_limit_days": 10,
        "promised_limit_days": 5,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "高层次人才服务卡（港湾卡）申领",
        "slug": "gangwan-ka",
        "category": "general",
        "department": TALENT_OFFICE,
        "item_code": "350500-RCB-ZH-025",
        "description": "一卡享受交通、文旅、就医、政务等便利服务。",
        "eligible_applicants": "经认定的第一至第七层次人才",
        "summary": (
            "港湾卡是高层次人才的身份凭证，持卡可享受政务服务绿色通道、"
            "景区免费游览、定点医院优先就诊等便利服务。"
        ),
        "conditions": ["经认定且在有效期内的高层次人才"],
        "materials": [
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            material("近期免冠一寸证件照", form="electronic"),
        ],
        "process": standard_process("市委人才办", 5),
        "legal_basis": [basis("《泉州市高层次人才服务卡管理办法》", "第四条")],
        "statutory_limit_days": 10,
        "promised_limit_days": 5,
        "service_mode": "online",
        "faq": [
            question(
                "港湾卡丢失怎么办？",
                "在线申请挂失补办，补办期间可使用电子港湾卡。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "高层次人才认定信息变更",
        "slug": "rending-xinxi-biangeng",
        "category": "general",
        "department": RSJ,
        "item_code": "350500-RSJ-ZH-026",
        "description": "工作单位、层次或联系方式变化后更新认定信息。",
        "eligible_applicants": "经认定、认定信息发生变化的高层次人才",
        "summary": (
            "高层次人才在泉更换工作单位、取得更高层次条件或变更联系方式的，"
            "应在30日内申请变更认定信息，以免影响待遇兑现。"
        ),
        "conditions": ["经认定且在有效期内的高层次人才"],
        "materials": [
            application_form("高层次人才认定信息变更申请表"),
            ID_DOCUMENT,
            material("变更事项的证明材料", form="original_and_copy"),
        ],
        "process": standard_process("市人社局人才开发科", 5),
        "legal_basis": [basis("《泉州市高层次人才认定和评价办法》", "第十八条")],
        "statutory_limit_days": 10,
        "promised_limit_days": 5,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
]
