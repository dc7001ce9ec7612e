"""Every endpoint x every role: the owner may, everyone else gets 404 (never
403, nothing to learn), anonymous callers 401 and staff 403 (the back office
stays in the admin). Owners act last, so their changes do not decide the
others' answers."""

import uuid

import pytest
from django.test import Client

from forms.models import Application, ApplicationStatus
from tests.api.helpers import BASE, STEP_ONE, App
from tests.factories import make_user
from tests.forms.flow import pdf_upload
from tests.forms.pdfs import with_catalog

pytestmark = pytest.mark.django_db


def second_pdf():
    """Another PDF than the one attached (an identical one counts once)."""
    return pdf_upload("第二份.pdf", with_catalog(b"/Lang (zh-CN)"))


ROLES = ("anonymous", "staff", "other", "employer", "owner")


def call(world, role, method, path, data=None, multipart=False, headers=None):
    headers = dict(headers or {})
    if role == "anonymous":
        client = world.anonymous
    elif role == "staff":
        client = world.staff_client
    else:
        app = getattr(world, role)
        client = app.client
        headers.update(app.headers)
    url = BASE + path
    if method == "get":
        return client.get(url, **headers)
    if multipart:
        return client.post(url, data, **headers)
    return getattr(client, method)(
        url, data or {}, content_type="application/json", **headers
    )


def endpoints(world):
    """(name, method, path, data, multipart, headers, expected for owner)."""
    d, c = world.draft.uuid, world.case.uuid
    return {
        "list forms": ("get", "/forms", None, False, {}),
        "form definition": ("get", f"/forms/{world.form.pk}", None, False, {}),
        "start draft": ("post", "/applications", {"form_id": world.form.pk}, False, {}),
        "my applications": ("get", "/applications", None, False, {}),
        "draft detail": ("get", f"/applications/{d}", None, False, {}),
        "case detail": ("get", f"/applications/{c}", None, False, {}),
        "save step": (
            "put",
            f"/applications/{d}/steps/1",
            {"answers": {**STEP_ONE, "full_name": "李四"}},
            False,
            {},
        ),
        "upload": (
            "post",
            f"/applications/{d}/files/degree_scan",
            {"file": [second_pdf()]},
            True,
            {},
        ),
        "remove file": (
            "delete",
            f"/applications/{d}/files/degree_scan/{world.file.uuid}",
            None,
            False,
            {},
        ),
        "check": ("get", f"/applications/{d}/check", None, False, {}),
        "submit": (
            "post",
            f"/applications/{d}/submit",
            None,
            False,
            {"HTTP_IDEMPOTENCY_KEY": "matrix"},
        ),
        "delete draft": (
            "delete",
            f"/applications/{world.draft2.uuid}",
            None,
            False,
            {},
        ),
        "answer supplement": (
            "post",
            f"/applications/{c}/supplement",
            {
                "request_id": world.request.pk,
                "answers": '{"mobile": "13912345679"}',
                "message": "已更正",
            },
            True,
            {},
        ),
        "withdraw": (
            "post",
            f"/applications/{c}/withdraw",
            {"reason": "不需要了"},
            False,
            {},
        ),
        "messages": ("get", "/messages", None, False, {}),
        "read message": ("post", f"/messages/{world.message.pk}/read", None, False, {}),
        "read all": ("post", "/messages/read-all", None, False, {}),
        "sign-ins": ("get", "/auth/sign-ins", None, False, {}),
    }


PUBLIC = {"list forms", "form definition"}
# What the owner gets; the other talent and the employer contact too for
# endpoints about their own things (their own lists, a draft of their own).
OWNER = {
    "list forms": 200,
    "form definition": 200,
    "start draft": 201,
    "my applications": 200,
    "draft detail": 200,
    "case detail": 200,
    "save step": 200,
    "upload": 201,
    "remove file": 204,
    "check": 200,
    "submit": 200,
    "delete draft": 204,
    "answer supplement": 200,
    "withdraw": 200,
    "messages": 200,
    "read message": 200,
    "read all": 204,
    "sign-ins": 200,
}
OWN_THINGS = {"start draft", "my applications", "messages", "read all", "sign-ins"}


def expected(name: str, role: str) -> int:
    if name in PUBLIC:
        return 200
    if role == "anonymous":
        return 401
    if role == "staff":
        return 403
    if role == "owner" or name in OWN_THINGS:
        return OWNER[name]
    return 404


