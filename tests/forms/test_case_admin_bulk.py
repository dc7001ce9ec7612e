"""The case view's reveal of personal data, and bulk assignment from the staff list."""

import pytest
from django.urls import reverse

from forms.casework import actions
from forms.models import (
    AccessRecord,
    CaseEvent,
)
from tests.cms.hall_admin import client_for
from tests.forms.admin_helpers import (
    ID_A,
)
from tests.forms.test_case_admin import (  # noqa: F401 (fixtures)
    INDEX,
    assert_refused,
    built_world,
    case_url,
    default_language_text,
    fresh,
    listed,
    world,
)

pytestmark = pytest.mark.django_db


# --- reveal ---


def test_reveal_needs_the_permission_and_a_reason_and_is_audited(world):
    w = world
    case = w.cases["approve"]
    url = reverse("applications_cases:reveal", args=[case.uuid])
    assert_refused(client_for(w.clerk).post(url, {"reason": "核对"}))
    assert not AccessRecord.objects.filter(kind="reveal").exists()
    client = client_for(w.reviewer)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert ID_A not in response.content.decode()
    response = client.post(url, {"reason": "核对身份证件与社保记录"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ID_A in html and "13912345678" in html
    event = AccessRecord.objects.get(kind="reveal")
    assert event.user == w.reviewer and event.object_id == str(case.pk)
    assert event.reason == "核对身份证件与社保记录"
    # The next page is masked again.
    assert ID_A not in client.get(case_url(case)).content.decode()


# --- bulk assignment ---


def test_bulk_assign_reports_done_and_conflicted(world):
    w = world
    first, second, third = (
        w.cases["accept"],
        w.cases["prereview"],
        w.cases["approve"],
    )
    stale = third.lock_version
    actions.act(third, w.superuser, "note", comment="改动")
    response = client_for(w.reviewer).post(
        reverse("applications_cases:bulk_assign"),
        {
            "officer": w.clerk.pk,
            "case": [
                f"{first.uuid}:{first.lock_version}",
                f"{second.uuid}:{second.lock_version}",
                f"{third.uuid}:{stale}",
            ],
            "next": reverse(INDEX) + "?queue=mine",
        },
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse(INDEX) + "?queue=mine"
    report = default_language_text(
        "Case officer assigned to %(done)d cases; %(conflicted)d changed meanwhile "
        "(reload and try again); %(refused)d not allowed.",
        done=2,
        conflicted=1,
        refused=0,
    )
    assert report in response.content.decode()
    assert fresh(first).officer == w.clerk and fresh(second).officer == w.clerk
    assert fresh(third).officer is None
    assert CaseEvent.objects.filter(action="assign").count() == 2


def test_bulk_assign_skips_cases_the_user_cannot_see(world):
    w = world
    case = w.cases["accept"]
    response = client_for(w.handler).post(
        reverse("applications_cases:bulk_assign"),
        {"officer": w.handler.pk, "case": [f"{case.uuid}:{case.lock_version}"]},
    )
    assert response.status_code in (302, 403)
    assert fresh(case).officer is None


def test_list_offers_bulk_assignment_checkboxes(world):
    w = world
    html = listed(client_for(w.reviewer))
    case = w.cases["accept"]
    assert f'value="{case.uuid}:{case.lock_version}" form="bulk-assign"' in html
    assert 'id="bulk-assign"' in html
