"""Policies on talent funds, innovation and foreign experts."""

from datetime import date

FINANCE = "泉州市财政局"
SCIENCE = "泉州市科学技术局"

POLICIES = [
    {
        "slug": "rencai-zhuanxiang-zijin-banfa-2019",
        "title": "泉州市人才专项资金管理暂行办法",
        "number": "泉财行〔2019〕8号",
        "department": FINANCE,
        "issued": date(2019, 4, 3),
        "effective": date(2019, 5, 1),
        "category": "funding",
        "tiers": (),
        "status": "repealed",
        "superseded_by": "rencai-zhuanxiang-zijin-banfa",
        "guides": (),
        "summary": "2019年人才专项资金管理暂行办法，已被2024年《泉州市人才专项资金管理办法》取代。",
        "preamble": "为规范人才专项资金管理，提高资金使用效益，制定本办法。",
        "sections": [
            ("资金来源", "人才专项资金由市级财政预算安排。"),
            ("使用范围", "用于人才引进、培养、奖励和服务保障。"),
        ],
    },
    {
        "slug": "rencai-zhuanxiang-zijin-banfa",
        "title": "泉州市人才专项资金管理办法",
        "number": "泉财规〔2024〕1号",
        "department": FINANCE,
        "issued": date(2024, 1, 22),
        "effective": date(2024, 3, 1),
        "until": date(2029, 2, 28),
        "category": "funding",
        "tiers": (),
        "guides": ("yincai-jiangli", "anjia-buzhu"),
        "summary": (
            "人才专项资金实行预算管理、分级负担和绩效评价，"
            "用人单位全职引进第一至第五层次人才的给予引才奖励。"
        ),
        "preamble": (
            "为加强人才专项资金管理，保障人才“港湾计划”各项待遇及时兑现，制定本办法。"
        ),
        "sections": [
            (
                "资金使用范围",
                [
                    "高层次人才安家补助、生活补贴和购房补贴。",
                    "高层次人才团队和创新创业项目资助。",
                    "用人单位引才奖励。",
                    "人才服务平台建设和运行。",
                ],
            ),
            (
                "引才奖励",
                "用人单位全职引进第一至第五层次人才的，按每人5万元至50万元"
                "给予一次性引才奖励。",
            ),
            ("分级负担", "市级人才待遇由市、县两级财政按5:5比例分担。"),
        ],
    },
    {
        "slug": "rencai-zijin-jixiao-pingjia-banfa",
        "title": "泉州市人才专项资金绩效评价办法",
        "number": "泉财行〔2025〕15号",
        "department": FINANCE,
        "issued": date(2025, 6, 9),
        "effective": date(2025, 7, 1),
        "category": "funding",
        "tiers": (),
        "guides": (),
        "summary": "每年对人才专项资金开展绩效评价，评价结果与下一年度预算安排挂钩。",
        "preamble": "为提高人才专项资金使用绩效，制定本办法。",
        "sections": [
            (
                "评价内容",
                "评价资金到位率、待遇兑现及时率、人才留泉率和用人单位满意度等指标。",
            ),
            ("结果运用", "评价结果作为下一年度预算安排和政策调整的重要依据。"),
        ],
    },
    {
        "slug": "chuangxin-chuangye-zizhu-banfa",
        "title": "泉州市高层次人才创新创业项目资助管理办法",
        "number": "泉科〔2024〕22号",
        "department": SCIENCE,
        "issued": date(2024, 6, 3),
        "effective": date(2024, 7, 1),
        "category": "innovation",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("chuangxin-chuangye-zizhu",),
        "summary": (
            "高层次人才在泉领办创办科技型企业或承担企业重大技术攻关项目的，"
            "经评审给予20万元至200万元项目资助。"
        ),
        "preamble": (
            "为鼓励高层次人才在泉创新创业，推动科技成果转化和产业化，制定本办法。"
        ),
        "sections": [
            (
                "资助对象",
                "在泉领办创办科技型企业的高层次人才，以及承担企业重大技术攻关项目的"
                "高层次人才。",
            ),
            (
                "资助标准",
                [
                    "创业项目：给予50万元至200万元资助。",
                    "技术攻关项目：按项目研发投入的30%给予资助，最高100万元。",
                    "成长性好的项目可追加资助，最高50万元。",
                ],
            ),
        ],
    },
    {
        "slug": "waiguo-gaoduan-rencai-fuwu-banfa",
        "title": "泉州市外国高端人才服务实施办法",
        "number": "泉科〔2023〕17号",
        "department": SCIENCE,
        "issued": date(2023, 11, 2),
        "effective": date(2023, 12, 1),
        "category": "entry-exit",
        "tiers": (),
        "guides": ("waiguo-gaoduan-rencai-gongzuo-xuke",),
        "summary": (
            "外国高端人才（A类）工作许可实行“告知+承诺”和容缺受理，"
            "最长可一次性办理5年。"
        ),
        "preamble": "为做好外国高端人才来泉工作服务，优化审批流程，制定本办法。",
        "sections": [
            (
                "便利措施",
                [
                    "外国高端人才（A类）实行“告知+承诺”，部分材料可承诺后补。",
                    "工作许可最长可一次性办理5年。",
                    "凭外国高端人才确认函可申请人才签证。",
                ],
            ),
        ],
    },
    {
        "slug": "xinxing-yanfa-jigou-rending-banfa",
        "title": "泉州市新型研发机构认定管理办法",
        "number": "泉科〔2025〕11号",
        "department": SCIENCE,
        "issued": date(2025, 3, 6),
        "effective": date(2025, 4, 1),
        "category": "innovation",
        "tiers": (),
        "guides": ("chuangxin-chuangye-zizhu",),
        "summary": (
            "高校院所在泉设立的新型研发机构经认定后，给予最高500万元建设补助，"
            "并优先推荐申报人才团队项目。"
        ),
        "preamble": (
            "为打通高校院所人才、技术和项目协同创新通道，推动新型研发机构建设，"
            "制定本办法。"
        ),
        "sections": [
            (
                "认定条件",
                "在泉注册的独立法人机构，研发人员占比不低于30%，年度研发经费"
                "支出不低于500万元。",
            ),
            ("支持措施", "经认定的给予最高500万元建设补助，引进人才优先享受人才待遇。"),
        ],
    },
    {
        "slug": "2025-chuangxin-chuangye-shenbao-tongzhi",
        "title": "关于组织申报2025年度高层次人才创新创业项目的通知",
        "number": "泉科〔2025〕19号",
        "department": SCIENCE,
        "issued": date(2025, 5, 12),
        "effective": date(2025, 5, 12),
        "category": "innovation",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("chuangxin-chuangye-zizhu",),
        "summary": "2025年度创新创业项目申报截止6月30日，重点支持新材料、智能制造和数字经济。",
        "preamble": "现将2025年度高层次人才创新创业项目申报有关事项通知如下。",
        "sections": [
            ("支持方向", "新材料、智能制造、数字经济、生物医药和现代纺织鞋服。"),
            ("申报时间", "即日起至6月30日，逾期不予受理。"),
        ],
    },
]
