"""Demo casework: review steps for the demo forms and ~320 cases in every state.

The cases are built directly with the models, in bulk, not through the
applicant's pages or forms.casework.actions.act: a few hundred cases through the full
path would cost minutes, and ``load_demo`` runs in ``make run`` and in tests.
What the full path would write is written here in the same shape:

- answers generated per form definition (cms/demo/cases_answers.py), sealed with
  forms.builder.engine.seal_answers (encrypted ID numbers, blind index); no files, so the
  bulk cases show no materials;
- receipt numbers from forms.models.ReceiptCounter, bumped once per year;
- the frozen workflow of forms.casework.workflow.workflow_of, with step fields, due dates
  and decisions on the hall's working-day calendar;
- CaseEvents, DepartmentTasks and SupplementRequests through bulk_create (the
  append-only ``save()`` guard of CaseEvent does not run for bulk_create; this
  loader only ever inserts);
- record rights (django-guardian) for the units each case reached, as
  forms.casework.rights.grant_case_rights gives them;
- completed cases feed the talent database (forms.talents.profiles.profile_from_application);
  cases waiting at their publicity step are left for write_demo_publicity.

No case_event signal is sent: the demo sends no notifications.

Idempotent: each case's start token is a uuid5 of its index, each account is
found by user name, and review steps are only written for a form that has none
(an administrator may have changed them since).
"""

import datetime
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cms.accounts.models import Employer, User
from cms.core.models import CalendarDayKind
from cms.core.workdays import calendar_overrides
from cms.departments.models import Department, District
from forms.builder.engine import seal_answers, split_steps
from forms.casework.actions import sync_steps
from forms.casework.rights import CASE_PERMISSIONS
from forms.casework.workflow import step_name, workflow_of
from forms.models import (
    Application,
    ApplicationFormPage,
    ApplicationStatus,
    CaseEvent,
    DepartmentTask,
    ReceiptCounter,
    ReviewStep,
    StepKind,
    SupplementRequest,
)

from . import DEMO_PASSWORD
from .applications import DEMO_NAMESPACE
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

CASES_NAMESPACE = uuid.uuid5(DEMO_NAMESPACE, "demo-cases")
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
                "mobile": f"1390000{number:04d}",
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
        mobile=user.mobile,
        email=user.email,
        nationality=nationality,
        division=division,
        employer_name=employer.name,
        employer_uscc=employer.uscc,
        chinese_name=chinese,
    )


# --- the working-day calendar, loaded once ---


class Days:
    """The hall's calendar (holidays, make-up days) for the demo's two years."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.overrides = calendar_overrides(today.year - 2, today.year + 1)

    def working(self, day: datetime.date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == CalendarDayKind.WORKDAY
        return day.weekday() < 5

    def add(self, day: datetime.date, days: int) -> datetime.date:
        """As cms.core.workdays.add_working_days."""
        while days == 0 and not self.working(day):
            day += datetime.timedelta(days=1)
        while days > 0:
            day += datetime.timedelta(days=1)
            days -= self.working(day)
        return day

    def back(self, day: datetime.date, days: int) -> datetime.date:
        while days > 0:
            day -= datetime.timedelta(days=1)
            days -= self.working(day)
        while not self.working(day):
            day -= datetime.timedelta(days=1)
        return day


# --- one case's story ---

# What becomes of the cases, in order of the case index (weights of CASE_COUNT).
OUTCOMES = [
    ("completed", 34),
    ("rejected", 10),
    ("withdrawn", 6),
    ("open", 35),
    ("supplement", 7),
    ("publicity", 8),
]
SUPPLEMENT_REASONS = [
    "扫描件不清晰，请重新上传原件扫描件",
    "与身份证件信息不一致，请核对后重新填写",
    "缺少签字盖章页",
    "填写内容与证明材料不符",
]
OPINIONS = {
    True: ["经核查，符合政策规定，同意。", "材料齐全，情况属实，同意办理。"],
    False: ["经核查，社保缴纳时间不足，不符合条件。"],
}
REJECT_REASONS = [
    "不符合认定标准目录所列条件。",
    "劳动合同期限不足3年，不符合申报条件。",
    "经部门核查，已享受同类补贴，不予重复享受。",
]


@dataclass
class Story:
    """A case's fields and rows before insertion."""

    index: int
    form_slug: str
    applicant: User
    outcome: str
    fields: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    supplements: list[dict] = field(default_factory=list)
    reached: set = field(default_factory=set)  # ("district", id) / ("department", id)


