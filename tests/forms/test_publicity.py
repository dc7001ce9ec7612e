"""Publicity (公示): batches, the masked public page, objections holding a case,
and the end of the period (docs/security.md G4, G5)."""

import datetime
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.urls import include, path
from django.utils import timezone, translation
from freezegun import freeze_time

import cms.urls
import forms.talents.profiles  # noqa: F401 (the profile receiver; wired in apps.ready)
from cms.core.identifiers import is_valid_resident_id, resident_id_check_char
from cms.core.models import TalentTier
from forms.builder.engine import seal_answers
from forms.models import (
    Application,
    ApplicationStatus,
    CaseEvent,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    TalentProfile,
)
from forms.publicity import batches as publicity
from tests.factories import (
    make_employer,
    make_form,
    make_user,
)

# Until cms/urls.py includes forms.publicity.urls at /publicity/, this module is
# its own URLconf: the public pages first, then the site's.
urlpatterns = [
    path("publicity/", include("forms.publicity.urls")),
    # cms.urls holds i18n_patterns, which cannot be included.
    *cms.urls.urlpatterns,
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# Monday 2026-03-02; no holidays in the weeks that follow.
MONDAY = "2026-03-02 10:00:00+08:00"
TIER = "第三层次人才"


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def field(kind, key, label, **extra):
    item = {
        "type": kind,
        "key": key,
        "label": label,
        "help_text": "",
        "required": True,
        "condition": None,
    }
    item.update(extra)
    return item


DEFINITION = [
    {"type": "step", "title": "基本信息", "description": "", "condition": None},
    field(
        "short_text",
        "full_name",
        "姓名",
        max_length=50,
        prefill="real_name",
        pattern="",
        pattern_message="",
    ),
    field("personal_id", "id_number", "证件号码", id_kinds=["resident"], prefill=""),
    field("mobile", "mobile", "手机号码", prefill=""),
    field(
        "short_text",
        "employer_name",
        "用人单位",
        max_length=100,
        prefill="employer_name",
        pattern="",
        pattern_message="",
    ),
    field("dropdown", "tier", "申请认定层次", choices=["第二层次人才", TIER]),
    field(
        "short_text",
        "industry",
        "所属领域",
        required=False,
        max_length=60,
        prefill="",
        pattern="",
        pattern_message="",
    ),
]

WORKFLOW = [
    {"kind": "approve", "name": "", "group_id": None, "department_ids": [], "days": 3},
    {
        "kind": "publicity",
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 5,
    },
]

# --- the PII scanner (G5) ---

ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_LIKE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def pii_findings(text: str) -> list[str]:
    """Full 18-character ID numbers (valid or not) and 11-digit mobile numbers."""
    return ID_LIKE.findall(text) + MOBILE_LIKE.findall(text)


def test_the_scanner_finds_what_it_looks_for():
    """Negative control: a page with a full ID or mobile number is reported."""
    assert pii_findings("<td>11010519491231002X</td>") == ["11010519491231002X"]
    assert pii_findings("电话 13912345678。") == ["13912345678"]
    assert pii_findings("<td>3505**********1234</td><td>139****5678</td>") == []


# --- builders ---


@pytest.fixture
def tier():
    return TalentTier.objects.get_or_create(name=TIER, defaults={"code": "t3"})[0]


@pytest.fixture
def form():
    return make_form(definition=DEFINITION)


_sequence = iter(range(100, 999))


def in_publicity(form, name="张小三", id_number=None, employer=None, **answers):
    """An application approved into its publicity step, built directly."""
    number = id_number or resident_id(f"35050219880101{next(_sequence):03d}")
    assert is_valid_resident_id(number)
    raw = {
        "full_name": name,
        "id_number": {"kind": "resident", "number": number},
        "mobile": "13912345678",
        "employer_name": employer.name if employer else "泉州清源新材料科技有限公司",
        "tier": TIER,
        **answers,
    }
    version = form.latest_version()
    sealed, digest = seal_answers(version.definition, raw)
    return Application.objects.create(
        form=form,
        version=version,
        applicant=make_user(real_name=name),
        employer=employer,
        status=ApplicationStatus.PUBLICITY,
        receipt_number=f"QZRC-2026-{uuid.uuid4().hex[:8]}",
        start_token=uuid.uuid4(),
        subject_name=name,
        id_digest=digest,
        answers=sealed,
        workflow=WORKFLOW,
        step_index=1,
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
    )


def published(applications, **options) -> PublicityBatch:
    batch = publicity.create_batch(
        "2026年第三批高层次人才认定公示",
        applications,
        contact_phone="0595-22222222",
        **options,
    )
    return publicity.publish(batch)


def objection_data(batch, application, **overrides):
    entry = batch.entries.get(application=application)
    data = {
        "entry": entry.pk,
        "name": "李四",
        "phone": "13800001111",
        "relation": "同事",
        "content": "申报材料中的任职时间与实际不符。",
    }
    data.update(overrides)
    return data


def close() -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("close_publicity", stdout=out)
    return out.getvalue()


# --- batches ---


@freeze_time(MONDAY)
def test_a_batch_lasts_the_publicity_steps_working_days(form):
    application = in_publicity(form)
    batch = publicity.create_batch("公示", [application])
    assert batch.working_days == 5
    assert batch.starts_on == datetime.date(2026, 3, 2)
    assert batch.ends_on == datetime.date(2026, 3, 6)  # Monday to Friday
    weekend_start = publicity.create_batch(
        "公示",
        [in_publicity(form)],
        starts_on=datetime.date(2026, 3, 7),
        working_days=3,
    )
    assert weekend_start.ends_on == datetime.date(2026, 3, 11)  # Mon, Tue, Wed


@freeze_time(MONDAY)
def test_only_applications_in_publicity_and_in_no_batch_can_be_gathered(form):
    first = in_publicity(form)
    publicity.create_batch("第一批", [first])
    assert list(publicity.eligible_applications()) == []
    with pytest.raises(publicity.PublicityError):
        publicity.create_batch("第二批", [first])
    reviewing = in_publicity(form)
    Application.objects.filter(pk=reviewing.pk).update(
        status=ApplicationStatus.SUBMITTED
    )
    with pytest.raises(publicity.PublicityError):
        publicity.create_batch("第二批", [reviewing])


@freeze_time(MONDAY)
def test_publishing_writes_masked_lines_only(form, tier):
    employer = make_employer(name="泉州市港湾科技有限公司")
    number = resident_id("35050219880101231")
    application = in_publicity(
        form, name="欧阳小锋", id_number=number, employer=employer
    )
    batch = published([application])
    entry = batch.entries.get()
    assert entry.number == 1
    assert entry.masked_name == "欧**锋"
    assert entry.masked_id == number[:4] + "*" * 10 + number[-4:]
    assert entry.employer_name == "泉州市港湾科技有限公司"
    assert TIER in entry.category and form.title in entry.category


@freeze_time(MONDAY)
def test_the_public_page_shows_no_unmasked_personal_data(client, form):
    numbers = [resident_id(f"3505021988010{i + 1}231") for i in range(3)]
    applications = [
        in_publicity(form, name=name, id_number=number)
        for name, number in zip(["张三", "李小四", "欧阳小锋"], numbers, strict=True)
    ]
    batch = published(applications)
    with translation.override("en"):
        listing = client.get("/publicity/")
        page = client.get(f"/publicity/{batch.pk}/")
    assert listing.status_code == 200 and batch.title in listing.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert page["X-Robots-Tag"].startswith("noindex")
    assert pii_findings(html) == []
    for number in numbers:
        assert number not in html and number[6:14] not in html
        assert number[:4] + "**********" + number[-4:] in html
    for name in ["张三", "李小四", "欧阳小锋"]:
        assert name not in html
    assert "张*" in html and "李*四" in html and "欧**锋" in html
    assert "0595-22222222" in html  # where to object


@freeze_time(MONDAY)
def test_unpublished_or_future_batches_are_not_public(client, form):
    draft = publicity.create_batch("草稿", [in_publicity(form)])
    assert client.get(f"/publicity/{draft.pk}/").status_code == 404
    later = published([in_publicity(form)], starts_on=datetime.date(2026, 3, 9))
    assert client.get(f"/publicity/{later.pk}/").status_code == 404
    assert later.title not in client.get("/publicity/").content.decode()


# --- objections ---


@freeze_time(MONDAY)
def test_an_objection_is_recorded_and_holds_the_application(client, form):
    application = in_publicity(form)
    batch = published([application])
    response = client.post(
        f"/publicity/{batch.pk}/", objection_data(batch, application)
    )
    assert response.status_code == 303
    objection = Objection.objects.get()
    assert (objection.application, objection.batch) == (application, batch)
    assert objection.status == ObjectionStatus.OPEN
    assert objection.phone == "13800001111"
    assert publicity.is_held(application)
    # The objector's own number is not shown back on the page.
    assert pii_findings(client.get(response["Location"]).content.decode()) == []


@freeze_time(MONDAY)
def test_an_objection_needs_content_and_a_mobile_number(client, form):
    application = in_publicity(form)
    batch = published([application])
    url = f"/publicity/{batch.pk}/"
    for bad in ({"content": ""}, {"phone": "0595-2222"}, {"name": ""}):
        response = client.post(url, objection_data(batch, application, **bad))
        assert response.status_code == 400
    assert not Objection.objects.exists()


@freeze_time(MONDAY)
def test_objections_need_the_csrf_token(form):
    from django.test import Client

    application = in_publicity(form)
    batch = published([application])
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"/publicity/{batch.pk}/", objection_data(batch, application)
    )
    assert response.status_code == 403
    assert not Objection.objects.exists()