def snapshot():
    return {
        (a.uuid, a.status, a.lock_version, a.draft_data, a.files.count())
        for a in Application.objects.all()
    }


def test_role_matrix(world):
    """One world for all: everyone but the owner first (they change nothing),
    then the owner, endpoint by endpoint in the order an app calls them."""
    table = endpoints(world)
    for role in ROLES:
        for name in OWNER:
            method, path, data, multipart, headers = table[name]
            if multipart and "file" in data:
                data = {"file": [second_pdf()]}
            before = snapshot()
            response = call(world, role, method, path, data, multipart, headers)
            assert response.status_code == expected(name, role), (
                name,
                role,
                response.status_code,
                response.content[:300],
            )
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json"
                assert response.json()["code"]
            if role != "owner" and name not in OWN_THINGS:
                assert snapshot() == before, (name, role, "changed something")
    world.case.refresh_from_db()
    assert world.case.status == ApplicationStatus.WITHDRAWN
    assert not Application.objects.filter(pk=world.draft2.pk).exists()


def test_lists_show_only_ones_own(world):
    for role in ("other", "employer"):
        app = getattr(world, role)
        listed = {a["uuid"] for a in app.get("/applications").json()}
        assert str(world.case.uuid) not in listed
        assert str(world.draft.uuid) not in listed
        assert app.get("/messages").json()["count"] == 0
    listed = {a["uuid"] for a in world.owner.get("/applications").json()}
    assert {str(world.case.uuid), str(world.draft.uuid)} <= listed


def test_the_owner_sees_the_supplement_request_and_answers_it(world):
    detail = world.owner.get(f"/applications/{world.case.uuid}").json()
    assert detail["status"] == ApplicationStatus.SUPPLEMENT
    [open_request] = detail["open_requests"]
    assert open_request["id"] == world.request.pk
    assert [f["key"] for f in open_request["fields"]] == ["mobile"]
    response = world.owner.client.post(
        f"{BASE}/applications/{world.case.uuid}/supplement",
        {"request_id": world.request.pk, "answers": '{"mobile": "12"}'},
        **world.owner.headers,
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["mobile"]
    response = world.owner.client.post(
        f"{BASE}/applications/{world.case.uuid}/supplement",
        {"request_id": world.request.pk + 1, "answers": "{}"},
        **world.owner.headers,
    )
    assert response.json()["code"] == "request_changed"


def test_an_employer_applies_for_a_talent_of_the_organisation(world, clerks):
    employer = world.employer
    talent = make_user(employer=employer.user.employer)
    outsider = make_user()
    response = employer.post(
        "/applications", {"form_id": world.form.pk, "talent_id": outsider.pk}
    )
    assert response.status_code == 422
    draft = employer.start(world.form, talent_id=talent.pk)
    application = Application.objects.get(uuid=draft)
    assert application.talent == talent and application.applicant == employer.user
    subject = App(Client(), talent)
    # The draft is the employer's alone until it is submitted.
    assert subject.get(f"/applications/{draft}").status_code == 404
    employer.put(
        f"/applications/{draft}/steps/1",
        {
            "answers": {
                "full_name": "王五",
                "id_number": {"kind": "resident", "number": "11010519491231002X"},
                "mobile": "13912345678",
                "owns_home": "no",
            }
        },
    )
    employer.upload(f"/applications/{draft}/files/degree_scan", [pdf_upload()])
    employer.put(
        f"/applications/{draft}/steps/2",
        {
            "answers": {
                "education": [{"school": "华侨大学", "degree": "硕士"}],
                "consent": True,
            }
        },
    )
    assert employer.submit(draft).status_code == 200
    # The talent follows the case, but acts on nothing the employer sent.
    assert subject.get(f"/applications/{draft}").status_code == 200
    assert draft in {a["uuid"] for a in subject.get("/applications").json()}
    assert subject.post(f"/applications/{draft}/withdraw").status_code == 404
    assert employer.post(f"/applications/{draft}/withdraw").status_code == 200


def test_unknown_ids_are_404(world):
    assert world.owner.get(f"/applications/{uuid.uuid4()}").status_code == 404
    assert world.owner.get("/applications/not-a-uuid").status_code == 422
    assert world.owner.get("/forms/999999").status_code == 404
