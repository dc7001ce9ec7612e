"""The demo cases' setting: the review steps of the demo forms, the case staff
of every unit, extra employers and the invented talents who apply."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.accounts.models import Employer, User
from cms.core.identifiers import mobile_key
from cms.departments.models import Department, District
from forms.models import (
    ApplicationFormPage,
    ReviewStep,
    StepKind,
)

from . import DEMO_PASSWORD
from .cases_answers import FOREIGN_NAMES, GIVEN, SURNAMES, Person, resident_id
from .people import (
    APPROVERS,
    HOUSING,
    REVIEWERS,
    RSJ,
    WINDOW_CLERKS,
    build_uscc,
)
from .progress import Progress
from .units import DISTRICTS

CASE_COUNT = 320
TALENT_COUNT = 60
SEED = 20260101

EDUCATION = "泉州市教育局"
SCIENCE = "泉州市科学技术局"
FINANCE = "泉州市财政局"
IMMIGRATION = "泉州市公安局出入境管理支队"
TALENT_OFFICE = "中共泉州市委人才工作领导小组办公室"

# --- review steps of the demo forms, by the guide's slug ---

A, P, R, D, AP, PUB = (
    StepKind.ACCEPT,
    StepKind.PREREVIEW,
    StepKind.REVIEW,
    StepKind.DEPARTMENT,
    StepKind.APPROVE,
    StepKind.PUBLICITY,
)
# (kind, name, group, departments, working days). Pre-review needs no group:
# the applicant's district's 初审 role does it.
REVIEW_STEPS = {
    "gaocengci-rencai-rending": [
        (A, "受理", WINDOW_CLERKS, [], 2),
        (P, "县区初审", None, [], 5),
        (R, "审核", REVIEWERS, [], 5),
        (D, "部门办理", None, [RSJ, SCIENCE], 5),
        (AP, "核准", APPROVERS, [], 3),
        (PUB, "公示", None, [], 5),
    ],
    "jinjiang-anju-buzhu": [
        (A, "受理", WINDOW_CLERKS, [], 2),
        (P, "初审", None, [], 5),
        (D, "部门办理", None, [HOUSING, FINANCE], 5),
        (AP, "核准", APPROVERS, [], 3),
        (PUB, "公示", None, [], 5),
    ],
    "zinv-yiwu-jiaoyu-ruxue": [
        (A, "受理", WINDOW_CLERKS, [], 2),
        (R, "审核", REVIEWERS, [], 5),
        (D, "部门办理", None, [EDUCATION], 10),
        (AP, "核准", APPROVERS, [], 3),
    ],
    "peiou-jiuye-anzhi": [
        (A, "受理", WINDOW_CLERKS, [], 2),
        (R, "审核", REVIEWERS, [], 5),
        (D, "部门办理", None, [RSJ, TALENT_OFFICE], 10),
        (AP, "核准", APPROVERS, [], 3),
    ],
    "waiji-rencai-juliu-xuke": [
        (A, "受理", WINDOW_CLERKS, [], 1),
        (R, "审核", REVIEWERS, [], 3),
        (D, "部门办理", None, [IMMIGRATION], 7),
        (AP, "核准", APPROVERS, [], 2),
    ],
}
# Share of the cases per form (the residence form is for foreign talents).
FORM_WEIGHTS = {
    "gaocengci-rencai-rending": 46,
    "jinjiang-anju-buzhu": 22,
    "zinv-yiwu-jiaoyu-ruxue": 12,
    "peiou-jiuye-anzhi": 10,
    "waiji-rencai-juliu-xuke": 10,
}


def configure_review_steps(
    progress: Progress, pages: dict[str, ApplicationFormPage]
) -> None:
    """Give each demo form its review steps, as an administrator would in the
    admin's "Review" tab: a new revision, published."""
    groups = {group.name: group for group in Group.objects.all()}
    departments = {d.name: d for d in Department.objects.all()}
    for slug, steps in REVIEW_STEPS.items():
        page = pages.get(slug)
        if page is None:
            continue
        page = ApplicationFormPage.objects.get(pk=page.pk)
        configured = page.review_steps.exists()
        progress.record("form review steps", not configured)
        if configured:
            continue
        page.review_steps = [
            ReviewStep(
                kind=kind,
                name=name,
                handler_group=groups.get(group) if group else None,
                departments=[departments[name] for name in unit_names],
                time_limit_days=days,
                sort_order=order,
            )
            for order, (kind, name, group, unit_names, days) in enumerate(steps)
        ]
        page.save_revision().publish()


# --- people: case staff of every unit, and invented applicants ---

EXTRA_EMPLOYERS = [
    # (name, kind, district, organisation code body, industry)
    ("泉州洛江智能装备有限公司", "91", "洛江区", "MA4R7Q2D", "智能制造"),
    ("石狮海峡服装供应链有限公司", "91", "石狮市", "MA5K1P8C", "纺织鞋服"),
    ("惠安石材文化创意有限公司", "91", "惠安县", "MA6H3N9B", "石材建材"),
    ("安溪铁观音茶业科技有限公司", "91", "安溪县", "MA7G5M1A", "茶产业"),
    ("永春芦柑生物科技有限公司", "91", "永春县", "MA8F6L2E", "生物医药"),
    ("德化陶瓷新材料研究院", "12", "德化县", "49912760", "陶瓷新材料"),
]

