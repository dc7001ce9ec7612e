"""Role × action × object: who may see and do what to a case, through every
admin view and endpoint casework added and the applicant's own pages
(docs/security.md D1, D3).

The world (a form with accept → district pre-review → department → approval,
one case at each step, and a user of every role) is built once for the module
inside a transaction that is rolled back at the end; every cell runs in its
own savepoint, so an allowed action never leaks into the next cell.

Expectations are written out by hand below, not derived from the code under
test.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from forms.models import AccessRecord, Application, CaseEvent, DepartmentTask
from tests.cms.hall_admin import client_for
from tests.forms.admin_helpers import ID_A
from tests.forms.test_case_admin import build_world

pytestmark = pytest.mark.django_db

CASES = ("accept", "prereview", "department", "approve")
STAFF = (
    "clerk",
    "reviewer",
    "handler",
    "other_handler",
    "prereviewer",
    "other_prereviewer",
    "superuser",
    # Housing staff without a casework role for its cases.
    "content_editor",
    "content_moderator",
    "form_builder",
    "publicity",
)
ROLES = ("anonymous", "owner", "other_applicant", *STAFF)

# Which cases each staff role sees. Departments and districts keep what
# reached them (the approval case passed both).
SEES = {
    "clerk": set(CASES),  # the window sees every incoming application
    "reviewer": set(CASES),
    "handler": {"department", "approve"},
    "other_handler": set(),
    "prereviewer": {"prereview", "department", "approve"},
    "other_prereviewer": set(),
    "superuser": set(CASES),
    # Belonging to the housing department gives no case rights: only the
    # unit's casework role (经办) does.
    "content_editor": set(),
    "content_moderator": set(),
    "form_builder": set(),
    "publicity": set(),
}
# The decisions of each case's current step, by role.
DECIDES = {
    ("clerk", "accept"): {"accept", "accept_with_tolerance", "return", "reject"},
    ("superuser", "accept"): {"accept", "accept_with_tolerance", "return", "reject"},
    ("prereviewer", "prereview"): {"pass", "return"},
    ("superuser", "prereview"): {"pass", "return"},
    ("handler", "department"): {"opinion"},
    ("superuser", "department"): {"opinion"},
    ("reviewer", "approve"): {"approve", "reject"},
    ("superuser", "approve"): {"approve", "reject"},
}
PRIVILEGED = {"reviewer", "superuser"}  # reveal and export permissions

STEP_ACTIONS = (
    "accept",
    "accept_with_tolerance",
    "return",
    "pass",
    "opinion",
    "approve",
    "reject",
)
ACTIONS = (
    "list",
    "case",
    *STEP_ACTIONS,
    "assign",
    "note",
    "bulk_assign",
    "reveal",
    "export",
    "file",
    "id_lookup",
    "detail",
    "step",
    "review",
    "todo",
    "dispatch",
)


# Who sends the pre-reviewed case on to departments of their choice.
DISPATCHES = {("prereviewer", "prereview"), ("superuser", "prereview")}


def expected(role: str, kind: str, action: str) -> bool:
    if action in ("detail", "step", "review"):
        return role == "owner"
    if action == "todo":
        # The dashboard lists the cases whose current step the role decides.
        return (role, kind) in DECIDES
    if action == "dispatch":
        return (role, kind) in DISPATCHES
    if action == "file":
        return role == "owner" or kind in SEES.get(role, ())
    if role not in STAFF or kind not in SEES[role]:
        return False
    if action in ("list", "case", "id_lookup", "assign", "note", "bulk_assign"):
        return True
    if action in ("reveal", "export"):
        return role in PRIVILEGED
    return action in DECIDES.get((role, kind), set())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def client_of(world, role: str) -> Client:
    if role == "anonymous":
        return Client()
    return client_for(getattr(world, role))


def action_data(world, case, action: str) -> dict:
    data = {
        "accept": {},
        "accept_with_tolerance": {"item-diploma": "on", "due_days": "5"},
        "return": {"item-degree": "on", "reason-degree": "不清晰"},
        "pass": {"departments": str(world.housing.pk)},
        "opinion": {"agrees": "yes", "comment": "同意"},
        "approve": {"comment": "符合条件"},
        "reject": {"comment": "不符合条件"},
        "assign": {"officer": str(world.reviewer.pk)},
        "note": {"comment": "内部备注"},
    }[action]
    data["lock_version"] = str(case.lock_version)
    return {f"{action}-{key}": value for key, value in data.items()}


def observe(world, role: str, kind: str, action: str) -> bool:
    """Do it; True when it was allowed and took effect."""
    client = client_of(world, role)
    case = Application.objects.get(pk=world.cases[kind].pk)
    receipt = case.receipt_number
    case_url = reverse("applications_cases:case", args=[case.uuid])
    if action == "list":
        response = client.get(reverse("applications_application_modeladmin_index"))
        return response.status_code == 200 and receipt in response.content.decode()
    if action == "case":
        return client.get(case_url).status_code == 200
    if action in (*STEP_ACTIONS, "assign", "note"):
        events = CaseEvent.objects.filter(application=case, action=action).count()
        url = reverse("applications_cases:act", args=[case.uuid, action])
        response = client.post(url, action_data(world, case, action))
        took = CaseEvent.objects.filter(application=case, action=action).count()
        done = response.status_code == 302 and response["Location"] == case_url
        assert done == (took == events + 1), (response.status_code, took, events)
        return done
    if action == "todo":
        if role == "anonymous" or role in ("owner", "other_applicant"):
            response = client.get(reverse("wagtailadmin_home"))
            assert response.status_code == 302  # not into the admin at all
            return False
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        return receipt in response.content.decode()
    if action == "dispatch":
        # Pass to a department other than the form's proposal.
        url = reverse("applications_cases:act", args=[case.uuid, "pass"])
        data = action_data(world, case, "pass")
        data["pass-departments"] = str(world.other_department.pk)
        client.post(url, data)
        return DepartmentTask.objects.filter(
            application=case, department=world.other_department
        ).exists()
    if action == "bulk_assign":
        client.post(
            reverse("applications_cases:bulk_assign"),
            {"officer": world.reviewer.pk, "case": f"{case.uuid}:{case.lock_version}"},
        )
        return Application.objects.get(pk=case.pk).officer_id == world.reviewer.pk
    if action == "reveal":
        url = reverse("applications_cases:reveal", args=[case.uuid])
        response = client.post(url, {"reason": "核对身份"})
        shown = response.status_code == 200 and ID_A in response.content.decode()
        audited = AccessRecord.objects.filter(kind="reveal", object_id=str(case.pk))
        assert shown == audited.exists()
        return shown
    if action == "export":
        url = reverse("applications_admin:export", args=[world.form.pk, "csv"])
        response = client.post(url, {"reason": "复核"})
        if response.status_code != 200:
            return False
        return receipt.encode() in b"".join(response.streaming_content)
    if action == "file":
        stored = case.files.get()
        url = reverse("applications:file", args=[stored.uuid])
        return client.get(url).status_code == 200
    if action == "id_lookup":
        response = client.post(
            reverse("applications_admin:find_by_id"), {"id_number": ID_A}, follow=True
        )
        return response.status_code == 200 and receipt in response.content.decode()
    if action == "detail":
        url = reverse("applications:detail", args=[case.uuid])
        return client.get(url).status_code == 200
    if action in ("step", "review"):
        # The owner's submitted case leads to its detail page; others get 404.
        args = [case.uuid, 1] if action == "step" else [case.uuid]
        response = client.get(reverse(f"applications:{action}", args=args))
        detail = reverse("applications:detail", args=[case.uuid])
        return response.status_code in (302, 303) and response["Location"] == detail
    raise AssertionError(action)


CELLS = [(role, kind, action) for role in ROLES for kind in CASES for action in ACTIONS]


@pytest.mark.parametrize(("role", "kind", "action"), CELLS)
def test_rights_matrix(world, role, kind, action):
    assert observe(world, role, kind, action) == expected(role, kind, action)


def test_the_matrix_has_allowed_and_refused_cells_for_every_action():
    """A matrix where an action is always refused (or always allowed) proves
    little: each action must be both somewhere."""
    for action in ACTIONS:
        outcomes = {expected(role, kind, action) for role in ROLES for kind in CASES}
        assert outcomes == {True, False}, action