@freeze_time(MONDAY)
def test_objections_are_rate_limited_per_address(client, form, settings):
    settings.PUBLICITY_OBJECTION_LIMIT = 2
    application = in_publicity(form)
    batch = published([application])
    url = f"/publicity/{batch.pk}/"
    codes = [
        client.post(url, objection_data(batch, application)).status_code
        for _ in range(3)
    ]
    assert codes == [303, 303, 429]
    assert Objection.objects.count() == 2


def test_no_objections_after_the_period(client, form):
    with freeze_time(MONDAY):
        application = in_publicity(form)
        batch = published([application])
    with freeze_time("2026-03-09 09:00:00+08:00"):  # period ended Friday
        response = client.post(
            f"/publicity/{batch.pk}/", objection_data(batch, application)
        )
    assert response.status_code == 200
    assert not Objection.objects.exists()


# --- the end of the period ---


def test_close_publicity_completes_the_rest_and_takes_the_page_down(client, form):
    with freeze_time(MONDAY):
        clear, objected = in_publicity(form), in_publicity(form)
        batch = published([clear, objected])
        client.post(f"/publicity/{batch.pk}/", objection_data(batch, objected))
    with freeze_time("2026-03-06 18:00:00+08:00"):  # last day: nothing yet
        close()
        assert Application.objects.get(pk=clear.pk).status == "publicity"
        assert client.get(f"/publicity/{batch.pk}/").status_code == 200
    with freeze_time("2026-03-09 00:30:00+08:00"):
        output = close()
        page = client.get(f"/publicity/{batch.pk}/")
    assert (
        "1 batch(es) taken down, 1 application(s) completed, 1 held by objections"
        in output
    )
    clear.refresh_from_db()
    objected.refresh_from_db()
    assert clear.status == ApplicationStatus.COMPLETED
    assert objected.status == ApplicationStatus.PUBLICITY  # held
    batch.refresh_from_db()
    assert batch.closed_at is not None
    assert page.status_code == 404
    assert "data-publicity-ended" in page.content.decode()
    assert "data-publicity-list" not in page.content.decode()
    assert batch.title not in client.get("/publicity/").content.decode()
    assert clear.events.filter(action="publicity_end").count() == 1


