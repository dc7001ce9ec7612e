"""Policies on housing, children's schooling and health care."""

from datetime import date

HOUSING = "泉州市住房和城乡建设局"
EDUCATION = "泉州市教育局"
HEALTH = "泉州市卫生健康委员会"

POLICIES = [
    {
        "slug": "zhufang-baozhang-banfa-2019",
        "title": "泉州市高层次人才住房保障实施办法",
        "number": "泉建规〔2019〕1号",
        "department": HOUSING,
        "issued": date(2019, 3, 5),
        "effective": date(2019, 4, 1),
        "category": "housing",
        "tiers": (1, 2, 3, 4, 5),
        "status": "amended",
        "superseded_by": "zhufang-baozhang-banfa-2024",
        "guides": (),
        "summary": "2019年版住房保障办法，购房补贴仅覆盖第一至第五层次人才，已于2024年修订。",
        "preamble": "为落实人才“港湾计划”住房安居政策，制定本办法。",
        "sections": [
            (
                "保障方式",
                "高层次人才可选择购房补贴或入住人才周转房，二者不得同时享受。",
            ),
            ("补贴标准", "第一至第五层次人才购房补贴为150万元至10万元。"),
        ],
    },
    {
        "slug": "zhufang-baozhang-banfa-2024",
        "title": "泉州市高层次人才住房保障实施办法（2024年修订）",
        "number": "泉建规〔2024〕2号",
        "department": HOUSING,
        "issued": date(2024, 5, 10),
        "effective": date(2024, 6, 1),
        "until": date(2029, 5, 31),
        "category": "housing",
        "tiers": (1, 2, 3, 4, 5, 6, 7),
        "guides": ("goufang-butie", "rencai-zhouzhuanfang"),
        "summary": (
            "购房补贴扩大到第一至第七层次人才，第一层次最高200万元、第七层次10万元，"
            "分5年发放；入住人才周转房期间可申请购房补贴。"
        ),
        "preamble": (
            "为进一步完善高层次人才住房保障体系，让人才安居乐业，"
            "对《泉州市高层次人才住房保障实施办法》进行修订。"
        ),
        "sections": [
            (
                "保障方式",
                "高层次人才可享受购房补贴、租房补贴或入住人才周转房。入住周转房期间"
                "申请购房补贴的，须在领取补贴后3个月内退出周转房。",
            ),
            (
                "购房补贴标准",
                [
                    "第一层次200万元，第二层次100万元，第三层次80万元。",
                    "第四层次50万元，第五层次30万元。",
                    "第六层次15万元，第七层次10万元。",
                ],
            ),
            ("发放方式", "购房补贴分5年平均发放，期间人才须在泉全职工作。"),
        ],
    },
    {
        "slug": "zhouzhuanfang-guanli-banfa",
        "title": "泉州市人才周转房管理办法",
        "number": "泉建房〔2023〕12号",
        "department": HOUSING,
        "issued": date(2023, 7, 14),
        "effective": date(2023, 8, 1),
        "category": "housing",
        "tiers": (),
        "guides": ("rencai-zhouzhuanfang",),
        "summary": "人才周转房面向在泉无自有住房的高层次人才配租，租期最长3年，租金为市场价的30%。",
        "preamble": "为规范人才周转房的配租和管理，提高房源使用效率，制定本办法。",
        "sections": [
            ("房源", "人才周转房由市住建局统一筹集，首批为东宝花苑144套。"),
            (
                "配租规则",
                "按人才层次从高到低、同层次按申请时间先后轮候配租；"
                "租期最长3年，租金按同地段市场租金的30%收取。",
            ),
            ("退出", "租期届满、在泉购房或离开泉州的，应在3个月内退出。"),
        ],
    },
    {
        "slug": "dongbao-huayuan-zhouzhuanfang-tongzhi",
        "title": "关于将东宝花苑人才限价房调整为人才周转房的通知",
        "number": "泉建房〔2023〕8号",
        "department": HOUSING,
        "issued": date(2023, 5, 6),
        "effective": date(2023, 5, 6),
        "category": "housing",
        "tiers": (),
        "guides": ("rencai-zhouzhuanfang",),
        "summary": "东宝花苑144套人才限价房调整为人才周转房，面向高层次人才配租。",
        "preamble": (
            "为更好满足高层次人才来泉初期的住房需求，经市政府同意，"
            "现将东宝花苑人才限价房调整事项通知如下。"
        ),
        "sections": [
            ("调整范围", "东宝花苑144套人才限价房全部调整为人才周转房，不再对外销售。"),
            (
                "配租安排",
                "房源按《泉州市人才周转房管理办法》配租，首批配租申请自6月1日起受理。",
            ),
        ],
    },
    {
        "slug": "zufang-butie-xize",
        "title": "泉州市高层次人才租房补贴管理细则",
        "number": "泉建房〔2025〕5号",
        "department": HOUSING,
        "issued": date(2025, 3, 18),
        "effective": date(2025, 4, 1),
        "category": "housing",
        "tiers": (5, 6, 7),
        "guides": ("rencai-zhouzhuanfang",),
        "summary": "未购房且未入住周转房的第五至第七层次人才，可按月申领租房补贴，最长3年。",
        "preamble": "为减轻青年人才和骨干人才的租房负担，制定本细则。",
        "sections": [
            (
                "补贴标准",
                "第五层次每月2000元，第六层次每月1500元，第七层次每月1000元。",
            ),
            (
                "申领条件",
                "本人及配偶在泉无自有住房，未入住人才周转房，已签订房屋租赁合同。",
            ),
        ],
    },
    {
        "slug": "zinv-ruxue-banfa-shixing",
        "title": "泉州市高层次人才子女入学照顾实施办法（试行）",
        "number": "泉教基〔2019〕5号",
        "department": EDUCATION,
        "issued": date(2019, 2, 20),
        "effective": date(2019, 3, 1),
        "category": "schooling",
        "tiers": (1, 2, 3, 4, 5),
        "status": "repealed",
        "superseded_by": "zinv-ruxue-banfa",
        "guides": (),
        "summary": "试行阶段的子女入学照顾办法，仅覆盖义务教育阶段，已被2024年办法取代。",
        "preamble": "为解决高层次人才子女入学问题，制定本办法。",
        "sections": [
            (
                "照顾范围",
                "第一至第五层次人才子女申请小学、初中入学的，由教育部门统筹安排。",
            ),
        ],
    },
    {
        "slug": "zinv-ruxue-banfa",
        "title": "泉州市高层次人才子女入学照顾实施办法",
        "number": "泉教基〔2024〕9号",
        "department": EDUCATION,
        "issued": date(2024, 3, 1),
        "effective": date(2024, 3, 15),
        "category": "schooling",
        "tiers": (1, 2, 3, 4, 5, 6, 7),
        "guides": ("zinv-yiwu-jiaoyu-ruxue", "zinv-zhongkao-jiafen"),
        "summary": (
            "高层次人才子女入园、入学、转学按“就近、就优”原则统筹安排，"
            "第一至第三层次人才子女可在全市范围内选择公办学校。"
        ),
        "preamble": (
            "为做好高层次人才子女教育服务，解除人才后顾之忧，"
            "在总结试行经验的基础上制定本办法。"
        ),
        "sections": [
            (
                "照顾范围",
                "经认定的第一至第七层次人才子女，申请幼儿园入园、小学和初中入学、"
                "转学以及中考照顾的，适用本办法。",
            ),
            (
                "照顾方式",
                [
                    "第一至第三层次人才子女可在全市范围内选择公办学校就读。",
                    "第四、第五层次人才子女在居住地所在县（市、区）范围内选择学校。",
                    "第六、第七层次人才子女由居住地教育部门就近安排。",
                ],
            ),
        ],
    },
    {
        "slug": "zhongkao-jiafen-guiding",
        "title": "泉州市中考照顾加分政策规定",
        "number": "泉教考〔2025〕3号",
        "department": EDUCATION,
        "issued": date(2025, 4, 8),
        "effective": date(2025, 4, 8),
        "category": "schooling",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("zinv-zhongkao-jiafen",),
        "summary": "第一至第五层次人才子女参加泉州市中考可享受照顾加分，加分只享受一项，不累计。",
        "preamble": "为规范中考照顾加分工作，维护考试招生公平，制定本规定。",
        "sections": [
            ("加分标准", "第一至第三层次人才子女加10分，第四、第五层次人才子女加5分。"),
            ("审核公示", "照顾加分对象经教育部门审核后，在招生考试网站公示5个工作日。"),
        ],
    },
    {
        "slug": "2026-zinv-ruxue-tongzhi",
        "title": "关于做好2026年高层次人才子女入学工作的通知",
        "number": "泉教基〔2026〕6号",
        "department": EDUCATION,
        "issued": date(2026, 3, 30),
        "effective": date(2026, 3, 30),
        "category": "schooling",
        "tiers": (),
        "guides": ("zinv-yiwu-jiaoyu-ruxue",),
        "summary": "2026年秋季高层次人才子女入学申请于4月1日至5月15日在线受理。",
        "preamble": "为做好2026年秋季高层次人才子女入学工作，现将有关事项通知如下。",
        "sections": [
            ("申请时间", "4月1日至5月15日，通过“一站式”服务大厅在线申请。"),
            ("结果告知", "6月30日前通过短信和“我的申请”告知安排结果。"),
        ],
    },
    {
        "slug": "yiliao-baojian-banfa-shixing",
        "title": "泉州市高层次人才医疗保健服务办法（试行）",
        "number": "泉卫〔2019〕31号",
        "department": HEALTH,
        "issued": date(2019, 6, 11),
        "effective": date(2019, 7, 1),
        "category": "healthcare",
        "tiers": (1, 2, 3),
        "status": "amended",
        "superseded_by": "yiliao-baojian-banfa",
        "guides": (),
        "summary": "试行阶段的医疗保健办法，仅覆盖第一至第三层次人才，已于2024年修订。",
        "preamble": "为做好高层次人才医疗保健服务，制定本办法。",
        "sections": [
            ("服务内容", "第一至第三层次人才在市第一医院享受预约诊疗和优先就诊服务。"),
        ],
    },
    {
        "slug": "yiliao-baojian-banfa",
        "title": "泉州市高层次人才医疗保健服务办法",
        "number": "泉卫〔2024〕35号",
        "department": HEALTH,
        "issued": date(2024, 8, 20),
        "effective": date(2024, 9, 1),
        "category": "healthcare",
        "tiers": (1, 2, 3, 4, 5, 6, 7),
        "guides": ("yiliao-baojian-fuwu", "niandu-jiankang-tijian"),
        "summary": (
            "第一至第五层次人才办理医疗保健证，在定点医院享受就医绿色通道；"
            "第一至第七层次人才每年免费体检一次。"
        ),
        "preamble": "为进一步做好高层次人才医疗保健服务，制定本办法。",
        "sections": [
            (
                "定点医院",
                "市第一医院、市人民医院、市中医院为高层次人才医疗保健定点医院。",
            ),
            (
                "服务内容",
                [
                    "第一至第五层次人才凭医疗保健证享受预约诊疗、优先就诊和专家会诊。",
                    "第一至第七层次人才每年在定点医院免费健康体检一次。",
                    "为第一至第三层次人才提供家庭医生签约服务。",
                ],
            ),
        ],
    },
    {
        "slug": "2026-jiankang-tijian-fangan",
        "title": "2026年度高层次人才健康体检工作方案",
        "number": "泉卫〔2026〕12号",
        "department": HEALTH,
        "issued": date(2026, 3, 5),
        "effective": date(2026, 3, 5),
        "category": "healthcare",
        "tiers": (),
        "guides": ("niandu-jiankang-tijian",),
        "summary": "2026年度健康体检自4月起在三家定点医院分批进行，在线预约体检时间。",
        "preamble": (
            "根据《泉州市高层次人才医疗保健服务办法》，制定2026年度高层次人才"
            "健康体检工作方案。"
        ),
        "sections": [
            ("体检时间", "4月1日至11月30日，每周二、周四上午。"),
            (
                "体检项目",
                "基础项目含血常规、肝肾功能、心电图、腹部彩超和胸部CT；"
                "第一至第三层次人才增加肿瘤标志物和心脏彩超。",
            ),
        ],
    },
]
