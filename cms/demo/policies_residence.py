"""Policies on household registration, residence and entry and exit."""

from datetime import date

POLICE = "泉州市公安局"
EXIT_ENTRY = "泉州市公安局出入境管理支队"

POLICIES = [
    {
        "slug": "fangkuan-luohu-tiaojian-yijian",
        "title": "泉州市进一步放宽城镇落户条件的实施意见",
        "number": "泉公〔2023〕21号",
        "department": POLICE,
        "issued": date(2023, 9, 12),
        "effective": date(2023, 10, 1),
        "category": "residence",
        "tiers": (),
        "guides": ("rencai-luohu",),
        "summary": (
            "高层次人才及其配偶、未成年子女可在工作地、实际居住地或单位集体户落户，"
            "实行“先落户、后就业”。"
        ),
        "preamble": (
            "为促进人口和人才向城镇有序流动，进一步放宽我市城镇落户条件，"
            "提出本实施意见。"
        ),
        "sections": [
            (
                "人才落户",
                [
                    "经认定的高层次人才可在工作地、实际居住地或单位集体户落户。",
                    "全日制大专以上学历人员实行“先落户、后就业”。",
                    "高层次人才的配偶、未成年子女和父母可随迁落户。",
                ],
            ),
            ("办理时限", "材料齐全的当场受理，3个工作日内办结。"),
        ],
    },
    {
        "slug": "luohu-shixing-guiding",
        "title": "泉州市引进人才落户暂行规定",
        "number": "泉公〔2018〕15号",
        "department": POLICE,
        "issued": date(2018, 8, 1),
        "effective": date(2018, 8, 1),
        "category": "residence",
        "tiers": (),
        "status": "repealed",
        "superseded_by": "fangkuan-luohu-tiaojian-yijian",
        "guides": (),
        "summary": "2018年引进人才落户暂行规定，要求先就业后落户，已被2023年实施意见取代。",
        "preamble": "为做好引进人才落户工作，制定本规定。",
        "sections": [
            ("落户条件", "引进人才须与在泉用人单位签订劳动合同满6个月后方可申请落户。"),
        ],
    },
    {
        "slug": "waiji-rencai-churujing-bianli-cuoshi",
        "title": "关于为外籍高层次人才提供出入境和停居留便利的若干措施",
        "number": "泉公出入境〔2024〕6号",
        "department": EXIT_ENTRY,
        "issued": date(2024, 4, 25),
        "effective": date(2024, 5, 1),
        "category": "entry-exit",
        "tiers": (),
        "guides": ("waiji-rencai-duoci-qianzheng", "waiji-rencai-juliu-xuke"),
        "summary": (
            "外籍高层次人才可申请最长5年、每次停留不超过180天的多次签证；"
            "有留泉意愿的人才及其配偶、子女可申请2—5年居留许可。"
        ),
        "preamble": (
            "为吸引和便利外籍高层次人才来泉创新创业，简化出入境办理程序，制定以下措施。"
        ),
        "sections": [
            (
                "签证便利",
                "对外籍高层次人才签发有效期最长5年、每次停留期不超过180天的"
                "多次入出境有效签证。",
            ),
            (
                "居留便利",
                "有留泉意愿的外籍高层次人才及其配偶、子女，签发居留期为2—5年的"
                "居留许可证件。",
            ),
            (
                "服务保障",
                "在人才大厦设立出入境业务专窗，实行预约办理、容缺受理和证件邮寄送达。",
            ),
        ],
    },
    {
        "slug": "churujing-zhengjian-lvse-tongdao-tongzhi",
        "title": "关于开设高层次人才出入境证件办理绿色通道的通知",
        "number": "泉公出入境〔2025〕2号",
        "department": EXIT_ENTRY,
        "issued": date(2025, 1, 15),
        "effective": date(2025, 1, 15),
        "category": "entry-exit",
        "tiers": (),
        "guides": ("churujing-zhengjian-lvse-tongdao",),
        "summary": "高层次人才及其配偶、子女申办因私出入境证件可走绿色通道，5个工作日内办结。",
        "preamble": (
            "为方便高层次人才开展国际交流与合作，现就开设出入境证件办理绿色通道"
            "有关事项通知如下。"
        ),
        "sections": [
            (
                "适用范围",
                "经认定的高层次人才及其配偶、未成年子女申办普通护照、往来港澳通行证"
                "和往来台湾通行证。",
            ),
            ("办理时限", "绿色通道5个工作日内办结，急需出境的可申请加急办理。"),
        ],
    },
]
