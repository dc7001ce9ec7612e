"""The demo's ~320 cases (cms/demo/cases.py): every state, district, department
and month, answers that pass their form's validation, figures with real shapes,
and pages that render them. The class reads the demo the session loaded once
(tests/conftest.py `demo`), early in China's morning whatever the hour the suite
runs at, as after `make run`."""

import datetime
import random
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from cms.accounts.models import User
from cms.core import crypto
from cms.core.identifiers import is_valid_resident_id
from cms.demo.cases import CASE_COUNT, CASES_NAMESPACE, REVIEW_STEPS, Days
from cms.demo.cases_answers import Person, answers_for
from forms.builder.engine import evaluate, split_steps
from forms.builder.fields import region_chain
from forms.cards import services
from forms.casework import workflow
from forms.casework.rights import visible_applications
from forms.models import (
    Application,
    ApplicationFormPage,
    ApplicationStatus,
    CaseEvent,
    DepartmentTask,
    Partner,
    PendingNotification,
    PublicityBatch,
    ReceiptCounter,
    StepKind,
    TalentCard,
    TalentProfile,
)
from forms.reporting import statistics

INDEX = "applications_application_modeladmin_index"


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }


def demo_cases():
    import uuid

    tokens = [uuid.uuid5(CASES_NAMESPACE, f"case-{i}") for i in range(CASE_COUNT)]
    return Application.objects.filter(start_token__in=tokens)


def unsealed(value):
    """A stored answer back in its canonical, unsealed form."""
    if isinstance(value, dict) and "cipher" in value and "kind" in value:
        return {"kind": value["kind"], "number": crypto.decrypt(value["cipher"])}
    if isinstance(value, dict) and "cipher" in value:  # mobile, bank account, …
        return crypto.decrypt(value["cipher"])
    if isinstance(value, list):
        return [unsealed(v) for v in value]
    if isinstance(value, dict) and "masked" not in value and "code" not in value:
        return {k: unsealed(v) for k, v in value.items()}
    return value


def post_of(answers: dict) -> MultiValueDict:
    """Canonical answers as the inputs the applicant's browser would post."""
    data: dict[str, list[str]] = {}

    def put(name, value):
        if value is None:
            return
        if isinstance(value, bool):
            data[name] = ["on"] if value else []
        elif isinstance(value, dict) and "number" in value:
            data[f"{name}-kind"] = [value["kind"]]
            data[f"{name}-number"] = [value["number"]]
        elif isinstance(value, dict) and "code" in value:
            chain = region_chain(value["code"])
            for part, code in zip(
                ("province", "city", "district"), chain, strict=False
            ):
                data[f"{name}-{part}"] = [code]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            data[f"{name}-rows"] = [str(len(value))]
            for index, row in enumerate(value):
                for key, sub in row.items():
                    put(f"{name}-{index}-{key}", sub)
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = [str(value)]

    for key, value in answers.items():
        put(key, value)
    return MultiValueDict(data)


def file_keys(definition: list[dict]) -> set[str]:
    return {item["key"] for item in definition if item["type"] == "file"}


# Fields that hold a moment yet to come; every other date-time is history.
FUTURE_FIELDS = {
    "expires_at",
    "expire_at",
    "expire_date",
    "go_live_at",
    "approved_go_live_at",
    "next_attempt_at",
    "cache_until",
    "run_after",
}


