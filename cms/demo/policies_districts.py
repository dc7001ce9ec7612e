"""Policies of the districts' own departments (晋江, 南安)."""

from datetime import date

JINJIANG_RSJ = "晋江市人力资源和社会保障局"
NANAN_RSJ = "南安市人力资源和社会保障局"

POLICIES = [
    {
        "slug": "jinjiang-rencai-anju-banfa",
        "title": "晋江市人才安居工程实施办法",
        "number": "晋人社〔2024〕20号",
        "department": JINJIANG_RSJ,
        "issued": date(2024, 7, 5),
        "effective": date(2024, 8, 1),
        "category": "housing",
        "tiers": (),
        "guides": ("jinjiang-anju-buzhu",),
        "summary": (
            "在晋江全职工作的高层次人才购房或租房的，可在市级待遇基础上叠加享受"
            "晋江市级安居补助。"
        ),
        "preamble": "为吸引和留住人才在晋江安居乐业，制定本办法。",
        "sections": [
            (
                "补助标准",
                [
                    "购房补助：按市级购房补贴的50%叠加给予。",
                    "租房补助：每人每月800元至2000元，最长3年。",
                ],
            ),
        ],
    },
    {
        "slug": "jinjiang-qiye-yincai-buzhu-banfa",
        "title": "晋江市企业引才补助申领办法",
        "number": "晋人社〔2025〕9号",
        "department": JINJIANG_RSJ,
        "issued": date(2025, 4, 16),
        "effective": date(2025, 5, 1),
        "category": "funding",
        "tiers": (),
        "guides": (),
        "summary": "晋江企业通过猎头或招聘会引进高层次人才的，按引才费用的50%给予补助。",
        "preamble": "为鼓励企业引进高层次人才，降低企业引才成本，制定本办法。",
        "sections": [
            (
                "补助标准",
                "企业委托人力资源服务机构引进高层次人才的，按实际支付费用的50%给予"
                "补助，每引进1人最高10万元。",
            ),
        ],
    },
    {
        "slug": "nanan-rencai-anju-banfa",
        "title": "南安市人才安居保障办法",
        "number": "南人社〔2025〕8号",
        "department": NANAN_RSJ,
        "issued": date(2025, 2, 12),
        "effective": date(2025, 3, 1),
        "category": "housing",
        "tiers": (),
        "guides": ("nanan-goufang-zufang-buzhu",),
        "summary": "在南安全职工作的高层次人才可通过“南安智酷”平台在线申请购（租）房补助。",
        "preamble": "为优化南安人才发展环境，落实人才住房保障，制定本办法。",
        "sections": [
            (
                "补助标准",
                "购房补助按人才层次给予5万元至50万元；"
                "租房补助每人每月600元至1500元，最长3年。",
            ),
            ("申请方式", "通过“南安智酷”人才服务平台在线申请，全程网上办理。"),
        ],
    },
    {
        "slug": "nanan-zhiku-pingtai-guanli-banfa",
        "title": "“南安智酷”人才服务平台管理办法",
        "number": "南人社〔2024〕15号",
        "department": NANAN_RSJ,
        "issued": date(2024, 9, 20),
        "effective": date(2024, 10, 1),
        "category": "general",
        "tiers": (),
        "guides": (),
        "summary": "规范“南安智酷”平台的人才申报、待遇兑现和数据共享，与市级大厅数据互通。",
        "preamble": "为规范“南安智酷”人才服务平台的运行管理，制定本办法。",
        "sections": [
            (
                "平台功能",
                "提供网上人才申报、子女就学和购（租）房补助兑现，"
                "以及机械装备科技创新服务中心的技术对接服务。",
            ),
            (
                "数据共享",
                "平台与泉州市高层次人才“一站式”服务大厅数据互通，避免重复提交。",
            ),
        ],
    },
]
