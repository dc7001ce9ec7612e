"""Two requests at the same moment, in real threads on PostgreSQL (SECURITY.md
R2, R3): one submission, one decision, nothing applied twice."""

import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, connections

from forms import casework, services
from forms.models import Application, ApplicationStatus, CaseEvent
from tests.factories import make_user
from tests.forms.casework_helpers import form_with_steps, staff, submit_as
from tests.forms.flow import fill_sample

pytestmark = [
    # serialized_rollback restores the page tree that migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"
    ),
]


def run_together(*calls):
    """Run each call in its own thread, released at once; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - collected for the assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_double_submit_gives_one_receipt(client):
    form = form_with_steps(("accept", 2, {}))
    client.force_login(make_user())
    draft = fill_sample(client, form)
    copies = [Application.objects.get(pk=draft.pk) for _ in range(2)]
    results = run_together(*(lambda a=a: services.submit(a) for a in copies))
    assert all(isinstance(result, Application) for result in results), results
    assert {result.receipt_number for result in results} == {
        Application.objects.get(pk=draft.pk).receipt_number
    }
    assert CaseEvent.objects.filter(action="submitted").count() == 1


def test_two_staff_deciding_at_once_one_wins(client):
    group = Group.objects.create(name="并发-受理")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["view_application", "change_application"]
        )
    )
    form = form_with_steps(("accept", 2, {"group": group}), ("approve", 3, {}))
    application = submit_as(client, form, make_user())
    first, second = staff(group), staff(group)
    copies = [Application.objects.get(pk=application.pk) for _ in range(2)]
    results = run_together(
        lambda: casework.act(copies[0], first, "accept"),
        lambda: casework.act(copies[1], second, "reject", comment="不符合"),
    )
    conflicts = [r for r in results if isinstance(r, casework.Conflict)]
    successes = [r for r in results if isinstance(r, Application)]
    assert len(conflicts) == 1 and len(successes) == 1, results
    application.refresh_from_db()
    assert application.status in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.REJECTED,
    )
    decisions = CaseEvent.objects.filter(action__in=["accept", "reject"])
    assert decisions.count() == 1
