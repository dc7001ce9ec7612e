"""Canonical answers for the bulk demo cases, generated from a form definition.

``answers_for`` walks a definition in order, honours its conditions (a field whose
condition does not hold is left out, as forms.builder.engine.evaluate leaves it out) and
produces for every field type the canonical value that submitting the form would
store: text, ISO dates, numbers as forms.builder.engine.canonical writes them, regions as
{"code", "name"}, personal IDs as {"kind", "number"} (sealed afterwards with
forms.builder.engine.seal_answers), groups as lists of row dicts. Files are skipped: the
bulk demo cases carry no uploaded blobs.

Values come from a ``Person`` (the applicant's own details) and from pools of
plausible texts picked by field key; an unknown key gets a neutral demo text that
still satisfies the item's limits.
"""

import datetime
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from cms.core.identifiers import luhn_valid, resident_id_check_char
from forms.builder.engine import canonical, is_visible, split_steps
from forms.builder.fields import region_name


@dataclass(frozen=True)
class Person:
    name: str
    gender: str  # 男 | 女
    birth: datetime.date
    id_kind: str  # resident | passport
    id_number: str
    mobile: str
    email: str
    nationality: str
    division: str  # region code of where they work
    employer_name: str
    employer_uscc: str
    chinese_name: str = ""

    @property
    def foreign(self) -> bool:
        return self.id_kind != "resident"


def resident_id(division: str, birth: datetime.date, sequence: int, male: bool) -> str:
    """An invented resident ID with a correct GB 11643 check character; the
    sequence's last digit is odd for men and even for women."""
    sequence = sequence % 500 * 2 + (1 if male else 0)
    first17 = f"{division}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢洪郭苏庄施曾何傅颜柯骆戴"
GIVEN = [
    "志远", "雅琳", "建华", "晓东", "婉婷", "俊杰", "思涵", "国强", "丽萍", "泽宇",
    "欣怡", "文博", "海峰", "静怡", "子轩", "明辉", "佳慧", "永福", "春燕", "浩然",
    "梦洁", "振宇", "晓梅", "一鸣", "诗琪", "宏伟", "秋月", "嘉豪", "若曦", "天佑",
]  # fmt: skip
FOREIGN_NAMES = [
    ("SCHMIDT JONAS", "施密特", "德国", "男"),
    ("GARCIA ELENA", "加西亚", "其他国家或地区", "女"),
    ("TANAKA HIROSHI", "田中宏", "日本", "男"),
    ("KIM MINJUN", "金敏俊", "韩国", "男"),
    ("SMITH OLIVIA", "史密斯", "美国", "女"),
    ("DUBOIS CLAIRE", "杜布瓦", "法国", "女"),
    ("TAN WEI MING", "陈伟明", "新加坡", "男"),
    ("WILSON JAMES", "威尔逊", "英国", "男"),
]
UNIVERSITIES = [
    "厦门大学", "福州大学", "华侨大学", "浙江大学", "清华大学", "中国科学技术大学",
    "同济大学", "武汉大学", "中山大学", "哈尔滨工业大学", "泉州师范学院", "集美大学",
]  # fmt: skip
MAJORS = [
    "材料科学与工程", "机械工程", "计算机科学与技术", "化学工程与技术", "临床医学",
    "电子信息工程", "工商管理", "纺织科学与工程", "控制科学与工程", "生物医学工程",
]  # fmt: skip
POSITIONS = [
    "研发中心主任", "技术总监", "首席工程师", "高级工程师", "主任医师", "产品经理",
    "工艺工程师", "项目负责人", "副总经理", "实验室主任", "高级技师",
]  # fmt: skip
TITLES = ["正高级工程师", "高级工程师", "主任医师", "副主任医师", "高级技师", "研究员"]
BANKS = ["中国工商银行泉州分行", "中国建设银行晋江分行", "中国银行泉州分行",
         "泉州银行丰泽支行", "兴业银行泉州分行"]  # fmt: skip
STREETS = ["丰泽街", "刺桐路", "田安路", "泉秀路", "世纪大道", "宝洲路", "温陵路"]
SCHOOLS = ["泉州市实验小学", "丰泽区第二实验小学", "晋江市第一中学", "泉州第五中学",
           "南安市实验中学", "石狮市第二实验小学"]  # fmt: skip
PREVIOUS_EMPLOYERS = ["厦门市湖里区人民政府办公室", "福州市第一医院", "漳州市教育局",
                      "深圳华强电子有限公司", "上海交通大学附属中学"]  # fmt: skip

