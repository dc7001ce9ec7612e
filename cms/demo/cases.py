"""Demo casework: review steps for the demo forms and ~320 cases in every state.

Each case lives its history through casework's own transitions
(forms.casework.actions.open_case, act, end_publicity), dated at the moments of
its story (cms/demo/cases_story.py) with ``at=`` and taken by the demo's staff
account for each role, so states, due dates, department tasks, supplement
requests, step columns and record rights are exactly what the hall writes:

- the applicant's drafts are inserted in bulk, not through the applicant's
  pages: answers generated per form definition (cms/demo/cases_answers.py),
  sealed with forms.builder.engine.seal_answers (encrypted ID numbers, blind
  index); no files, so these cases show no materials; receipt numbers from
  forms.models.ReceiptCounter, bumped once per year;
- then open_case submits each draft into the frozen workflow of
  forms.casework.workflow.workflow_of, and every later event of the story goes
  through act (accept, return, resubmit, pass, opinion, approve, reject,
  withdraw, assign) or end_publicity;
- completed cases feed the talent database (forms.talents.profiles.profile_from_application);
  cases waiting at their publicity step are left for write_demo_publicity.

The replay notifies nobody: the case_event receivers are muted around it and
the events' outbox markers are deleted (_notifying_nobody).

Idempotent: each case's start token is a uuid5 of its index, each account is
found by user name, and review steps are only written for a form that has none
(an administrator may have changed them since).
"""

import random
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cms.accounts.models import User
from cms.departments.models import Department, District
from forms.builder.engine import seal_answers, split_steps
from forms.casework.actions import act, end_publicity, open_case
from forms.casework.workflow import case_event, workflow_of
from forms.models import (
    Application,
    ApplicationFormPage,
    ApplicationStatus,
    CaseAction,
    PendingNotification,
    ReceiptCounter,
)
from forms.notifications.dispatch import on_case_event
from forms.talents.profiles import completed_profile

from .applications import DEMO_NAMESPACE
from .cases_answers import Person
from .cases_setup import (
    CASE_COUNT,
    FORM_WEIGHTS,
    REVIEW_STEPS,
    SEED,
    configure_review_steps,
    person_of,
    write_case_staff,
    write_case_talents,
    write_extra_employers,
)
from .cases_story import OUTCOMES, Cast, Days, Story, plan
from .progress import Progress

# Tests and tools read these here.
__all__ = ["CASE_COUNT", "CASES_NAMESPACE", "REVIEW_STEPS", "Days", "write_demo_cases"]

CASES_NAMESPACE = uuid.uuid5(DEMO_NAMESPACE, "demo-cases")

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
    # Each case starts as the draft the applicant filled in (answers, receipt,
    # time of submission) and then lives its story through the actions.
    drafts = []
    for story in stories:
        slug = story.form_slug
        drafts.append(
            Application(
                form_id=pages[slug].pk,
                version=versions[slug],
                applicant=story.applicant,
                employer_id=story.applicant.employer_id,
                start_token=tokens[story.index],
                furthest_step=step_counts[slug],
                status=ApplicationStatus.DRAFT,
                **{name: story.fields[name] for name in DRAFT_FIELDS},
            )
        )
    Application.objects.bulk_create(drafts, batch_size=200)
    by_token = {
        application.start_token: application
        for application in Application.objects.filter(
            start_token__in=[draft.start_token for draft in drafts]
        ).select_related("applicant", "employer")
    }
    with _notifying_nobody():
        for story in stories:
            _replay(by_token[tokens[story.index]], story, workflows[story.form_slug])
    # The actions also leave each event's outbox marker for retry_notifications.
    PendingNotification.objects.filter(
        event__application__in=[a.pk for a in by_token.values()]
    ).delete()
    _feed_talent_database([a.pk for a in by_token.values()])


# The case_event receivers: notifications, and the talent database that
# _feed_talent_database feeds once at the end instead.
QUIET_RECEIVERS = {
    "forms.notifications.dispatch.on_case_event": on_case_event,
    "forms.talents.profiles.completed_profile": completed_profile,
}


def _mute() -> None:
    for uid in QUIET_RECEIVERS:
        case_event.disconnect(dispatch_uid=uid)


def _unmute() -> None:
    for uid, receiver in QUIET_RECEIVERS.items():
        case_event.connect(receiver, dispatch_uid=uid)


@contextmanager
def _notifying_nobody():
    """The actions send ``case_event`` after the commit of the load's
    transaction: nobody is to get hundreds of messages about two years of
    made-up history. Callbacks run in the order they were registered, so these
    two around the replay mute exactly its signals; the demo applications
    submitted before (cms/demo/forms_pages.py) notify as they always did."""
    transaction.on_commit(_mute)
    try:
        yield
    finally:
        transaction.on_commit(_unmute, robust=True)


# What the applicant's draft holds before it is submitted.
DRAFT_FIELDS = (
    "submitted_at",
    "created_at",
    "district_id",
    "answers",
    "id_digest",
    "subject_name",
    "receipt_number",
)


def _replay(application: Application, story: Story, workflow: list[dict]) -> None:
    """Take the story's events, in order, through casework's own actions, each
    at its moment and by its actor."""
    for event in story.events:
        action, at, actor = event["action"], event["created_at"], event["actor"]
        data = event.get("data") or {}
        if action == CaseAction.SUBMITTED:
            application = open_case(application, workflow, at=at)
            continue
        if action == CaseAction.PUBLICITY_END:
            application = end_publicity(application, at=at) or application
            continue
        options = {}
        if action == CaseAction.RETURN:
            options["items"] = data["items"]
        elif action == CaseAction.OPINION:
            options["agrees"] = data["agrees"]
        elif action == CaseAction.ASSIGN:
            options["officer"] = event["officer"]
        application = act(
            application,
            actor,
            action,
            comment=event.get("comment", ""),
            at=at,
            **options,
        )


def _feed_talent_database(pks) -> None:
    """What forms.talents.profiles does on the completed case's event."""
    from forms.talents.profiles import profile_from_application

    completed = Application.objects.filter(
        pk__in=list(pks), status=ApplicationStatus.COMPLETED
    ).select_related("version", "employer", "applicant", "talent", "form")
    for application in completed.order_by("decided_at"):
        profile_from_application(application)
