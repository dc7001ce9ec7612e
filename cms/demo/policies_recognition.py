"""Policies of the city's talent office: the Harbour Plan, recognition, teams
and rest."""

from datetime import date

TALENT_OFFICE = "中共泉州市委人才工作领导小组办公室"

POLICIES = [
    {
        "slug": "gangwan-jihua",
        "title": "泉州市人才“港湾计划”",
        "number": "泉委发〔2022〕8号",
        "department": TALENT_OFFICE,
        "issued": date(2022, 6, 18),
        "effective": date(2022, 7, 1),
        "category": "general",
        "tiers": (),
        "guides": ("gaocengci-rencai-rending", "gangwan-ka"),
        "summary": (
            "“港湾计划”是我市人才工作的总纲，提出“引得进、留得住、过得好”的目标，"
            "对高层次人才实行一站式服务，在认定、补助、安居、就学、医疗等方面给予支持。"
        ),
        "preamble": (
            "为深入实施人才强市战略，打造人才集聚的“港湾”，让各类高层次人才"
            "引得进、留得住、过得好，制定本计划。"
        ),
        "sections": [
            (
                "总体目标",
                "到2027年，全市人才资源总量达到260万人，高层次人才总量突破3万人，"
                "建成一批产业人才高地，人才服务环境居全省前列。",
            ),
            (
                "主要措施",
                [
                    "实行高层次人才分层次认定，按七个层次给予差异化待遇。",
                    "设立人才专项资金，用于安家补助、生活补贴、团队资助和引才奖励。",
                    "建设人才周转房和人才公寓，解决人才来泉初期的住房问题。",
                    "建立“一站式”服务大厅，实行一窗受理、集中办理、专员服务、全程跟踪。",
                ],
            ),
            (
                "组织保障",
                "市委人才工作领导小组统筹推进本计划，各职能部门按职责制定实施细则，"
                "各县（市、区）结合实际出台配套措施。",
            ),
        ],
    },
    {
        "slug": "rending-pingjia-banfa-shixing",
        "title": "泉州市高层次人才认定和评价办法（试行）",
        "number": "泉委人才〔2018〕3号",
        "department": TALENT_OFFICE,
        "issued": date(2018, 5, 20),
        "effective": date(2018, 6, 1),
        "category": "talent-recognition",
        "tiers": (),
        "status": "repealed",
        "superseded_by": "rending-pingjia-banfa",
        "guides": (),
        "summary": "试行阶段的高层次人才认定办法，按五个层次认定，已被2023年办法取代。",
        "preamble": (
            "为科学评价和认定高层次人才，落实人才“港湾计划”各项待遇，"
            "结合我市实际，制定本办法。"
        ),
        "sections": [
            ("认定层次", "高层次人才分为五个层次，各层次认定标准见附件目录。"),
            (
                "认定方式",
                "认定工作每年集中开展两次，由用人单位申报，经县区初审、市级审核后公示。",
            ),
        ],
    },
    {
        "slug": "rending-pingjia-banfa",
        "title": "泉州市高层次人才认定和评价办法",
        "number": "泉委人才〔2023〕2号",
        "department": TALENT_OFFICE,
        "issued": date(2023, 3, 15),
        "effective": date(2023, 4, 1),
        "until": date(2028, 3, 31),
        "category": "talent-recognition",
        "tiers": (1, 2, 3, 4, 5, 6, 7),
        "guides": ("gaocengci-rencai-rending", "rending-xinxi-biangeng"),
        "summary": (
            "高层次人才分为七个层次，实行常态化网上认定，随时申报、按月审核，"
            "认定结果有效期5年，期满可重新认定。"
        ),
        "preamble": (
            "为建立以能力、业绩和贡献为导向的人才评价机制，"
            "进一步规范我市高层次人才认定工作，制定本办法。"
        ),
        "sections": [
            (
                "适用范围",
                "本办法适用于在泉州市行政区域内全职工作，并与用人单位签订3年以上"
                "劳动（聘用）合同的各类人才。",
            ),
            (
                "认定层次和标准",
                [
                    "第一层次：诺贝尔奖获得者、两院院士等国内外顶尖人才。",
                    "第二层次：国家级重大人才工程入选者等国家级领军人才。",
                    "第三、第四层次：省级领军人才和行业拔尖人才。",
                    "第五至第七层次：市级领军人才、骨干人才和青年优秀人才。",
                ],
            ),
            (
                "认定程序",
                "实行常态化网上认定，用人单位随时在线申报，县（市、区）窗口初审，"
                "市高层次人才服务中心按月集中审核，审核结果公示5个工作日。",
            ),
            (
                "有效期",
                "认定结果有效期5年。有效期内人才离开泉州的，认定资格自动终止。",
            ),
        ],
    },
    {
        "slug": "rending-biaozhun-mulu-2021",
        "title": "泉州市高层次人才认定标准目录（2021年版）",
        "number": "泉委人才〔2021〕5号",
        "department": TALENT_OFFICE,
        "issued": date(2021, 4, 2),
        "effective": date(2021, 4, 2),
        "category": "talent-recognition",
        "tiers": (1, 2, 3, 4, 5),
        "status": "repealed",
        "superseded_by": "rending-biaozhun-mulu-2024",
        "guides": (),
        "summary": "2021年版认定标准目录，按五个层次列明认定条件，已被2024年版取代。",
        "preamble": "根据《泉州市高层次人才认定和评价办法（试行）》，制定本目录。",
        "sections": [
            ("目录结构", "本目录按五个层次列明认定条件，共126条。"),
            ("动态调整", "本目录原则上每三年修订一次。"),
        ],
    },
    {
        "slug": "rending-biaozhun-mulu-2024",
        "title": "泉州市高层次人才认定标准目录（2024年版）",
        "number": "泉委人才〔2024〕1号",
        "department": TALENT_OFFICE,
        "issued": date(2024, 1, 10),
        "effective": date(2024, 2, 1),
        "category": "talent-recognition",
        "tiers": (1, 2, 3, 4, 5, 6, 7),
        "guides": ("gaocengci-rencai-rending",),
        "summary": (
            "2024年版目录与七个层次对应，新增数字经济、先进制造和文旅产业人才的"
            "认定条件，共168条。"
        ),
        "preamble": (
            "根据《泉州市高层次人才认定和评价办法》，结合我市产业发展需要，"
            "对认定标准目录进行修订，形成本目录。"
        ),
        "sections": [
            (
                "主要变化",
                [
                    "层次由五个调整为七个，与认定和评价办法相衔接。",
                    "新增数字经济、先进制造、文旅产业等领域人才认定条件42条。",
                    "将企业年薪和个人所得税贡献纳入第五至第七层次认定条件。",
                ],
            ),
            ("适用说明", "同时符合多条条件的，按就高原则认定，不重复认定。"),
        ],
    },
    {
        "slug": "rencai-tuandui-pingshen-banfa",
        "title": "泉州市引进高层次人才团队评审管理办法",
        "number": "泉委人才〔2023〕6号",
        "department": TALENT_OFFICE,
        "issued": date(2023, 8, 8),
        "effective": date(2023, 9, 1),
        "category": "innovation",
        "tiers": (1, 2, 3),
        "guides": ("rencai-tuandui-zizhu",),
        "summary": (
            "引进到我市重点产业领域的高层次人才团队，按A、B、C三类分别给予最高"
            "1000万元、500万元、200万元资助，资助资金分期拨付。"
        ),
        "preamble": (
            "为加快引进一批带技术、带项目、带资金的高层次人才团队，"
            "推动产业转型升级，制定本办法。"
        ),
        "sections": [
            (
                "评审方式",
                "团队评审采取材料评审、答辩评审和实地考察相结合的方式，"
                "评审专家从省、市专家库中随机抽取。",
            ),
            (
                "资助标准",
                [
                    "A类团队：给予最高1000万元资助。",
                    "B类团队：给予最高500万元资助。",
                    "C类团队：给予最高200万元资助。",
                ],
            ),
            (
                "资金拨付",
                "资助资金按4:3:3比例分三期拨付，后两期根据年度考核结果拨付。",
            ),
        ],
    },
    {
        "slug": "liaoyang-xiujia-banfa",
        "title": "泉州市高层次人才疗养休假管理办法",
        "number": "泉人才办〔2023〕9号",
        "department": TALENT_OFFICE,
        "issued": date(2023, 4, 12),
        "effective": date(2023, 5, 1),
        "category": "recuperation",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("liaoyang-xiujia",),
        "summary": "第一至第五层次人才每三年可参加一次市级疗养休假活动，费用由人才专项资金承担。",
        "preamble": (
            "为关心关爱高层次人才身心健康，营造拴心留人的良好环境，制定本办法。"
        ),
        "sections": [
            (
                "疗养安排",
                "疗养休假每年组织2至3期，每期5天，地点为德化、永春等地的疗养基地。",
            ),
            (
                "参加对象",
                "第一至第五层次人才，近三年未参加过市级疗养休假活动，身体能适应疗养安排。",
            ),
        ],
    },
    {
        "slug": "2026-liaoyang-xiujia-tongzhi",
        "title": "关于开展2026年度高层次人才疗养休假活动的通知",
        "number": "泉人才办〔2026〕4号",
        "department": TALENT_OFFICE,
        "issued": date(2026, 4, 20),
        "effective": date(2026, 4, 20),
        "category": "recuperation",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("liaoyang-xiujia",),
        "summary": "2026年度疗养休假分三期在德化、永春举办，5月31日前在线报名。",
        "preamble": (
            "根据《泉州市高层次人才疗养休假管理办法》，现就开展2026年度高层次人才"
            "疗养休假活动有关事项通知如下。"
        ),
        "sections": [
            (
                "活动安排",
                [
                    "第一期：6月15日至19日，德化县。",
                    "第二期：9月14日至18日，永春县。",
                    "第三期：10月19日至23日，德化县。",
                ],
            ),
            (
                "报名方式",
                "请于5月31日前登录“一站式”服务大厅在线报名，每期名额40人，"
                "按报名先后顺序确定。",
            ),
        ],
    },
    {
        "slug": "fuwu-shixiang-qingdan-tongzhi",
        "title": "关于公布泉州市高层次人才服务事项清单的通知",
        "number": "泉人才办〔2025〕11号",
        "department": TALENT_OFFICE,
        "issued": date(2025, 7, 1),
        "effective": date(2025, 7, 1),
        "category": "general",
        "tiers": (),
        "guides": ("gaocengci-rencai-rending", "gangwan-ka"),
        "summary": (
            "公布由服务专窗统一受理的22项中央、省、市高层次人才政策申报事项，"
            "实行一次性告知和信息公开。"
        ),
        "preamble": (
            "为推进高层次人才服务“一窗受理、集中办理”，现将经梳理的高层次人才"
            "服务事项清单予以公布。"
        ),
        "sections": [
            (
                "清单内容",
                "清单共22项，涵盖人才认定、资金补助、住房安居、子女就学、"
                "进修培训、医疗保健、疗养休假、配偶就业、居留落户等类别。",
            ),
            (
                "工作要求",
                "各职能部门要在大厅发布本部门事项的办事指南，做到一次性告知、"
                "信息公开，并按承诺时限办结。",
            ),
        ],
    },
]