@dataclass
class Cast:
    """Who acts on the demo cases."""

    clerk: User
    reviewer: User
    prereviewers: dict  # district id -> user
    handlers: dict  # department id -> user
    department_names: dict  # department id -> name


def _moment(rng, day: datetime.date) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    minute = rng.randint(8 * 60 + 30, 17 * 60 + 15)
    return datetime.datetime.combine(
        day, datetime.time(minute // 60, minute % 60), tzinfo=tz
    )


def _durations(rng, workflow: list[dict], stop: int) -> list[int]:
    """Working days spent in each step before ``stop``: mostly within the limit,
    about one in eight late."""
    spent = []
    for step in workflow[:stop]:
        if step["kind"] == StepKind.PUBLICITY:
            spent.append(step["days"])
        elif rng.random() < 0.12:
            spent.append(step["days"] + rng.randint(1, 4))
        else:
            spent.append(rng.randint(1 if step["days"] > 2 else 0, step["days"]))
    return spent


def plan(story: Story, workflow: list[dict], rng, days: Days, cast: Cast) -> None:
    """Walk the case through its steps and fill ``story``."""
    outcome = story.outcome
    n = len(workflow)
    has_publicity = workflow[-1]["kind"] == StepKind.PUBLICITY
    last_review = n - 1 - has_publicity  # the approval step
    # Rejected and withdrawn cases end in the step before ``stop_at``.
    rejectable = [i for i, s in enumerate(workflow) if s["kind"] in (A, R, AP)]
    stop_at = {
        "completed": n,
        "rejected": rng.choice(rejectable) + 1,
        "withdrawn": rng.randint(0, last_review) + 1,
        "open": rng.randint(0, last_review),
        "supplement": rng.choice(
            [i for i, s in enumerate(workflow) if s["kind"] in (A, P, R)]
        ),
        "publicity": n - 1 if has_publicity else last_review,
    }[outcome]
    if outcome == "publicity" and not has_publicity:
        outcome = story.outcome = "open"
    spent = _durations(rng, workflow, stop_at)
    # Returned once for supplement on the way (one in six), and how long it waited.
    detour = None
    if rng.random() < 0.17 and stop_at > 0 and workflow[0]["kind"] == A:
        detour = (0, rng.randint(1, 2), rng.randint(2, 8))  # step, after, waited
    now_in_step = 0
    if outcome in ("open", "supplement", "publicity"):
        limit = workflow[stop_at]["days"]
        late = outcome == "open" and rng.random() < 0.25
        now_in_step = limit + rng.randint(1, 5) if late else rng.randint(0, limit)
        if outcome == "publicity":
            now_in_step = rng.randint(0, 2)
        total = sum(spent) + now_in_step + (detour[2] if detour else 0)
        start = days.back(days.today, total)
    else:
        total = sum(spent) + (detour[2] if detour else 0) + 3
        latest = days.back(days.today, total)
        start = days.back(latest, rng.randint(0, 210))
    _walk(story, workflow, rng, days, cast, start, spent, stop_at, detour, now_in_step)


def _walk(story, workflow, rng, days, cast, start, spent, stop_at, detour, in_step):
    applicant = story.applicant
    district_id = applicant.employer.district_id
    # A case started today must not be submitted later than now: the demo can
    # be loaded (and the suite run) at any hour of China's working day.
    submitted_at = min(
        _moment(rng, start), timezone.now() - datetime.timedelta(minutes=1)
    )
    events = story.events
    status = ApplicationStatus.SUBMITTED

    last = [submitted_at - datetime.timedelta(minutes=1)]

    def event(action, moment, actor, index, to_status, *, from_status=None, **extra):
        """Record an event; returns its time (after the previous one)."""
        if moment <= last[0]:
            moment = last[0] + datetime.timedelta(minutes=rng.randint(5, 90))
        moment = min(moment, timezone.now())
        last[0] = moment
        step = workflow[index] if index < len(workflow) else None
        events.append(
            {
                "action": action,
                "actor": actor,
                "from_status": from_status or status,
                "to_status": to_status,
                "step_index": index if step else None,
                "step_name": step_name(step) if step else "",
                "created_at": moment,
                **extra,
            }
        )
        return moment

    event(
        "submitted",
        submitted_at,
        applicant,
        0,
        ApplicationStatus.SUBMITTED,
        from_status=ApplicationStatus.DRAFT,
    )
    day = start
    fields = {
        "submitted_at": submitted_at,
        "created_at": submitted_at - datetime.timedelta(minutes=rng.randint(20, 200)),
        "district_id": district_id,
    }
    officer = None
    if rng.random() < 0.3:
        officer = cast.reviewer
        event(
            "assign",
            submitted_at + datetime.timedelta(hours=1),
            cast.reviewer,
            0,
            status,
            public=False,
            data={"officer": cast.reviewer.real_name},
        )
    for index, step in enumerate(workflow):
        kind = step["kind"]
        due = days.add(day, step["days"])
        if kind == StepKind.PREREVIEW and district_id:
            story.reached.add(("district", district_id))
        if kind == StepKind.DEPARTMENT:
            for department_id in step["department_ids"]:
                story.reached.add(("department", department_id))
        if detour and detour[0] == index:
            returned = days.add(day, detour[1])
            _return(story, rng, event, _moment(rng, returned), cast.clerk, index)
            back = days.add(returned, detour[2])
            answered = event(
                "resubmit",
                _moment(rng, back),
                applicant,
                index,
                ApplicationStatus.SUBMITTED,
                from_status=ApplicationStatus.SUPPLEMENT,
                data={"waited_working_days": detour[2]},
            )
            story.supplements[-1]["resolved_at"] = answered
            due = days.add(due, detour[2])
            day = days.add(day, detour[2])
        fields.update(step_index=index, step_started_on=day, step_due=due)
        if index == stop_at:
            _stop(story, step, index, rng, days, cast, event, day, in_step, fields)
            break
        done = days.add(day, spent[index])
        moment = _moment(rng, done)
        outcome = story.outcome
        if outcome == "rejected" and index == stop_at - 1:
            reason = rng.choice(REJECT_REASONS)
            actor = cast.clerk if kind == StepKind.ACCEPT else cast.reviewer
            moment = event("reject", moment, actor, index, "rejected", comment=reason)
            _decide(fields, ApplicationStatus.REJECTED, moment, reason)
            return _finish(story, fields, officer)
        if outcome == "withdrawn" and index == stop_at - 1:
            fields.update(status=ApplicationStatus.WITHDRAWN, step_due=None)
            for department_id in step["department_ids"] if kind == D else []:
                # Dispatched on arrival, never answered.
                story.tasks.append(
                    {"step_index": index, "department_id": department_id, "due": due}
                )
            event("withdraw", moment, applicant, index, ApplicationStatus.WITHDRAWN)
            return _finish(story, fields, officer)
        status = _pass_step(story, step, index, rng, cast, event, moment, fields)
        day = done
    else:
        # Past the last step: completed (publicity ended, or approval was last).
        fields.update(
            status=ApplicationStatus.COMPLETED,
            step_index=len(workflow),
            step_started_on=day,
            step_due=None,
        )
    return _finish(story, fields, officer)


def _finish(story: Story, fields: dict, officer) -> None:
    fields.setdefault("status", ApplicationStatus.SUBMITTED)
    fields["officer"] = officer
    story.fields.update(fields)


def _decide(fields: dict, status: str, moment, reason: str) -> None:
    fields.update(
        status=status, decided_at=moment, decision_reason=reason, step_due=None
    )


def _return(story, rng, event, moment, clerk, index) -> None:
    definition_keys = story.fields.get("_keys") or []
    key, label = rng.choice(definition_keys) if definition_keys else ("", "身份证件")
    items = [{"key": key, "label": label, "reason": rng.choice(SUPPLEMENT_REASONS)}]
    note = "请在10个工作日内补正，逾期视为放弃申请。"
    moment = event(
        "return",
        moment,
        clerk,
        index,
        ApplicationStatus.SUPPLEMENT,
        comment=note,
        data={"items": items},
    )
    story.supplements.append(
        {"items": items, "note": note, "created_by": clerk, "created_at": moment}
    )
    return moment


def _pass_step(story, step, index, rng, cast, event, moment, fields) -> str:
    """The step's decision; returns the status the case is in afterwards."""
    kind = step["kind"]
    following = index + 1 < len(story.fields.get("_workflow", []))
    if kind == StepKind.ACCEPT:
        event("accept", moment, cast.clerk, index, ApplicationStatus.SUBMITTED)
    elif kind == StepKind.PREREVIEW:
        actor = cast.prereviewers.get(fields["district_id"])
        event("pass", moment, actor, index, ApplicationStatus.SUBMITTED)
    elif kind == StepKind.REVIEW:
        event("pass", moment, cast.reviewer, index, ApplicationStatus.SUBMITTED)
    elif kind == StepKind.DEPARTMENT:
        for order, department_id in enumerate(step["department_ids"]):
            answered = moment - datetime.timedelta(
                hours=len(step["department_ids"]) - order
            )
            _opinion(
                story, step, index, rng, cast, event, answered, department_id, fields
            )
    elif kind == StepKind.APPROVE:
        reason = "符合条件，予以核准。"
        to = (
            ApplicationStatus.PUBLICITY
            if following and story.fields["_workflow"][index + 1]["kind"] == PUB
            else ApplicationStatus.COMPLETED
        )
        moment = event("approve", moment, cast.reviewer, index, to, comment=reason)
        fields.update(decided_at=moment, decision_reason=reason)
        return to
    elif kind == StepKind.PUBLICITY:
        event(
            "publicity_end",
            moment,
            None,
            index,
            ApplicationStatus.COMPLETED,
            from_status=ApplicationStatus.PUBLICITY,
        )
        return ApplicationStatus.COMPLETED
    return ApplicationStatus.SUBMITTED


def _opinion(story, step, index, rng, cast, event, moment, department_id, fields):
    handler = cast.handlers.get(department_id)
    agrees = story.outcome != "rejected" or rng.random() < 0.5
    opinion = rng.choice(OPINIONS[agrees])
    moment = event(
        "opinion",
        moment,
        handler,
        index,
        ApplicationStatus.SUBMITTED,
        comment=opinion,
        data={"department": cast.department_names[department_id], "agrees": agrees},
    )
    story.tasks.append(
        {
            "step_index": index,
            "department_id": department_id,
            "due": fields["step_due"],
            "opinion": opinion,
            "agrees": agrees,
            "answered_by": handler,
            "answered_at": moment,
        }
    )


def _stop(story, step, index, rng, days, cast, event, day, in_step, fields) -> None:
    """The case stands at this step now."""
    outcome = story.outcome
    if outcome == "publicity":
        fields.update(status=ApplicationStatus.PUBLICITY)
        return
    if outcome == "completed":  # pragma: no cover - completed walks past the end
        return
    fields["status"] = ApplicationStatus.SUBMITTED
    if outcome == "supplement":
        returned = days.add(day, min(in_step, step["days"]))
        if returned > days.today:
            returned = days.today
        _return(story, rng, event, _moment(rng, returned), cast.clerk, index)
        fields.update(status=ApplicationStatus.SUPPLEMENT, clock_paused_on=returned)
        return
    if step["kind"] == StepKind.DEPARTMENT:
        # Some departments have answered already, the others hold the case.
        ids = step["department_ids"]
        answered = rng.randint(0, max(len(ids) - 1, 0))
        for order, department_id in enumerate(ids):
            if order < answered:
                moment = _moment(rng, days.add(day, rng.randint(0, in_step)))
                _opinion(
                    story, step, index, rng, cast, event, moment, department_id, fields
                )
            else:
                story.tasks.append(
                    {"step_index": index, "department_id": department_id,
                     "due": fields["step_due"]}
                )  # fmt: skip


# --- writing them ---


def _sealed(story: Story, page, version, person: Person, rng) -> dict:
    from .cases_answers import answers_for

    on = timezone.localdate(story.fields["submitted_at"])
    answers = answers_for(
        version.definition, page.title, person, rng, on, sequence=story.index
    )
    sealed, digest = seal_answers(version.definition, answers)
    return {"answers": sealed, "id_digest": digest}


def _receipts(stories: list[Story]) -> None:
    """Receipt numbers by submission date, the counter bumped once per year."""
    prefix = settings.APPLICATION_RECEIPT_PREFIX
    by_year = defaultdict(list)
    for story in sorted(stories, key=lambda s: s.fields["submitted_at"]):
        by_year[timezone.localdate(story.fields["submitted_at"]).year].append(story)
    for year, batch in by_year.items():
        counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        first = counter.last + 1
        ReceiptCounter.objects.filter(pk=counter.pk).update(last=F("last") + len(batch))
        for offset, story in enumerate(batch):
            story.fields["receipt_number"] = f"{prefix}-{year}-{first + offset:06d}"


def write_demo_cases(progress: Progress, guides: dict) -> dict[str, int]:
    """The loader's entry: review steps, case staff, applicants and the cases.
    Returns the number of demo cases per status."""
    from .forms_pages import FORMS

    pages = {}
    for spec in FORMS:
        page = (
            ApplicationFormPage.objects.child_of(guides[spec["guide"]])
            .filter(slug=spec["slug"])
            .first()
        )
        if page is not None:
            pages[spec["guide"]] = page
    configure_review_steps(progress, pages)
    employers = write_extra_employers(progress)
    write_case_staff(progress)
    talents = write_case_talents(progress, employers)

    tokens = [uuid.uuid5(CASES_NAMESPACE, f"case-{i}") for i in range(CASE_COUNT)]
    present = set(
        Application.objects.filter(start_token__in=tokens).values_list(
            "start_token", flat=True
        )
    )
    for token in tokens:
        progress.record("demo cases", token not in present)
    if len(present) < len(tokens):
        _write_cases(pages, talents, tokens, present)
    progress.report(
        "form review steps", "case employers", "case staff", "case applicants"
    )
    progress.report("demo cases")
    counts = Counter(
        Application.objects.filter(start_token__in=tokens).values_list(
            "status", flat=True
        )
    )
    return dict(counts)


def _cast() -> Cast:
    staff = User.objects.filter(kind=User.Kind.STAFF, is_active=True)
    prereviewers = {
        district.pk: staff.filter(groups=district.casework_group_id)
        .order_by("username")
        .first()
        for district in District.objects.all()
    }
    handlers = {
        department.pk: staff.filter(groups=department.casework_group_id)
        .order_by("username")
        .first()
        for department in Department.objects.all()
    }
    return Cast(
        clerk=User.objects.get(username="demo-clerk"),
        reviewer=User.objects.get(username="demo-reviewer"),
        prereviewers=prereviewers,
        handlers=handlers,
        department_names=dict(Department.objects.values_list("pk", "name")),
    )


def _write_cases(pages, talents, tokens, present) -> None:
    days = Days(timezone.localdate())
    cast = _cast()
    slugs = [slug for slug in FORM_WEIGHTS if slug in pages]
    workflows, versions, supplement_keys, step_counts = {}, {}, {}, {}
    for slug in slugs:
        page = ApplicationFormPage.objects.get(pk=pages[slug].pk)
        workflows[slug] = workflow_of(page)
        versions[slug] = page.ensure_version()
        step_counts[slug] = len(split_steps(versions[slug].definition, page.title))
        supplement_keys[slug] = [
            (item["key"], item["label"])
            for item in versions[slug].definition
            if item["type"] in ("file", "short_text", "date") and item.get("key")
        ]
    foreign = [t for t in talents if t.real_name.isascii()]
    local = [t for t in talents if not t.real_name.isascii()]
    outcomes = [name for name, weight in OUTCOMES for _ in range(weight)]
    stories = []
    for index, token in enumerate(tokens):
        if token in present:
            continue
        rng = random.Random(SEED * 7 + index)  # noqa: S311 (repeatable demo data)
        slug = rng.choices(slugs, weights=[FORM_WEIGHTS[s] for s in slugs])[0]
        pool = foreign if slug == "waiji-rencai-juliu-xuke" else local
        applicant = pool[index % len(pool)]
        outcome = outcomes[index * len(outcomes) // len(tokens)]
        story = Story(index, slug, applicant, outcome)
        story.fields = {"_keys": supplement_keys[slug], "_workflow": workflows[slug]}
        plan(story, workflows[slug], rng, days, cast)
        person = person_of(applicant, talents.index(applicant) + 1)
        story.fields.update(_sealed(story, pages[slug], versions[slug], person, rng))
        story.fields["subject_name"] = person.name
        stories.append(story)
    _receipts(stories)
    applications = []
    for story in stories:
        fields = {k: v for k, v in story.fields.items() if not k.startswith("_")}
        slug = story.form_slug
        applications.append(
            Application(
                form_id=pages[slug].pk,
                version=versions[slug],
                applicant=story.applicant,
                employer_id=story.applicant.employer_id,
                start_token=tokens[story.index],
                workflow=workflows[slug],
                furthest_step=step_counts[slug],
                lock_version=len(story.events) + 1,
                **fields,
            )
        )
    Application.objects.bulk_create(applications, batch_size=200)
    by_token = dict(
        Application.objects.filter(
            start_token__in=[a.start_token for a in applications]
        ).values_list("start_token", "pk")
    )
    events, tasks, supplements = [], [], []
    for story in stories:
        pk = by_token[tokens[story.index]]
        events += [CaseEvent(application_id=pk, **e) for e in story.events]
        tasks += [DepartmentTask(application_id=pk, **t) for t in story.tasks]
        supplements += [
            SupplementRequest(application_id=pk, **s) for s in story.supplements
        ]
    # bulk_create skips CaseEvent.save(): acceptable, the loader only inserts.
    CaseEvent.objects.bulk_create(events, batch_size=500)
    DepartmentTask.objects.bulk_create(tasks, batch_size=500)
    SupplementRequest.objects.bulk_create(supplements, batch_size=500)
    sync_steps(Application.objects.filter(pk__in=by_token.values()))
    _grant_rights(stories, by_token, tokens)
    _feed_talent_database(by_token.values())


def _grant_rights(stories, by_token, tokens) -> None:
    """Object rights for the role of every unit a case reached (never taken
    back) and for its officer, as forms.casework.rights.grant_case_rights gives them."""
    units = defaultdict(set)
    for story in stories:
        pk = by_token[tokens[story.index]]
        for unit in story.reached:
            units[unit].add(pk)
        if story.fields.get("officer"):
            units[("user", story.fields["officer"].pk)].add(pk)
    roles = {
        ("district", unit.pk): unit.casework_group for unit in District.objects.all()
    }
    roles.update(
        {
            ("department", unit.pk): unit.casework_group
            for unit in Department.objects.all()
        }
    )
    for (kind, unit_id), pks in units.items():
        grantee = (
            User.objects.get(pk=unit_id)
            if kind == "user"
            else roles.get((kind, unit_id))
        )
        if grantee is None:
            continue
        cases = Application.objects.filter(pk__in=pks)
        for permission in CASE_PERMISSIONS:
            assign_perm(permission, grantee, cases)


def _feed_talent_database(pks) -> None:
    """What forms.talents.profiles does on the completed case's event."""
    from forms.talents.profiles import profile_from_application

    completed = Application.objects.filter(
        pk__in=list(pks), status=ApplicationStatus.COMPLETED
    ).select_related("version", "employer", "applicant", "talent", "form")
    for application in completed.order_by("decided_at"):
        profile_from_application(application)
