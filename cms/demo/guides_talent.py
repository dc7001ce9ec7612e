"""Service guides for recognition, funding, training and innovation."""

from .guide_kit import (
    BANK_ACCOUNT,
    COMMON_QUESTIONS,
    EMPLOYER_LICENCE,
    EMPLOYMENT_CONTRACT,
    ID_DOCUMENT,
    SOCIAL_INSURANCE,
    TALENT_CERTIFICATE,
    application_form,
    basis,
    material,
    question,
    standard_process,
)
from .samples import RECOGNITION_FORM

RSJ = "泉州市人力资源和社会保障局"
TALENT_OFFICE = "中共泉州市委人才工作领导小组办公室"
FINANCE = "泉州市财政局"
SCIENCE = "泉州市科学技术局"

RECOGNITION_RULES = "《泉州市高层次人才认定和评价办法》"

GUIDES = [
    {
        "name": "泉州市高层次人才认定",
        "slug": "gaocengci-rencai-rending",
        "category": "talent-recognition",
        "department": RSJ,
        "item_code": "350500-RSJ-RC-001",
        "description": "对照七个层次的认定标准，认定在泉工作的高层次人才。",
        "eligible_applicants": "在泉州市行政区域内全职工作的各类人才及其用人单位",
        "summary": (
            "符合《泉州市高层次人才认定和评价办法》第一至第七层次标准的人才，"
            "经用人单位在线申报、县区初审、市级审核和公示后，取得高层次人才认定，"
            "享受相应的工作生活待遇。"
        ),
        "conditions": [
            "与泉州市行政区域内用人单位签订3年以上劳动（聘用）合同并在泉缴纳社会保险",
            "符合认定标准目录中相应层次的任一条件",
            "遵纪守法，无学术不端等不良记录",
        ],
        "materials": [
            application_form(RECOGNITION_FORM),
            ID_DOCUMENT,
            EMPLOYMENT_CONTRACT,
            SOCIAL_INSURANCE,
            material(
                "符合认定条件的证明材料（获奖证书、职称证书、学历学位证书等）",
                form="original_and_copy",
                notes="境外学历须提供教育部留学服务中心认证书",
            ),
            material("近期免冠一寸证件照", form="electronic", notes="白底，JPG格式"),
            EMPLOYER_LICENCE,
        ],
        "process": standard_process("市人社局人才开发科", 10, district_pre_review=True),
        "legal_basis": [
            basis(RECOGNITION_RULES, "第五条至第十二条"),
            basis("《泉州市人才“港湾计划”》", "第三部分"),
        ],
        "statutory_limit_days": 20,
        "promised_limit_days": 15,
        "service_mode": "online",
        "faq": [
            question(
                "认定结果多久能查到？",
                "审核通过后在大厅网站公示5个工作日，公示无异议的，"
                "认定结果同步到“我的申请”，并可下载电子认定证书。",
            ),
            question(
                "同时符合多个层次的条件怎么办？",
                "按就高原则认定，不重复认定；条件发生变化可申请层次调整。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "福建省引进高层次人才（ABC类）认定推荐",
        "slug": "fujian-abc-lei-rencai-tuijian",
        "category": "talent-recognition",
        "department": TALENT_OFFICE,
        "item_code": "350500-RCB-RC-002",
        "description": "向省委人才办推荐认定福建省引进高层次人才（A、B、C类）。",
        "eligible_applicants": "2019年以后引进到泉州市用人单位全职工作的省外人才",
        "summary": (
            "对照福建省引进高层次人才认定标准，由用人单位申报、市委人才办审核后"
            "集中推荐至省委人才办认定。认定后可享受省级安家补助等待遇。"
        ),
        "conditions": [
            "引进前在省外工作或学习，引进后在泉全职工作",
            "符合福建省引进高层次人才A、B、C类认定标准之一",
            "首次在泉缴纳社会保险时间在申报截止日前3年以内",
        ],
        "materials": [
            application_form("福建省引进高层次人才认定申报表"),
            ID_DOCUMENT,
            EMPLOYMENT_CONTRACT,
            SOCIAL_INSURANCE,
            material(
                "引进前在省外工作或学习的证明",
                notes="如原单位离职证明、学籍证明等",
            ),
            material("符合认定标准的业绩成果证明", form="original_and_copy"),
        ],
        "process": standard_process("市委人才办", 15, district_pre_review=True),
        "legal_basis": [basis("《福建省引进高层次人才认定办法》", "第三条、第六条")],
        "statutory_limit_days": 30,
        "promised_limit_days": 20,
        "service_mode": "online",
        "faq": [
            question(
                "每年什么时候申报？",
                "每年分两批集中申报，时间以市委人才办发布的通知为准。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "福建省工科类青年专业人才认定",
        "slug": "gongkelei-qingnian-rencai-rending",
        "category": "talent-recognition",
        "department": RSJ,
        "item_code": "350500-RSJ-RC-003",
        "description": "认定在泉企业工作的工科类青年专业人才。",
        "eligible_applicants": "在泉规模以上工业企业工作的工科类专业毕业生",
        "summary": (
            "在泉州市企业从事研发、生产技术岗位的工科类本科及以上青年人才，"
            "可申请认定为福建省工科类青年专业人才，享受生活补贴。"
        ),
        "conditions": [
            "全日制本科及以上学历，所学专业为工学门类",
            "年龄不超过35周岁",
            "在泉企业从事研发、生产技术相关岗位",
        ],
        "materials": [
            application_form("福建省工科类青年专业人才认定申请表"),
            ID_DOCUMENT,
            material("学历、学位证书", form="original_and_copy"),
            EMPLOYMENT_CONTRACT,
            SOCIAL_INSURANCE,
        ],
        "process": standard_process("市人社局人才开发科", 10),
        "legal_basis": [basis("《福建省工科类青年专业人才认定实施办法》", "第四条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "新引进高层次人才安家补助申领",
        "slug": "anjia-buzhu",
        "category": "funding",
        "department": RSJ,
        "item_code": "350500-RSJ-ZJ-004",
        "description": "新引进的第一至第五层次人才申领一次性安家补助。",
        "eligible_applicants": "认定后2年内的新引进第一至第五层次人才",
        "summary": (
            "新引进并认定为第一至第五层次的高层次人才，可按层次申领一次性安家补助，"
            "补助分三年发放，期间须在泉全职工作。"
        ),
        "conditions": [
            "经认定的第一至第五层次人才，且为新引进人才",
            "在泉全职工作并缴纳社会保险",
            "未享受过本市其他同类安家补助",
        ],
        "materials": [
            application_form("高层次人才安家补助申请表"),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            EMPLOYMENT_CONTRACT,
            BANK_ACCOUNT,
        ],
        "process": standard_process("市人社局人才开发科", 10),
        "legal_basis": [
            basis("《泉州市高层次人才安家补助实施细则》", "第三条至第七条"),
        ],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "both",
        "faq": [
            question(
                "安家补助标准是多少？",
                "第一层次200万元，第二层次100万元，第三层次60万元，"
                "第四层次30万元，第五层次15万元，分三年按4:3:3发放。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "高层次人才生活补贴申领",
        "slug": "shenghuo-butie",
        "category": "funding",
        "department": RSJ,
        "item_code": "350500-RSJ-ZJ-005",
        "description": "第六、第七层次人才按月申领生活补贴。",
        "eligible_applicants": "经认定的第六、第七层次人才和工科类青年专业人才",
        "summary": (
            "第六、第七层次人才在泉全职工作期间，可按年度申领生活补贴，"
            "补贴期限最长3年。"
        ),
        "conditions": [
            "经认定的第六、第七层次人才或福建省工科类青年专业人才",
            "申领期间在泉全职工作并连续缴纳社会保险",
        ],
        "materials": [
            application_form("高层次人才生活补贴申请表"),
            ID_DOCUMENT,
            TALENT_CERTIFICATE,
            BANK_ACCOUNT,
        ],
        "process": standard_process("市人社局人才开发科", 8),
        "legal_basis": [basis("《泉州市高层次人才生活补贴发放办法》", "第二条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
    {
        "name": "用人单位引才奖励申领",
        "slug": "yincai-jiangli",
        "category": "funding",
        "department": FINANCE,
        "item_code": "350500-CZJ-ZJ-006",
        "description": "引进高层次人才的用人单位按引进人数和层次申领奖励。",
        "eligible_applicants": "在泉注册、依法纳税，年度内新引进高层次人才的用人单位",
        "summary": (
            "用人单位全职引进第一至第五层次人才的，按引进人才的层次给予一次性引才"
            "奖励，用于人才引进和培养。"
        ),
        "conditions": [
            "在泉注册的企业、民办非企业单位",
            "年度内全职引进经认定的第一至第五层次人才",
            "近三年无严重失信记录",
        ],
        "materials": [
            application_form("用人单位引才奖励申请表"),
            EMPLOYER_LICENCE,
            material("引进人才名单及认定证明", notes="加盖单位公章"),
            material("引进人才的劳动合同和社保缴纳证明"),
            material("单位银行基本账户信息", form="original", notes="加盖单位公章"),
        ],
        "process": standard_process("市财政局行政政法科", 15),
        "legal_basis": [basis("《泉州市人才专项资金管理办法》", "第九条")],
        "statutory_limit_days": 30,
        "promised_limit_days": 20,
        "service_mode": "online",  # 财政局 has no public window
        "faq": [
            question(
                "引才奖励可以由人才本人申领吗？",
                "不可以。引才奖励的申领主体是用人单位，由单位经办人在线申报。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "高层次人才学术研修资助申请",
        "slug": "xueshu-yanxiu-zizhu",
        "category": "training",
        "department": RSJ,
        "item_code": "350500-RSJ-PX-007",
        "description": "资助高层次人才参加国内外学术研修、访学和高级研修班。",
        "eligible_applicants": "经认定的第一至第五层次人才",
        "summary": (
            "高层次人才参加国内外知名高校、科研院所的访学研修或国家级高级研修班，"
            "可申请学术研修资助，每人每年最高5万元。"
        ),
        "conditions": [
            "经认定的第一至第五层次人才",
            "研修内容与本人岗位相关，并经用人单位同意",
            "研修结束后3个月内提交研修报告",
        ],
        "materials": [
            application_form("高层次人才学术研修资助申请表"),
            ID_DOCUMENT,
            material("研修邀请函或录取通知", form="original_and_copy"),
            material("研修经费预算", form="original", notes="用人单位签署意见"),
        ],
        "process": standard_process("市人社局专业技术人员管理科", 10),
        "legal_basis": [basis("《泉州市高层次人才学术研修资助办法》", "第四条")],
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "service_mode": "online",
        "faq": [
            question(
                "研修结束后还需要做什么？",
                "研修结束后3个月内在线提交研修报告和费用票据，"
                "未按期提交的，3年内不得再次申请。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "高层次人才创新创业项目资助申报",
        "slug": "chuangxin-chuangye-zizhu",
        "category": "innovation",
        "department": SCIENCE,
        "item_code": "350500-KJJ-CX-008",
        "description": "资助高层次人才在泉领办创办企业或开展技术攻关。",
        "eligible_applicants": "在泉创办企业或在企业承担研发项目的高层次人才",
        "summary": (
            "高层次人才在泉领办创办科技型企业或承担企业重大技术攻关项目的，"
            "经专家评审可获20万至200万元项目资助。"
        ),
        "conditions": [
            "项目符合我市重点产业发展方向",
            "人才在企业中任主要负责人或项目负责人",
            "企业在泉注册满6个月",
        ],
        "materials": [
            application_form("高层次人才创新创业项目申报书"),
            ID_DOCUMENT,
            EMPLOYER_LICENCE,
            material("项目可行性研究报告", form="original", copies=3),
            material("知识产权证明", form="original_and_copy", required=False),
            material("上一年度财务审计报告", required=False, notes="新办企业可免"),
        ],
        "process": standard_process("市科技局人才与合作科", 30),
        "legal_basis": [
            basis("《泉州市高层次人才创新创业项目资助管理办法》", "第六条至第十条"),
        ],
        "statutory_limit_days": 60,
        "promised_limit_days": 45,
        "service_mode": "online",
        "faq": [
            question(
                "评审采用什么方式？",
                "由市科技局组织专家进行材料评审和答辩评审，必要时实地考察。",
            ),
            *COMMON_QUESTIONS,
        ],
    },
    {
        "name": "引进高层次人才团队资助申报",
        "slug": "rencai-tuandui-zizhu",
        "category": "innovation",
        "department": TALENT_OFFICE,
        "item_code": "350500-RCB-CX-009",
        "description": "“港湾计划”引进高层次人才团队评审资助。",
        "eligible_applicants": "引进高层次人才团队的在泉企业、高校和科研院所",
        "summary": (
            "对引进到我市重点产业领域的高层次人才团队，经评审按A、B、C三类"
            "分别给予最高1000万元、500万元、200万元资助。"
        ),
        "conditions": [
            "团队带头人为第三层次以上人才或具有同等水平",
            "团队核心成员不少于3人，且至少1人全职在泉工作",
            "项目具有自主知识产权和产业化前景",
        ],
        "materials": [
            application_form("引进高层次人才团队申报书"),
            material("团队成员名单及身份证明", form="copy"),
            material("团队与用人单位的合作协议", form="original_and_copy"),
            material("项目商业计划书", form="original", copies=5),
            EMPLOYER_LICENCE,
        ],
        "process": standard_process("市委人才办", 40),
        "legal_basis": [basis("《泉州市引进高层次人才团队评审管理办法》", "第五条")],
        "statutory_limit_days": 60,
        "promised_limit_days": 50,
        "service_mode": "online",
        "faq": list(COMMON_QUESTIONS),
    },
]
