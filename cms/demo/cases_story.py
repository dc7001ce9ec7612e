"""One demo case's story: where it ends (OUTCOMES), the steps it walks on the
hall's working-day calendar, and the events of that walk (action, actor, moment,
comment), before anything is written. cms/demo/cases.py then takes each event
through forms.casework.actions at its moment; the actions write the states, due
dates, department tasks and supplement requests."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from cms.accounts.models import User
from cms.core.models import CalendarDayKind
from cms.core.workdays import calendar_overrides
from forms.casework.workflow import step_name
from forms.models import (
    ApplicationStatus,
    StepKind,
)

from .cases_setup import AP, PUB, A, P, R

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
    """A case's fields as its walk plans them (only the draft's, cases.DRAFT_FIELDS,
    are written: the actions write the rest) and the events it will live through."""

    index: int
    form_slug: str
    applicant: User
    outcome: str
    fields: dict = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)


@dataclass
class Cast:
    """Who acts on the demo cases."""

    clerk: User
    reviewer: User
    prereviewers: dict  # district id -> user
    handlers: dict  # department id -> user
    department_names: dict  # department id -> name

    def holder(self, kind: str, district_id) -> User:
        """Who decides at a step of this kind (who may return the case there)."""
        if kind == StepKind.ACCEPT:
            return self.clerk
        if kind == StepKind.PREREVIEW:
            return self.prereviewers[district_id]
        return self.reviewer


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
            officer=cast.reviewer,
        )
    for index, step in enumerate(workflow):
        kind = step["kind"]
        due = days.add(day, step["days"])
        if detour and detour[0] == index:
            returned = days.add(day, detour[1])
            holder = cast.holder(kind, district_id)
            _return(story, rng, event, _moment(rng, returned), holder, index)
            back = days.add(returned, detour[2])
            event(
                "resubmit",
                _moment(rng, back),
                applicant,
                index,
                ApplicationStatus.SUBMITTED,
                from_status=ApplicationStatus.SUPPLEMENT,
                data={"waited_working_days": detour[2]},
            )
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


def _return(story, rng, event, moment, holder, index) -> None:
    definition_keys = story.fields.get("_keys") or []
    key, label = rng.choice(definition_keys) if definition_keys else ("", "身份证件")
    items = [{"key": key, "label": label, "reason": rng.choice(SUPPLEMENT_REASONS)}]
    note = "请在10个工作日内补正，逾期视为放弃申请。"
    moment = event(
        "return",
        moment,
        holder,
        index,
        ApplicationStatus.SUPPLEMENT,
        comment=note,
        data={"items": items},
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
    event(
        "opinion",
        moment,
        handler,
        index,
        ApplicationStatus.SUBMITTED,
        comment=opinion,
        data={"department": cast.department_names[department_id], "agrees": agrees},
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
        holder = cast.holder(step["kind"], fields["district_id"])
        _return(story, rng, event, _moment(rng, returned), holder, index)
        fields.update(status=ApplicationStatus.SUPPLEMENT, clock_paused_on=returned)
        return
    if step["kind"] == StepKind.DEPARTMENT:
        # Some departments have answered already, the others hold the case.
        ids = step["department_ids"]
        answered = rng.randint(0, max(len(ids) - 1, 0))
        for department_id in ids[:answered]:
            moment = _moment(rng, days.add(day, rng.randint(0, in_step)))
            _opinion(
                story, step, index, rng, cast, event, moment, department_id, fields
            )