@pytest.mark.usefixtures("demo")
class TestDemoCases:
    def test_nothing_the_demo_wrote_is_later_than_when_it_was_loaded(self, demo):
        later = []
        for model, pk_before in demo.pks_before.items():
            written = model._default_manager.filter(pk__gt=pk_before)
            for field in model._meta.concrete_fields:
                if (
                    isinstance(field, models.DateTimeField)
                    and field.name not in FUTURE_FIELDS
                ):
                    found = written.filter(**{f"{field.name}__gt": demo.loaded_at})
                    if found.exists():
                        later.append(f"{model._meta.label}.{field.name}")
        assert later == [], later
        started = demo_cases().filter(step_started_on__gt=demo.loaded_at.date())
        assert not started.exists()

    def test_at_least_300_cases_in_every_state_and_step_kind(self):
        cases = demo_cases()
        assert cases.count() >= 300
        statuses = Counter(cases.values_list("status", flat=True))
        for status in ApplicationStatus:
            if status != ApplicationStatus.DRAFT:
                assert statuses[status] >= 5, (status, statuses)
        kinds = {
            case.workflow[case.step_index]["kind"]
            for case in cases.filter(status=ApplicationStatus.SUBMITTED)
        }
        assert kinds == {
            StepKind.ACCEPT,
            StepKind.PREREVIEW,
            StepKind.REVIEW,
            StepKind.DEPARTMENT,
            StepKind.APPROVE,
        }
        for case in cases.filter(status=ApplicationStatus.PUBLICITY):
            assert case.workflow[case.step_index]["kind"] == StepKind.PUBLICITY
            assert case.decided_at is not None

    def test_cases_are_consistent_with_their_workflow_and_events(self):
        for case in demo_cases().prefetch_related("events", "supplements"):
            assert case.receipt_number and case.id_digest and case.subject_name
            assert case.workflow and case.version.form_id == case.form_id
            events = list(case.events.all())
            assert events[0].action == "submitted"
            times = [event.created_at for event in events]
            assert times == sorted(times), case
            assert events[-1].to_status == case.status or events[-1].action in (
                "assign",
                "opinion",
            ), (case, events[-1].action)
            if case.status in (
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.PUBLICITY,
            ):
                assert case.step_due and case.step_started_on
            if case.status == ApplicationStatus.SUPPLEMENT:
                assert case.clock_paused_on
                request = case.supplements.get(resolved_at__isnull=True)
                assert request.items and request.items[0]["key"]
            if case.status in (ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED):
                assert case.decided_at > case.submitted_at
        receipts = list(demo_cases().values_list("receipt_number", flat=True))
        assert len(set(receipts)) == len(receipts)
        for counter in ReceiptCounter.objects.all():
            numbers = Application.objects.filter(
                receipt_number__startswith=f"{counter.prefix}-{counter.year}-"
            ).values_list("receipt_number", flat=True)
            assert (
                not numbers
                or max(int(n.rsplit("-", 1)[1]) for n in numbers) <= counter.last
            )

    def test_every_district_and_several_departments(self):
        cases = demo_cases()
        assert cases.values("district").distinct().count() >= 11
        tasks = DepartmentTask.objects.filter(application__in=cases)
        assert tasks.values("department").distinct().count() >= 5
        assert tasks.filter(answered_at__isnull=True).exists()
        assert tasks.filter(answered_at__isnull=False, agrees=False).exists()
        open_tasks = tasks.filter(
            answered_at__isnull=True, application__status=ApplicationStatus.SUBMITTED
        )
        assert open_tasks.values("department").distinct().count() >= 4

    def test_submissions_span_the_year_and_some_are_overdue(self):
        dates = sorted(demo_cases().values_list("submitted_at", flat=True))
        assert (dates[-1] - dates[0]).days >= 300
        months = {timezone.localtime(d).strftime("%Y-%m") for d in dates}
        assert len(months) >= 10
        today = timezone.localdate()
        overdue = demo_cases().filter(
            status=ApplicationStatus.SUBMITTED, step_due__lt=today
        )
        assert overdue.count() >= 5
        assert all(d <= timezone.now() for d in dates)

    def test_generated_answers_pass_their_form_version(self):
        """Decrypted and posted back, the answers validate: the only errors are
        the file fields the bulk cases leave empty."""
        checked = Counter()
        for case in demo_cases().select_related("version", "form").order_by("pk"):
            if checked[case.form_id] >= 6:
                continue
            checked[case.form_id] += 1
            definition = case.version.definition
            answers = {k: unsealed(v) for k, v in case.answers.items()}
            evaluation = evaluate(
                split_steps(definition, case.form.title), post_of(answers), {}
            )
            errors = {
                key
                for step_errors in evaluation.errors_by_step.values()
                for key in step_errors
            }
            assert errors <= file_keys(definition), (case, errors)
            assert evaluation.answers == answers, case
        assert len(checked) == len(REVIEW_STEPS)

    def test_answer_generator_makes_valid_ids_and_honours_conditions(self):
        page = ApplicationFormPage.objects.get(title="人才住房补贴申请")
        definition = page.latest_version().definition
        seen = set()
        for seed in range(30):
            person = Person(
                name="陈志远",
                gender="男",
                birth=datetime.date(1988, 5, 6),
                id_kind="resident",
                id_number="350503198805060013",
                mobile="13900001234",
                email="a@example.com",
                nationality="中国",
                division="350582",
                employer_name="晋江鸿图运动用品有限公司",
                employer_uscc="91350582705128360X",
            )
            answers = answers_for(
                definition,
                page.title,
                person,
                random.Random(seed),
                timezone.localdate(),
            )
            seen.add(answers["owns_home"])
            # Only the branch that applies is answered.
            if answers["owns_home"] == "yes":
                assert "purchase_price" in answers and "monthly_rent" not in answers
            else:
                assert "monthly_rent" in answers and "purchase_price" not in answers
            assert ("spouse_name" in answers) == (answers["marital_status"] == "已婚")
        assert seen == {"yes", "no"}
        for case in demo_cases().filter(form__title="高层次人才认定申请")[:20]:
            number = crypto.decrypt(case.answers["id_document"]["cipher"])
            assert is_valid_resident_id(number) or number.startswith("E")

    def test_each_form_has_its_review_steps(self):
        for page in ApplicationFormPage.objects.filter(review_steps__isnull=False):
            steps = [step.snapshot() for step in page.review_steps.all()]
            assert steps[0]["kind"] == StepKind.ACCEPT and steps[0]["group_id"]
            department_steps = [s for s in steps if s["kind"] == StepKind.DEPARTMENT]
            assert department_steps and department_steps[0]["department_ids"]
        recognition = ApplicationFormPage.objects.get(title="高层次人才认定申请")
        kinds = [step["kind"] for step in workflow.workflow_of(recognition)]
        assert kinds == ["accept", "prereview", "review", "department", "approve"] + [
            "publicity"
        ]
        assert recognition.live and not recognition.has_unpublished_changes

    def test_statistics_show_real_shapes(self):
        queryset = statistics.submitted_applications()
        assert sum(row["count"] for row in statistics.by_status(queryset)) >= 300
        assert len(statistics.by_stage(queryset)) >= 5
        assert len(statistics.by_department(queryset)) >= 5
        assert len(statistics.by_district(queryset)) >= 11
        period = statistics.Period.last_months(12)
        months = statistics.by_month(queryset, period)
        assert sum(1 for row in months if row["count"]) >= 10
        assert statistics.by_tier(queryset)
        assert statistics.overdue_count() >= 5
        days = [d.days for d in statistics.durations(statistics.decided_applications())]
        assert len(days) >= 100 and len(set(days)) >= 8
        summary = statistics.summary(days)
        assert summary

    def test_completed_cases_reach_the_talent_database_and_publicity(self):
        completed = demo_cases().filter(status=ApplicationStatus.COMPLETED)
        profiles = TalentProfile.objects.filter(source_application__in=completed)
        assert profiles.count() >= 30
        assert profiles.filter(tier__isnull=False).exists()
        batch = PublicityBatch.objects.get(published_at__isnull=False)
        assert batch.entries.filter(application__in=demo_cases()).exists()
        for entry in batch.entries.all():
            assert "*" in entry.masked_name and "*" in entry.masked_id

    def test_approved_talents_have_cards_that_verify_and_partners_show(self):
        cards = TalentCard.objects.filter(profile__user__isnull=False)
        assert cards.count() == TalentProfile.objects.filter(user__isnull=False).count()
        assert cards.exists()
        assert Partner.objects.filter(active=True).count() >= 3
        card = cards.filter(profile__valid_until__gte=timezone.localdate()).first()
        token = services.token_for(card)
        assert services.check(token).outcome == "valid"
        client = Client()
        client.force_login(card.profile.user)
        text = client.get(reverse("applications:card")).content.decode()
        assert card.profile.certificate_number in text
        assert "泉州市第一医院" in text

    def test_units_see_only_what_reached_them(self):
        handler = User.objects.get(username="demo-handler")
        visible = visible_applications(handler)
        assert visible.exists()
        assert not visible.exclude(
            department_tasks__department=handler.department
        ).exists()
        prereviewer = User.objects.get(username="demo-prereview-350582")
        visible = visible_applications(prereviewer)
        assert visible.exists()
        assert set(visible.values_list("district__name", flat=True)) == {"晋江市"}

    def test_queues_and_my_applications_render(self):
        for username in ("demo-reviewer", "demo-clerk", "demo-handler"):
            client = Client()
            client.force_login(User.objects.get(username=username))
            for query in ("", "?queue=mine", "?queue=overdue", "?queue=due_soon"):
                response = client.get(reverse(INDEX) + query)
                assert response.status_code == 200, (username, query)
        case = demo_cases().filter(status=ApplicationStatus.SUPPLEMENT).first()
        client = Client()
        client.force_login(case.applicant)
        mine = client.get(reverse("applications:mine"))
        assert mine.status_code == 200
        html = mine.content.decode()
        for receipt in case.applicant.applications.exclude(
            status=ApplicationStatus.DRAFT
        ).values_list("receipt_number", flat=True):
            assert receipt in html
        for name in ("detail", "supplement"):
            page = client.get(reverse(f"applications:{name}", args=[case.uuid]))
            assert page.status_code == 200, name
        staff = Client()
        staff.force_login(User.objects.get(username="demo-reviewer"))
        view = staff.get(reverse("applications_cases:case", args=[case.uuid]))
        assert view.status_code == 200

    def test_cases_lived_through_the_case_actions_and_notify_nobody(self):
        # Every action bumps the case's version once and writes one event, so
        # a case written any other way shows a version and events that differ.
        cases = demo_cases().annotate(event_count=models.Count("events"))
        mismatched = [
            (case.pk, case.lock_version, case.event_count)
            for case in cases
            if case.lock_version != case.event_count
        ]
        assert mismatched == []
        assert not PendingNotification.objects.filter(
            event__application__in=demo_cases()
        ).exists()

    def test_a_second_load_adds_nothing(self):
        before = row_counts()
        events = CaseEvent.objects.count()
        call_command("load_demo", "--quiet")
        assert row_counts() == before
        assert CaseEvent.objects.count() == events