# The higher tiers are rare: weights from 第一层次 to 第七层次.
TIER_WEIGHTS = [1, 2, 4, 8, 14, 20, 24]


def card_number(rng: random.Random) -> str:
    """A 19-digit UnionPay card number with a valid Luhn check digit."""
    body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(16))
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def _text(rng: random.Random, key: str, person: Person) -> str | None:
    """A plausible text for a field by its key; None when the key is unknown."""
    district = region_name(person.division).split(" ")[-1]
    values = {
        "full_name": person.name,
        "account_holder": person.name,
        "chinese_name": person.chinese_name,
        "employer_name": person.employer_name,
        "position": rng.choice(POSITIONS),
        "professional_title": rng.choice(TITLES),
        "school": rng.choice(UNIVERSITIES),
        "major": rng.choice(MAJORS),
        "spouse_major": rng.choice(MAJORS),
        "certificate_number": f"QZGC-{rng.randint(2021, 2025)}-{rng.randint(1, 9999):04d}",
        "bank_name": rng.choice(BANKS),
        "bank_account": card_number(rng),
        "work_permit_number": "3505"
        + "".join(str(rng.randint(0, 9)) for _ in range(14)),
        "member_passport": "E" + "".join(str(rng.randint(0, 9)) for _ in range(8)),
        "current_school": rng.choice(SCHOOLS),
        "preferred_school": rng.choice(SCHOOLS),
        "spouse_previous_employer": rng.choice(PREVIOUS_EMPLOYERS),
        "spouse_previous_position": rng.choice(["科员", "主治医师", "教师", "工程师"]),
        "spouse_title": rng.choice(["中级", "副高级", "初级"]),
        "current_rank": rng.choice(["二级主任科员", "四级主任科员", "专技十级"]),
        "qualification_detail": "对照认定标准目录第"
        f"{rng.randint(1, 12)}条：全职引进，与我市用人单位签订5年劳动合同。",
        "honours": f"{rng.randint(2020, 2025)}年 省级科学技术进步奖（排名第"
        f"{rng.randint(1, 5)}）\n授权发明专利 {rng.randint(1, 9)} 项",
        "other_subsidy_detail": "曾领取原工作地人才租房补贴，已于入职前停止。",
        "remarks": "希望安排在专业相关岗位。",
    }
    for address in ("house_address", "rental_address", "residence_address"):
        values[address] = (
            f"{district}{rng.choice(STREETS)} {rng.randint(1, 399)} 号"
            f" {rng.randint(1, 30)} 栋 {rng.randint(1, 28)}0{rng.randint(1, 4)} 室"
        )
    if key in ("spouse_name", "child_name", "member_name"):
        if person.foreign:
            return f"{person.name.split(' ')[0]} {rng.choice(['ANNA', 'LEO', 'MIA'])}"
        surname = person.name[0] if key == "child_name" else rng.choice(SURNAMES)
        return surname + rng.choice(GIVEN)
    return values.get(key)


def _fits(item: dict, text: str) -> bool:
    pattern = item.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        return False
    return len(text) <= (item.get("max_length") or 100)


