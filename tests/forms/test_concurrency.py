"""Two requests at the same moment, in real threads on PostgreSQL (docs/security.md
R2, R3): one submission, one decision, nothing applied twice."""

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from forms.applying import services
from forms.builder.engine import StepForm
from forms.casework import actions, workflow
from forms.models import Application, ApplicationFile, ApplicationStatus, CaseEvent
from tests.factories import SAMPLE_DEFINITION, make_form, make_user
from tests.forms.casework_helpers import form_with_steps, staff, submit_as
from tests.forms.flow import STEP_ONE, fill_sample, start, step_two, step_url

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
        lambda: actions.act(copies[0], first, "accept"),
        lambda: actions.act(copies[1], second, "reject", comment="不符合"),
    )
    conflicts = [r for r in results if isinstance(r, workflow.Conflict)]
    successes = [r for r in results if isinstance(r, Application)]
    assert len(conflicts) == 1 and len(successes) == 1, results
    application.refresh_from_db()
    assert application.status in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.REJECTED,
    )
    decisions = CaseEvent.objects.filter(action__in=["accept", "reject"])
    assert decisions.count() == 1


# --- files and drafts: the draft's row lock (same step twice, delete meanwhile) ---


def one_file_form():
    definition = [dict(item) for item in SAMPLE_DEFINITION]
    for item in definition:
        if item.get("key") == "degree_scan":
            item["max_count"] = 1
    return make_form(definition=definition)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@contextmanager
def pause_after_checking_uploads(then):
    """Stop each request that posts files right after its step form is checked
    (the count of files included) and call ``then()`` there: what a second
    request does in that moment is the race, made certain."""
    original = StepForm.full_clean

    def full_clean(form):
        original(form)
        if form.files:
            then()

    with mock.patch.object(StepForm, "full_clean", full_clean):
        yield


def test_the_same_step_posted_twice_at_once_stores_its_file_once():
    user = make_user()
    form = one_file_form()
    clients = [logged_in(user), logged_in(user)]
    draft = start(clients[0], form)
    assert clients[0].post(step_url(draft, 1), STEP_ONE).status_code == 303
    both_checked = threading.Barrier(2, timeout=20)
    with pause_after_checking_uploads(both_checked.wait):
        results = run_together(
            *(
                lambda c=c: c.post(step_url(draft, 2), step_two()).status_code
                for c in clients
            )
        )
    assert results == [303, 303], results
    assert ApplicationFile.objects.filter(application=draft).count() == 1
    response = clients[0].post(f"/applications/{draft.uuid}/review/")
    assert response.status_code == 303  # submitting is not blocked
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED


def test_deleting_a_draft_while_its_step_is_checked_answers_the_saver_clearly():
    user = make_user()
    saver, deleter = logged_in(user), logged_in(user)
    draft = start(saver, make_form())
    assert saver.post(step_url(draft, 1), STEP_ONE).status_code == 303
    checked, deleted = threading.Event(), threading.Event()

    def checked_then_wait():
        checked.set()
        deleted.wait(timeout=20)

    def delete():
        checked.wait(timeout=20)
        response = deleter.post(f"/applications/{draft.uuid}/delete/")
        deleted.set()
        return response.status_code

    def save():
        return saver.post(step_url(draft, 2), step_two())

    with pause_after_checking_uploads(checked_then_wait):
        saved, delete_status = run_together(save, delete)
    assert delete_status == 303
    assert not isinstance(saved, Exception), saved
    assert saved.status_code == 303
    assert saved["Location"] == reverse("applications:mine")
    page = saver.get(saved["Location"]).content.decode()
    assert "该草稿已被删除" in page
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not ApplicationFile.objects.exists()


def test_deleting_a_draft_while_its_files_are_written_deletes_them_too():
    user = make_user()
    saver, deleter = logged_in(user), logged_in(user)
    draft = start(saver, make_form())
    assert saver.post(step_url(draft, 1), STEP_ONE).status_code == 303
    writing = threading.Event()
    original_save = ApplicationFile.save

    def save_file(stored, *args, **kwargs):
        original_save(stored, *args, **kwargs)
        writing.set()
        time.sleep(0.5)  # the delete arrives while this transaction is open

    def delete():
        writing.wait(timeout=20)
        return deleter.post(f"/applications/{draft.uuid}/delete/").status_code

    def save():
        return saver.post(step_url(draft, 2), step_two()).status_code

    with mock.patch.object(ApplicationFile, "save", save_file):
        results = run_together(save, delete)
    assert results == [303, 303], results
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not ApplicationFile.objects.exists()
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "applications" / str(draft.uuid)
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


# --- notifications: the late normal path and the retry command at once ---


def test_the_retry_and_a_late_notification_racing_send_one_sms(client):
    from django.core import mail
    from django.core.management import call_command

    from cms.core.sms import MemorySMSBackend
    from forms.models import Delivery, PendingNotification
    from forms.notifications import dispatch

    applicant = make_user(mobile="13700003333")
    form = form_with_steps(("accept", 2, {}))

    def crash(event):  # the worker dies before writing anything
        raise ConnectionError("server closed the connection unexpectedly")

    with mock.patch.object(dispatch, "notify", side_effect=crash):
        application = submit_as(client, form, applicant)
    event = application.events.get(action="submitted")
    assert PendingNotification.objects.filter(event=event).exists()

    results = run_together(
        lambda: dispatch.notify(CaseEvent.objects.get(pk=event.pk)),
        lambda: call_command("retry_notifications"),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [to for to, _text in MemorySMSBackend.outbox] == ["+8613700003333"]  # E.164
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(event=event).count() == 2
    assert not PendingNotification.objects.exists()
