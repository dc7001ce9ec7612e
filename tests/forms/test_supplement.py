"""Answering a supplement request: only what was asked changes, files are
replaced atomically, the clock restarts, and 容缺 materials leave the case
where it is (applicant side)."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from freezegun import freeze_time

from cms.core import crypto
from cms.core.identifiers import resident_id_check_char
from forms.builder.engine import unseal_value
from forms.casework.actions import act
from forms.models import ApplicationFile, ApplicationStatus, SupplementRequest
from tests.factories import make_user
from tests.forms.casework_helpers import form_with_steps, staff, submit_as
from tests.forms.flow import VALID_ID, pdf_upload

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-02 10:00:00+08:00"
NEXT_MONDAY = "2026-03-09 10:00:00+08:00"

RETURN_ITEMS = [
    {"key": "mobile", "label": "手机号码", "reason": "号码无法接通"},
    {"key": "id_number", "label": "证件号码", "reason": "与证件不一致"},
    {"key": "degree_scan", "label": "学位证书", "reason": "扫描件不清晰"},
    {"key": "", "label": "社保缴纳证明", "reason": "近六个月"},
]


def other_valid_id() -> str:
    body = "35050219880808123"
    return body + resident_id_check_char(body)


@pytest.fixture
def clerks():
    """A window group with the model rights that let it see every case."""
    group = Group.objects.create(name="受理窗口-补正")
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


@pytest.fixture
def clerk(clerks):
    return staff(clerks)


def blobs(application) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "applications" / str(application.uuid)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def returned(client, clerks, clerk, applicant, items=RETURN_ITEMS):
    form = form_with_steps(
        ("accept", 2, {"group": clerks}), ("review", 5, {}), ("approve", 3, {})
    )
    application = submit_as(client, form, applicant)
    return act(application, clerk, "return", items=items, comment="请一次补齐")


def url(application, name="supplement") -> str:
    return f"/applications/{application.uuid}/{name}/"


def answer(application, **fields):
    data = {
        "request": str(application.supplements.get(resolved_at__isnull=True).pk),
        "mobile": "13800001111",
        "id_number-kind": "resident",
        "id_number-number": VALID_ID,
        "message": "已按要求补正",
    }
    data.update(fields)
    return data


def test_the_page_shows_only_the_requested_fields_with_current_answers(
    client, clerks, clerk, applicant
):
    application = returned(client, clerks, clerk, applicant)
    response = client.get(url(application))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for name in ('name="mobile"', 'name="id_number-number"', 'name="degree_scan"'):
        assert name in html
    for other in ('name="full_name"', 'name="owns_home"', 'name="education-rows"'):
        assert other not in html
    assert 'value="13912345678"' in html
    assert f'value="{VALID_ID}"' in html  # decrypted for its owner to edit
    assert 'name="degree_scan-remove"' in html  # the attached scan, removable
    assert "社保缴纳证明" in html and "近六个月" in html  # to read, no input
    assert "请一次补齐" in html


def test_resubmitting_changes_only_what_was_asked_and_restarts_the_clock(
    client, clerks, clerk, applicant
):
    with freeze_time(MONDAY):
        application = returned(client, clerks, clerk, applicant)
        due = application.step_due
        answers_before = dict(application.answers)
    assert application.clock_paused_on == datetime.date(2026, 3, 2)
    new_id = other_valid_id()
    with freeze_time(NEXT_MONDAY):
        client.force_login(applicant)  # the session timed out during the week
        response = client.post(
            url(application),
            answer(
                application,
                **{"id_number-number": new_id},
                full_name="李四",  # not requested: ignored
                owns_home="no",
            ),
        )
    assert response.status_code == 303
    assert response["Location"] == f"/applications/{application.uuid}/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.clock_paused_on is None
    assert application.step_due == due + datetime.timedelta(days=7)
    assert unseal_value(application.answers["mobile"]) == "13800001111"
    assert application.answers["full_name"] == answers_before["full_name"] == "张三"
    assert application.answers["owns_home"] == answers_before["owns_home"]
    assert application.answers["education"] == answers_before["education"]
    sealed = application.answers["id_number"]
    assert new_id not in str(application.answers)  # still sealed
    assert crypto.decrypt(sealed["cipher"]) == new_id
    assert application.id_digest == crypto.blind_index(new_id)
    event = application.events.order_by("-pk").first()
    assert (event.action, event.comment, event.actor) == (
        "resubmit",
        "已按要求补正",
        applicant,
    )
    assert SupplementRequest.objects.get().resolved_at is not None


def test_a_second_post_does_nothing_new(client, clerks, clerk, applicant):
    application = returned(client, clerks, clerk, applicant)
    data = answer(application)
    client.post(url(application), data)
    application.refresh_from_db()
    events, answers = application.events.count(), application.answers
    lock = application.lock_version
    response = client.post(url(application), dict(data, mobile="13700002222"))
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.events.count() == events
    assert application.answers == answers
    assert application.lock_version == lock
    assert client.get(url(application)).status_code == 303  # nothing to answer


def test_invalid_answers_change_nothing(client, clerks, clerk, applicant):
    application = returned(client, clerks, clerk, applicant)
    with mock.patch("forms.applying.supplement.actions.act") as acted:
        response = client.post(url(application), answer(application, mobile="123"))
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    acted.assert_not_called()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    assert unseal_value(application.answers["mobile"]) == "13912345678"


def test_a_stale_page_of_an_earlier_request_is_refused(
    client, clerks, clerk, applicant
):
    application = returned(client, clerks, clerk, applicant)
    data = answer(application, request="999999")
    response = client.post(url(application), data)
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    assert unseal_value(application.answers["mobile"]) == "13912345678"


def test_files_are_replaced_in_one_transaction(
    client, clerks, clerk, applicant, django_capture_on_commit_callbacks
):
    application = returned(client, clerks, clerk, applicant)
    old = application.files.get()
    data = answer(
        application,
        **{"degree_scan-remove": str(old.uuid)},
        degree_scan=pdf_upload("清晰版.pdf"),
    )
    # The resubmission fails after the new file was written: nothing changes.
    with mock.patch(
        "forms.applying.supplement.actions.act", side_effect=RuntimeError("crash")
    ):
        with pytest.raises(RuntimeError):
            client.post(url(application), data)
    assert list(ApplicationFile.objects.values_list("pk", flat=True)) == [old.pk]
    assert blobs(application) == [Path(old.file.path)]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    assert unseal_value(application.answers["mobile"]) == "13912345678"

    data["degree_scan"] = pdf_upload("清晰版.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(application), data).status_code == 303
    new = application.files.get()
    assert new.original_name == "清晰版.pdf"
    assert blobs(application) == [Path(new.file.path)]


def test_removing_a_required_file_without_a_new_one_is_refused(
    client, clerks, clerk, applicant
):
    application = returned(client, clerks, clerk, applicant)
    old = application.files.get()
    response = client.post(
        url(application), answer(application, **{"degree_scan-remove": str(old.uuid)})
    )
    assert response.status_code == 200
    assert application.files.get() == old


def test_materials_to_follow_are_sent_without_moving_the_case(
    client, clerks, clerk, applicant
):
    form = form_with_steps(
        ("accept", 2, {"group": clerks}), ("review", 5, {}), ("approve", 3, {})
    )
    application = submit_as(client, form, applicant)
    application = act(
        application,
        clerk,
        "accept_with_tolerance",
        items=[
            {"key": "degree_scan", "label": "学位证书原件扫描", "reason": ""},
            {"key": "", "label": "获奖证书", "reason": "原件核验"},
        ],
        due_days=5,
        comment="容缺受理",
    )
    assert application.step_index == 1
    assert client.get(url(application)).status_code == 303  # not a return
    response = client.get(url(application, "materials"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="degree_scan"' in html and 'name="mobile"' not in html
    assert "获奖证书" in html
    request = application.supplements.get()
    lock = application.lock_version
    response = client.post(
        url(application, "materials"),
        {
            "request": str(request.pk),
            "degree_scan": pdf_upload("原件扫描.pdf"),
            "message": "补交原件扫描",
        },
    )
    assert response.status_code == 303
    application.refresh_from_db()
    assert (application.status, application.step_index) == (
        ApplicationStatus.SUBMITTED,
        1,
    )
    assert application.lock_version == lock + 1
    assert sorted(application.files.values_list("original_name", flat=True)) == [
        "原件扫描.pdf",
        "学位证书.pdf",
    ]
    event = application.events.order_by("-pk").first()
    assert (event.action, event.public, event.comment) == (
        "materials_received",
        True,
        "补交原件扫描",
    )
    assert event.data["keys"] == ["degree_scan"]
    request.refresh_from_db()
    assert request.resolved_at is not None
    events = application.events.count()
    client.post(url(application, "materials"), {"request": str(request.pk)})
    assert application.events.count() == events


def test_only_the_applicant_may_answer(client, clerks, clerk, applicant):
    application = returned(client, clerks, clerk, applicant)
    client.force_login(make_user())
    assert client.get(url(application)).status_code == 404
    assert client.post(url(application), answer(application)).status_code == 404
    client.force_login(clerk)
    assert client.get(url(application)).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT


def test_a_requested_group_can_gain_a_row(client, clerks, clerk, applicant):
    items = [{"key": "education", "label": "学习经历", "reason": "缺硕士阶段"}]
    application = returned(client, clerks, clerk, applicant, items=items)
    html = client.get(url(application)).content.decode()
    assert 'value="厦门大学"' in html and 'name="education-1-school"' not in html
    rows = {
        "request": str(application.supplements.get().pk),
        "education-rows": "1",
        "education-0-school": "厦门大学",
        "education-0-degree": "博士",
    }
    response = client.post(url(application), dict(rows, _add_row="education"))
    assert response.status_code == 200  # the form again, one row more
    assert 'name="education-1-school"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    rows.update(
        {
            "education-rows": "2",
            "education-1-school": "华侨大学",
            "education-1-degree": "硕士",
        }
    )
    assert client.post(url(application), rows).status_code == 303
    application.refresh_from_db()
    assert application.answers["education"] == [
        {"school": "厦门大学", "degree": "博士"},
        {"school": "华侨大学", "degree": "硕士"},
    ]
    assert application.status == ApplicationStatus.SUBMITTED
