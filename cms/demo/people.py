"""Demo employers and one account for every role.

Employers are invented; their unified social credit codes are built the way
GB 32100 builds them (registration authority and type, the district's division
code, a GB 11714 organisation code with its own check digit, then the check
character), so that every validator accepts them.
"""

from cms.core.identifiers import uscc_check_char
from forms.casework.roles import (
    APPROVERS,
    PUBLICITY,
    REVIEWERS,
    STATISTICS,
    WINDOW_CLERKS,
)

ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORGANISATION_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organisation_code(first8: str) -> str:
    """A GB 11714 organisation code: eight characters and their check digit."""
    total = sum(
        ORGANISATION_CODE_CHARS.index(char) * weight
        for char, weight in zip(first8, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return first8 + {10: "X", 11: "0"}.get(check, str(check))


def build_uscc(kind: str, division_code: str, first8: str) -> str:
    """kind is the authority-and-type pair: 91 enterprise, 12 public institution."""
    first17 = kind + division_code + organisation_code(first8)
    return first17 + uscc_check_char(first17)


# (name, kind, district, organisation code body, industry, address, phone)
EMPLOYERS = [
    (
        "泉州清源新材料科技有限公司",
        "91",
        "丰泽区",
        "MA2Y8K3L",
        "新材料",
        "丰泽区东海街道通港西街 188 号",
        "0595-22180101",
    ),
    (
        "晋江鸿图运动用品有限公司",
        "91",
        "晋江市",
        "70512836",
        "纺织鞋服",
        "晋江市陈埭镇江滨路 66 号",
        "0595-22180102",
    ),
    (
        "南安恒达机械装备有限公司",
        "91",
        "南安市",
        "MA31C9T4",
        "机械制造",
        "南安市经济开发区科技路 9 号",
        "0595-22180103",
    ),
    (
        "泉港海湾石化工程有限公司",
        "91",
        "泉港区",
        "61120457",
        "石油化工",
        "泉港区南埔镇石化园区 3 号路",
        "0595-22180104",
    ),
    (
        "泉州数港信息技术有限公司",
        "91",
        "鲤城区",
        "MA8N2B6W",
        "科技信息",
        "鲤城区江南街道紫华路 20 号",
        "0595-22180105",
    ),
    (
        "泉州市滨海医院",
        "12",
        "丰泽区",
        "48803712",
        "医疗卫生",
        "丰泽区滨海街 1 号",
        "0595-22180106",
    ),
]


def employer_rows() -> list[dict]:
    """The employers as model fields, with their district's name to resolve."""
    from .units import DISTRICTS

    codes = {name: code for name, code, *_ in DISTRICTS}
    return [
        {
            "name": name,
            "uscc": build_uscc(kind, codes[district], first8),
            "district": district,
            "industry": industry,
            "address": address,
            "contact_phone": phone,
        }
        for name, kind, district, first8, industry, address, phone in EMPLOYERS
    ]


HOUSING = "泉州市住房和城乡建设局"
RSJ = "泉州市人力资源和社会保障局"

# "groups" names city roles; "unit_group" is ("editors" | "moderators" |
# "casework") of the account's department (or district, for casework), whose
# group name the provisioning chose.
ACCOUNTS = [
    {
        "username": "demo-talent",
        "role": "人才",
        "real_name": "陈明哲",
        "kind": "talent",
        "mobile": "13800000001",
        "employer": "泉州清源新材料科技有限公司",
        "district": "丰泽区",
    },
    {
        "username": "demo-employer",
        "role": "用人单位经办人",
        "real_name": "林秀玲",
        "kind": "employer",
        "mobile": "13800000002",
        "employer": "泉州清源新材料科技有限公司",
        "district": "丰泽区",
    },
    {
        "username": "demo-clerk",
        "role": "前台受理（窗口）",
        "real_name": "黄思远",
        "kind": "staff",
        "department": RSJ,
        "groups": [WINDOW_CLERKS],
    },
    {
        "username": "demo-prereview",
        "role": "县区初审（丰泽区）",
        "real_name": "王建平",
        "kind": "staff",
        "district": "丰泽区",
        "unit_group": "casework",
    },
    {
        "username": "demo-reviewer",
        "role": "后台审核 / 专员",
        "real_name": "郑雅琴",
        "kind": "staff",
        "department": RSJ,
        "groups": [REVIEWERS, APPROVERS, STATISTICS],
    },
    {
        "username": "demo-handler",
        "role": "职能部门经办（住建局）",
        "real_name": "蔡志强",
        "kind": "staff",
        "department": HOUSING,
        "unit_group": "casework",
    },
    {
        "username": "demo-publicity",
        "role": "公示",
        "real_name": "许丽娟",
        "kind": "staff",
        "department": RSJ,
        "groups": [PUBLICITY],
    },
    {
        "username": "demo-editor",
        "role": "部门编辑（住建局）",
        "real_name": "李晓燕",
        "kind": "staff",
        "department": HOUSING,
        "unit_group": "editors",
    },
    {
        "username": "demo-moderator",
        "role": "部门审核发布（住建局）",
        "real_name": "吴国栋",
        "kind": "staff",
        "department": HOUSING,
        "unit_group": "moderators",
    },
    {
        "username": "demo-admin",
        "role": "系统管理员",
        "real_name": "张立新",
        "kind": "staff",
        "superuser": True,
    },
]