def test_close_publicity_is_idempotent(form):
    with freeze_time(MONDAY):
        application = in_publicity(form)
        batch = published([application])
    with freeze_time("2026-03-10 00:30:00+08:00"):
        close()
        state = (
            CaseEvent.objects.count(),
            PublicityBatch.objects.get(pk=batch.pk).closed_at,
            TalentProfile.objects.count(),
        )
        close()
        again = (
            CaseEvent.objects.count(),
            PublicityBatch.objects.get(pk=batch.pk).closed_at,
            TalentProfile.objects.count(),
        )
    assert state == again
    assert Application.objects.get(pk=application.pk).status == "completed"


def test_a_dismissed_objection_releases_the_hold(client, form):
    staff = make_user(kind="staff", is_superuser=True)
    with freeze_time(MONDAY):
        application = in_publicity(form)
        batch = published([application])
        client.post(f"/publicity/{batch.pk}/", objection_data(batch, application))
    with freeze_time("2026-03-09 00:30:00+08:00"):
        close()
        assert Application.objects.get(pk=application.pk).status == "publicity"
        with pytest.raises(publicity.PublicityError):
            publicity.dismiss(Objection.objects.get(), staff, "  ")
        publicity.dismiss(Objection.objects.get(), staff, "经核实，任职时间无误。")
    # The period is over: the application completes at once.
    assert Application.objects.get(pk=application.pk).status == "completed"
    with pytest.raises(publicity.PublicityError):  # handled once only
        publicity.uphold(Objection.objects.get(), staff, "再次处理")


def test_an_upheld_objection_rejects_the_application(client, form):
    staff = make_user(kind="staff", is_superuser=True)
    with freeze_time(MONDAY):
        application = in_publicity(form)
        batch = published([application])
        client.post(f"/publicity/{batch.pk}/", objection_data(batch, application))
        publicity.uphold(Objection.objects.get(), staff, "经核实，任职时间造假。")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decision_reason == "经核实，任职时间造假。"
    event = application.events.get(action="reject")
    assert (event.from_status, event.to_status, event.actor) == (
        "publicity",
        "rejected",
        staff,
    )
    with freeze_time("2026-03-10 00:30:00+08:00"):
        close()
    assert Application.objects.get(pk=application.pk).status == "rejected"
    assert not TalentProfile.objects.exists()
