"""Following a case: 我的申请, the public timeline, withdrawal, and the anonymous
progress lookup (docs/security.md C3, C4, D1, G3)."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory
from django.utils import translation
from freezegun import freeze_time

from forms.builder.engine import unseal_value
from forms.casework.actions import act
from forms.models import ApplicationStatus
from tests.factories import make_department, make_user
from tests.forms.casework_helpers import form_with_steps, staff, submit_as
from tests.forms.flow import VALID_ID

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-02 10:00:00+08:00"
PROGRESS = "/applications/progress/"
GENERIC = "No application matches"


@pytest.fixture
def clerks():
    """A window group with the model rights that let it see every case."""
    group = Group.objects.create(name="受理窗口-跟踪")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="applications",
            codename__in=["view_application", "change_application"],
        )
    )
    return group


@pytest.fixture
def applicant():
    return make_user(real_name="张三")


def three_steps(clerks):
    return form_with_steps(
        ("accept", 2, {"group": clerks}), ("review", 5, {}), ("approve", 3, {})
    )


def from_ip(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def detail_url(application) -> str:
    return f"/applications/{application.uuid}/"


# --- the applicant's timeline ---


def test_the_timeline_hides_internal_notes_staff_names_and_addresses(
    client, clerks, applicant
):
    application = submit_as(client, three_steps(clerks), applicant)
    clerk = staff(clerks, real_name="窗口王五")
    application = act(
        application,
        clerk,
        "note",
        comment="内部备注：申请人单位可疑",
        request=from_ip("10.9.8.7"),
    )
    application = act(
        application, clerk, "accept", comment="材料齐全", request=from_ip("10.9.8.7")
    )
    application = act(
        application,
        make_user(kind="staff", is_superuser=True, real_name="审核赵六"),
        "return",
        items=[{"key": "mobile", "label": "手机号码", "reason": "无法接通"}],
        comment="请核对联系方式",
        request=from_ip("10.9.8.6"),
    )
    # Starting the (Chinese) form set the language cookie; the visitor then
    # switches to English, which the application's pages follow.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        response = client.get(detail_url(application), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for secret in ("内部备注", "10.9.8.7", "10.9.8.6", "窗口王五", "审核赵六"):
        assert secret not in html
    assert "Accepted" in html and "Returned for supplement" in html
    assert "请核对联系方式" in html and "无法接通" in html  # what to fix: shown
    assert "材料齐全" not in html  # a pass comment is the office's, not a decision
    assert 'aria-current="step"' in html
    assert f'href="/applications/{application.uuid}/supplement/"' in html
    assert f'action="/applications/{application.uuid}/withdraw/"' in html


def test_my_applications_shows_stage_holder_and_expected_date(client, applicant):
    housing, education = make_department(name="住建局"), make_department(name="教育局")
    form = form_with_steps(
        ("department", 5, {"departments": [housing, education]}), ("approve", 3, {})
    )
    with freeze_time(MONDAY):
        application = submit_as(client, form, applicant)
        response = client.get("/applications/")
    html = response.content.decode()
    assert response.status_code == 200
    assert application.receipt_number in html
    assert "住建局、教育局" in html
    # Departments due 5 working days later (03-09), then 3 of approval.
    assert "2026-03-12" in html
    handler = staff(housing.casework_group, department=housing)
    act(application, handler, "opinion", comment="同意")
    client.force_login(applicant)  # the frozen session has timed out
    html = client.get("/applications/").content.decode()
    assert "住建局" not in html and "教育局" in html  # housing has answered


def test_my_applications_calls_to_action_on_a_supplement_request(
    client, clerks, applicant
):
    application = submit_as(client, three_steps(clerks), applicant)
    html = client.get("/applications/").content.decode()
    assert "data-supplement-cta" not in html
    act(
        application,
        staff(clerks),
        "return",
        items=[{"key": "", "label": "社保证明", "reason": ""}],
    )
    html = client.get("/applications/").content.decode()
    assert "data-supplement-cta" in html
    assert f'href="/applications/{application.uuid}/supplement/"' in html


def test_withdrawing(client, clerks, applicant):
    application = submit_as(client, three_steps(clerks), applicant)
    url = f"/applications/{application.uuid}/withdraw/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "已在外地就业"})
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    event = application.events.order_by("-pk").first()
    assert (event.action, event.comment, event.actor) == (
        "withdraw",
        "已在外地就业",
        applicant,
    )
    html = client.get(detail_url(application)).content.decode()
    assert f'action="/applications/{application.uuid}/withdraw/"' not in html
    events = application.events.count()
    client.post(url)  # too late now: nothing happens
    assert application.events.count() == events


def test_another_applicant_gets_404_everywhere(client, clerks, applicant):
    application = submit_as(client, three_steps(clerks), applicant)
    act(
        application,
        staff(clerks),
        "return",
        items=[{"key": "mobile", "label": "手机号码", "reason": ""}],
    )
    client.force_login(make_user())
    base = detail_url(application)
    for path in (base, base + "supplement/", base + "materials/"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"mobile": "13800001111"}).status_code == 404, path
    assert client.post(base + "withdraw/").status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    assert unseal_value(application.answers["mobile"]) == "13912345678"
    client.logout()
    assert client.get(base).status_code == 302  # to the sign-in page


# --- the public progress lookup ---


@pytest.fixture
def case(client, clerks, applicant):
    with freeze_time(MONDAY):
        application = submit_as(client, three_steps(clerks), applicant)
        application = act(application, staff(clerks), "accept")
    client.logout()
    return application


def lookup(client, receipt, last_four, ip="192.0.2.1"):
    with translation.override("en"):
        return client.post(
            PROGRESS,
            {"receipt_number": receipt, "id_last_four": last_four},
            REMOTE_ADDR=ip,
            HTTP_ACCEPT_LANGUAGE="en",
        )


def test_progress_lookup_answers_the_stage_and_nothing_personal(client, case):
    assert client.get(PROGRESS).status_code == 200
    response = lookup(client, case.receipt_number.lower(), VALID_ID[-4:].lower())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "data-result" in html
    assert case.receipt_number in html
    assert "Window acceptance" in html  # a step done
    assert "2026-03-02" in html  # ... with its date
    assert "2026-03-12" in html  # review due 03-09, then 3 days of approval
    for personal in ("张三", "13912345678", "139****5678", VALID_ID, "002X"):
        assert personal not in html, personal
    assert "厦门大学" not in html  # no answers


def error_summary(response) -> str:
    match = re.search(
        r'<div class="error-summary".*?</div>', response.content.decode(), re.S
    )
    return match.group(0) if match else ""


def test_unknown_receipt_and_wrong_digits_get_the_same_answer(client, case):
    wrong = lookup(client, case.receipt_number, "1234")
    unknown = lookup(client, "QZRC-2026-999999", VALID_ID[-4:])
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC in error_summary(wrong)
    assert error_summary(wrong) == error_summary(unknown)
    assert "data-result" not in wrong.content.decode()
    assert "data-result" not in unknown.content.decode()


def test_wrong_digits_are_limited_per_receipt(client, case):
    for attempt in range(5):
        response = lookup(client, case.receipt_number, "0000", ip=f"192.0.2.{attempt}")
        assert response.status_code == 200
    # Even the right digits, from another address, are refused for a while.
    response = lookup(client, case.receipt_number, VALID_ID[-4:], ip="198.51.100.7")
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert "data-result" not in response.content.decode()
    with freeze_time(datetime.datetime.now() + datetime.timedelta(hours=2)):
        response = lookup(client, case.receipt_number, VALID_ID[-4:], ip="198.51.100.8")
    assert response.status_code == 200
    assert "data-result" in response.content.decode()


def test_tries_are_limited_per_address(client, case):
    for number in range(10):
        response = lookup(client, f"QZRC-2026-{number:06d}", "0000")
        assert response.status_code == 200
    response = lookup(client, case.receipt_number, VALID_ID[-4:])
    assert response.status_code == 429
    response = lookup(client, case.receipt_number, VALID_ID[-4:], ip="192.0.2.99")
    assert response.status_code == 200


def test_progress_lookup_needs_csrf_and_post(case):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        PROGRESS,
        {"receipt_number": case.receipt_number, "id_last_four": VALID_ID[-4:]},
    )
    assert response.status_code == 403
    page = browser.get(PROGRESS + f"?receipt_number={case.receipt_number}")
    assert "data-result" not in page.content.decode()  # the URL is never read
