"""Policies of the human resources and social security bureau: subsidies,
training, young engineers, spouses' jobs and the hall's own rules."""

from datetime import date

RSJ = "泉州市人力资源和社会保障局"

POLICIES = [
    {
        "slug": "anjia-buzhu-xize-2019",
        "title": "泉州市高层次人才安家补助实施细则",
        "number": "泉人社〔2019〕42号",
        "department": RSJ,
        "issued": date(2019, 9, 3),
        "effective": date(2019, 10, 1),
        "category": "funding",
        "tiers": (1, 2, 3, 4, 5),
        "status": "amended",
        "superseded_by": "anjia-buzhu-xize-2025",
        "guides": (),
        "summary": "2019年版安家补助细则，补助一次性发放，已于2025年修订为分期发放。",
        "preamble": "为落实人才“港湾计划”安家补助政策，制定本细则。",
        "sections": [
            (
                "补助标准",
                "第一至第五层次人才分别给予150万元至10万元安家补助，一次性发放。",
            ),
        ],
    },
    {
        "slug": "anjia-buzhu-xize-2025",
        "title": "泉州市高层次人才安家补助实施细则（2025年修订）",
        "number": "泉人社规〔2025〕3号",
        "department": RSJ,
        "issued": date(2025, 2, 26),
        "effective": date(2025, 4, 1),
        "until": date(2030, 3, 31),
        "category": "funding",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("anjia-buzhu",),
        "summary": (
            "提高安家补助标准，第一层次200万元、第五层次15万元，"
            "改为三年内按4:3:3分期发放，期间须在泉全职工作。"
        ),
        "preamble": (
            "为进一步增强我市对高层次人才的吸引力，提高人才专项资金使用效益，"
            "对安家补助实施细则进行修订。"
        ),
        "sections": [
            (
                "补助标准",
                [
                    "第一层次200万元，第二层次100万元，第三层次60万元。",
                    "第四层次30万元，第五层次15万元。",
                ],
            ),
            (
                "发放方式",
                "补助分三年按4:3:3比例发放；人才在补助期内离开泉州的，停止发放剩余部分。",
            ),
        ],
    },
    {
        "slug": "shenghuo-butie-banfa",
        "title": "泉州市高层次人才生活补贴发放办法",
        "number": "泉人社〔2024〕18号",
        "department": RSJ,
        "issued": date(2024, 3, 22),
        "effective": date(2024, 4, 1),
        "category": "funding",
        "tiers": (6, 7),
        "guides": ("shenghuo-butie",),
        "summary": "第六、第七层次人才和工科类青年专业人才按年度申领生活补贴，最长3年。",
        "preamble": "为支持青年人才和骨干人才在泉安心工作，制定本办法。",
        "sections": [
            (
                "补贴标准",
                [
                    "第六层次人才每人每年3万元。",
                    "第七层次人才和工科类青年专业人才每人每年1.2万元。",
                ],
            ),
            ("发放期限", "生活补贴自认定次月起计算，最长发放3年。"),
        ],
    },
    {
        "slug": "xueshu-yanxiu-zizhu-banfa",
        "title": "泉州市高层次人才学术研修资助办法",
        "number": "泉人社〔2023〕56号",
        "department": RSJ,
        "issued": date(2023, 10, 9),
        "effective": date(2023, 11, 1),
        "category": "training",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("xueshu-yanxiu-zizhu",),
        "summary": "资助高层次人才参加国内外访学研修和国家级高级研修班，每人每年最高5万元。",
        "preamble": "为支持高层次人才更新知识、提升能力，制定本办法。",
        "sections": [
            (
                "资助范围",
                "到国内外知名高校、科研院所访学研修，或参加国家级高级研修班的学费、"
                "差旅费和住宿费。",
            ),
            ("资助标准", "境内研修每人每年最高2万元，境外研修每人每年最高5万元。"),
        ],
    },
    {
        "slug": "gongkelei-qingnian-rencai-tongzhi",
        "title": "关于做好2026年福建省工科类青年专业人才认定工作的通知",
        "number": "泉人社〔2026〕7号",
        "department": RSJ,
        "issued": date(2026, 2, 28),
        "effective": date(2026, 2, 28),
        "category": "talent-recognition",
        "tiers": (7,),
        "guides": ("gongkelei-qingnian-rencai-rending",),
        "summary": "2026年工科类青年专业人才认定实行常态化申报，每季度末集中审核一次。",
        "preamble": (
            "根据省人社厅有关部署，现就做好2026年福建省工科类青年专业人才"
            "认定工作通知如下。"
        ),
        "sections": [
            (
                "申报时间",
                "全年常态化申报，每季度最后一个月集中审核，审核结果次月公示。",
            ),
            (
                "工作要求",
                "各县（市、区）人社部门要主动走访规模以上工业企业，宣传政策，"
                "做到应报尽报。",
            ),
        ],
    },
    {
        "slug": "peiou-jiuye-anzhi-banfa",
        "title": "泉州市高层次人才配偶就业安置办法",
        "number": "泉人社规〔2023〕4号",
        "department": RSJ,
        "issued": date(2023, 6, 30),
        "effective": date(2023, 8, 1),
        "category": "spouse-employment",
        "tiers": (1, 2, 3, 4, 5),
        "guides": ("peiou-jiuye-anzhi",),
        "summary": (
            "随迁配偶原为机关事业单位在编人员的对口安置；暂未就业的，"
            "按当地最低工资标准发放生活补贴，最长2年。"
        ),
        "preamble": "为解决高层次人才的后顾之忧，做好随迁配偶就业安置工作，制定本办法。",
        "sections": [
            (
                "安置方式",
                [
                    "原为机关事业单位在编人员的，按对口原则在相应单位安置。",
                    "原在企业工作的，由人社部门推荐到相关企业就业。",
                    "暂未就业的，按当地最低工资标准按月发放生活补贴，最长2年。",
                ],
            ),
        ],
    },
    {
        "slug": "yizhanshi-fuwu-guicheng",
        "title": "泉州市高层次人才“一站式”服务工作规程",
        "number": "泉人社〔2025〕18号",
        "department": RSJ,
        "issued": date(2025, 5, 16),
        "effective": date(2025, 6, 1),
        "category": "general",
        "tiers": (),
        "guides": (),
        "summary": (
            "规定服务专窗前台受理、后台审核、部门办理和结果反馈的分工与时限，"
            "实行一次性告知、专员服务和全程跟踪。"
        ),
        "preamble": (
            "为规范高层次人才“一站式”服务，实现“让数据多跑路、让人才少跑腿”，"
            "制定本规程。"
        ),
        "sections": [
            (
                "前台受理",
                "窗口前台负责政策咨询、申请受理和办理结果反馈。材料不齐的，"
                "一次性告知需补正的全部内容，不得多次要求补正。",
            ),
            (
                "后台审核",
                "后台负责受理项目的审核，统一对接职能部门，跟踪落实办理结果；"
                "每件申请指定一名专员全程跟踪。",
            ),
            (
                "时限管理",
                "各环节按办事指南公布的承诺时限办结，临近时限的由系统提醒，"
                "超时的纳入部门绩效考核。",
            ),
        ],
    },
]