def test_demo_calendar_walks_like_the_hall_calendar(db):
    from cms.core.workdays import add_working_days

    days = Days(timezone.localdate())
    start = timezone.localdate() - datetime.timedelta(days=200)
    for offset in range(0, 60, 7):
        for n in (0, 1, 3, 5, 10):
            day = start + datetime.timedelta(days=offset)
            assert days.add(day, n) == add_working_days(day, n)
            if n:
                assert days.add(days.back(day, n), n) == days.add(day, 0)


def test_the_replay_mutes_the_case_signals_of_its_own_actions_only(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    """The actions notify after the load's commit; only what the replay sent
    in between the two callbacks of _notifying_nobody reaches nobody."""
    from types import SimpleNamespace

    from django.db import transaction

    from cms.demo.cases import _notifying_nobody
    from forms.casework.workflow import case_event
    from forms.notifications import dispatch

    notified = []
    monkeypatch.setattr(dispatch, "notify", lambda event: notified.append(event.pk))

    def send(name):
        event = SimpleNamespace(pk=name, to_status="submitted", application_id=None)
        transaction.on_commit(lambda: case_event.send(CaseEvent, event=event))

    with django_capture_on_commit_callbacks(execute=True):
        send("before")
        with _notifying_nobody():
            send("replayed")
        send("after")
    assert notified == ["before", "after"]