HANDLER_ACCOUNTS = [
    ("demo-handler-rsj", "庄雅文", RSJ),
    ("demo-handler-kjj", "施宏图", SCIENCE),
    ("demo-handler-czj", "颜秀芬", FINANCE),
    ("demo-handler-jyj", "柯志明", EDUCATION),
    ("demo-handler-crj", "骆建军", IMMIGRATION),
    ("demo-handler-rcb", "傅静雯", TALENT_OFFICE),
]


def write_extra_employers(progress: Progress) -> list[Employer]:
    districts = {d.name: d for d in District.objects.all()}
    codes = {name: code for name, code, *_ in DISTRICTS}
    for name, kind, district, first8, industry in EXTRA_EMPLOYERS:
        _employer, created = Employer.objects.get_or_create(
            uscc=build_uscc(kind, codes[district], first8),
            defaults={
                "name": name,
                "district": districts[district],
                "industry": industry,
                "address": f"{district}人才创业园 {len(name)} 号",
                "contact_phone": f"0595-2218{codes[district][-3:]}",
            },
        )
        progress.record("case employers", created)
    return list(Employer.objects.select_related("district").order_by("pk"))


def _bulk_users(specs: list[dict], group_ids: dict[str, int]) -> None:
    """Create the missing accounts in one insert, with one password hash."""
    existing = set(
        User.objects.filter(username__in=[s["username"] for s in specs]).values_list(
            "username", flat=True
        )
    )
    missing = [spec for spec in specs if spec["username"] not in existing]
    if not missing:
        return
    password = make_password(DEMO_PASSWORD)
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                email=f"{spec['username']}@example.com",
                password=password,
                password_changed_at=now,
                is_staff=spec["kind"] == User.Kind.STAFF,
                **spec,
            )
            for spec in missing
        ]
    )
    users = User.objects.filter(username__in=[s["username"] for s in missing])
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=user.pk, group_id=group_ids[name])
            for user in users
            if (name := user.username) in group_ids
        ]
    )


def write_case_staff(progress: Progress) -> None:
    """A pre-reviewer for every district and a handler for every department the
    demo steps dispatch to (demo-prereview and demo-handler already exist)."""
    departments = {d.name: d for d in Department.objects.all()}
    specs, group_ids = [], {}
    for district in District.objects.exclude(name="丰泽区"):
        username = f"demo-prereview-{district.code}"
        specs.append(
            {
                "username": username,
                "real_name": f"{district.name}初审员",
                "kind": User.Kind.STAFF,
                "district": district,
            }
        )
        group_ids[username] = district.casework_group_id
    for username, real_name, department in HANDLER_ACCOUNTS:
        specs.append(
            {
                "username": username,
                "real_name": real_name,
                "kind": User.Kind.STAFF,
                "department": departments[department],
            }
        )
        group_ids[username] = departments[department].casework_group_id
    found = set(
        User.objects.filter(username__in=[s["username"] for s in specs]).values_list(
            "username", flat=True
        )
    )
    for spec in specs:
        progress.record("case staff", spec["username"] not in found)
    _bulk_users(specs, group_ids)


def talent_specs(employers: list[Employer]) -> list[dict]:
    """~60 invented talents, spread over the employers (every district)."""
    rng = random.Random(SEED)  # noqa: S311 (repeatable demo data)
    specs = []
    for number in range(1, TALENT_COUNT + 1):
        employer = employers[(number - 1) % len(employers)]
        if number <= len(FOREIGN_NAMES):
            name = FOREIGN_NAMES[number - 1][0]
        else:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        specs.append(
            {
                "username": f"demo-case-talent-{number:02d}",
                "real_name": name,
                "kind": User.Kind.TALENT,
                # E.164, as accounts keep numbers (bulk_create skips save()).
                "mobile": f"+861390000{number:04d}",
                "employer": employer,
                "district": employer.district,
            }
        )
    return specs


def write_case_talents(progress: Progress, employers: list[Employer]) -> list[User]:
    specs = talent_specs(employers)
    usernames = [spec["username"] for spec in specs]
    found = set(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    for spec in specs:
        progress.record("case applicants", spec["username"] not in found)
    _bulk_users(specs, {})
    users = {
        u.username: u
        for u in User.objects.filter(username__in=usernames).select_related(
            "employer__district"
        )
    }
    return [users[name] for name in usernames]


def person_of(user: User, number: int) -> Person:
    """The talent's own details, stable across runs."""
    rng = random.Random(SEED + number)  # noqa: S311 (repeatable demo data)
    employer = user.employer
    division = employer.district.code
    foreign = next((f for f in FOREIGN_NAMES if f[0] == user.real_name), None)
    birth = datetime.date(
        rng.randint(1968, 1996), rng.randint(1, 12), rng.randint(1, 28)
    )
    if foreign:
        name, chinese, nationality, gender = foreign
        id_kind, id_number = "passport", f"E{number:02d}{rng.randint(100000, 999999)}"
    else:
        name, chinese, nationality = user.real_name, "", "中国"
        gender = rng.choice(["男", "女"])
        id_kind = "resident"
        id_number = resident_id(division, birth, number * 7, gender == "男")
    return Person(
        name=name,
        gender=gender,
        birth=birth,
        id_kind=id_kind,
        id_number=id_number,
        # Application answers keep mainland numbers as 11 digits.
        mobile=mobile_key(user.mobile or ""),
        email=user.email,
        nationality=nationality,
        division=division,
        employer_name=employer.name,
        employer_uscc=employer.uscc,
        chinese_name=chinese,
    )