def _day_between(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _date(rng, item: dict, key: str, person: Person, on: datetime.date):
    low = datetime.date.fromisoformat(item.get("min_date") or "2015-01-01")
    high = datetime.date.fromisoformat(item.get("max_date") or on.isoformat())
    if key == "birth_date":
        return person.birth
    if key == "child_birth_date":
        low = max(low, datetime.date(2011, 1, 1))
    elif key == "member_birth_date":
        low = max(low, datetime.date(1980, 1, 1))
    elif key == "graduation_date":
        low = person.birth.replace(year=person.birth.year + 23)
        high = min(high, person.birth.replace(year=person.birth.year + 30))
    elif key in ("passport_expiry", "work_permit_expiry"):
        low, high = (
            on + datetime.timedelta(days=400),
            on + datetime.timedelta(days=2000),
        )
    elif key == "join_date":
        low = max(low, person.birth.replace(year=person.birth.year + 25))
    if item.get("not_in_future"):
        high = min(high, on)
    return _day_between(rng, low, max(low, high))


def _number(rng, item: dict, key: str) -> Decimal:
    ranges = {
        "purchase_price": (900_000, 3_200_000),
        "floor_area": (78, 168),
        "monthly_rent": (1500, 5200),
        "expected_salary": (8000, 30000),
    }
    low = Decimal(str(item.get("min_value") or 0))
    high = Decimal(str(item.get("max_value") or 1000))
    low, high = ranges.get(key, (low, high))
    places = int(item.get("decimal_places") or 0)
    value = Decimal(rng.randint(int(low), int(high)))
    if places:
        value += Decimal(rng.randint(0, 99)) / 100
        value = value.quantize(Decimal(1).scaleb(-places))
    return value


def value_for(rng, item: dict, person: Person, on: datetime.date, sequence: int):
    """One field's canonical value (None: left empty)."""
    kind, key = item["type"], item.get("key") or ""
    if kind == "bank_account":
        return card_number(rng)
    if kind in ("short_text", "long_text", "address"):
        text = _text(rng, key, person)
        if text is None or not _fits(item, text):
            text = "演示数据" if kind == "long_text" else "演示"
        return text or None
    if kind == "number":
        return canonical(kind, _number(rng, item, key))
    if kind == "date":
        return canonical(kind, _date(rng, item, key, person, on))
    if kind in ("single_choice", "dropdown"):
        choices = item.get("choices") or []
        if key == "gender" and person.gender in choices:
            return person.gender
        if key == "nationality" and person.nationality in choices:
            return person.nationality
        if key == "tier" and len(choices) == len(TIER_WEIGHTS):
            return rng.choices(choices, weights=TIER_WEIGHTS)[0]
        return rng.choice(choices)
    if kind == "multiple_choice":
        choices = item.get("choices") or []
        return rng.sample(choices, k=min(len(choices), rng.randint(1, 2)))
    if kind == "yes_no":
        return rng.choice(["yes", "no"])
    if kind == "email":
        return person.email
    if kind == "mobile":
        if key == "mobile":
            return person.mobile
        return f"139{rng.randint(10000000, 99999999)}"
    if kind == "personal_id":
        kinds = item.get("id_kinds") or ["resident"]
        if key == "id_document" and person.id_kind in kinds:
            return {"kind": person.id_kind, "number": person.id_number}
        if "resident" in kinds and not person.foreign:
            birth = _date(rng, {"not_in_future": True}, "", person, on)
            if key == "spouse_id":
                birth = person.birth + datetime.timedelta(days=rng.randint(-900, 900))
            return {
                "kind": "resident",
                "number": resident_id(
                    person.division,
                    birth,
                    sequence + rng.randint(0, 400),
                    rng.random() < 0.5,
                ),
            }
        return {"kind": "passport", "number": f"E{rng.randint(10000000, 99999999)}"}
    if kind == "uscc":
        return person.employer_uscc
    if kind == "region":
        code = person.division
        return {"code": code, "name": region_name(code)}
    if kind == "consent":
        return True
    return None


def _group_rows(rng, item: dict, person: Person, on, sequence: int) -> list[dict]:
    low = max(int(item.get("min_rows") or 0), 0 if not item.get("required") else 1)
    count = rng.randint(low, max(low, min(2, int(item.get("max_rows") or 2))))
    rows = []
    for number in range(count):
        row = {}
        for sub in item["fields"]:
            row[sub["key"]] = value_for(
                rng, sub, person, on, sequence + 37 * (number + 1)
            )
        _align_child(row)
        rows.append(row)
    return rows


def _align_child(row: dict) -> None:
    """A child's resident ID carries the child's birth date."""
    sealed = row.get("child_id")
    if not (isinstance(sealed, dict) and sealed.get("kind") == "resident"):
        return
    birth = row.get("child_birth_date")
    if birth:
        number = sealed["number"]
        first17 = number[:6] + birth.replace("-", "") + number[14:17]
        sealed["number"] = first17 + resident_id_check_char(first17)


def answers_for(
    definition: list[dict],
    title: str,
    person: Person,
    rng: random.Random,
    on: datetime.date,
    sequence: int = 0,
) -> dict:
    """Canonical (unsealed) answers to every visible field but files."""
    answers: dict = {}
    for step in split_steps(definition, title):
        if not is_visible(step, answers):
            continue
        for entry in step.field_entries:
            item = entry.item
            if entry.type == "file" or not is_visible(entry, answers):
                continue
            required = item.get("required", True)
            if entry.type == "group":
                answers[entry.key] = _group_rows(rng, item, person, on, sequence)
                continue
            if not required and entry.type != "email" and rng.random() < 0.4:
                answers[entry.key] = [] if entry.type == "multiple_choice" else None
                continue
            answers[entry.key] = value_for(rng, item, person, on, sequence)
    return answers
