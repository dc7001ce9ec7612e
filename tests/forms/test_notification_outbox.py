"""Nothing is lost when the process dies right after a case action commits: the
event's notification is recorded in the action's own transaction, and
retry_notifications delivers whatever the after-commit step never wrote, once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from cms.core.sms import MemorySMSBackend
from forms.casework.actions import act
from forms.models import Channel, Delivery, DeliveryStatus, Message
from forms.notifications import dispatch
from tests.factories import make_user
from tests.forms.casework_helpers import form_with_steps, staff, submit_as

pytestmark = pytest.mark.django_db

MOBILE = "13700002222"
# Accounts keep, and the SMS gateway receives, numbers in E.164.
MOBILE_E164 = "+86" + MOBILE


@pytest.fixture
def clerks():
    group = Group.objects.create(name="受理窗口-发件箱测试")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="applications",
            codename__in=["view_application", "change_application"],
        )
    )
    return group


@pytest.fixture
def form(clerks):
    return form_with_steps(("accept", 2, {"group": clerks}), ("approve", 3, {}))


@pytest.fixture
def applicant():
    return make_user(real_name="王五", mobile=MOBILE)


def crash_after_commit(capture, action):
    """Run ``action`` and lose everything that was to run after its commit, as
    when the worker is killed or its connection dropped at that moment; returns
    the lost callbacks, to replay a late normal path."""
    with capture(execute=False) as callbacks:
        result = action()
    return result, list(callbacks)


def sent_to_applicant(applicant) -> tuple[int, int, int]:
    return (
        Message.objects.filter(recipient=applicant).count(),
        len([m for m in mail.outbox if m.to == [applicant.email]]),
        len([to for to, _text in MemorySMSBackend.outbox if to == MOBILE_E164]),
    )


def test_a_submission_whose_worker_died_after_commit_is_notified_by_the_retry(
    client, form, applicant, django_capture_on_commit_callbacks
):
    application, lost = crash_after_commit(
        django_capture_on_commit_callbacks,
        lambda: submit_as(client, form, applicant),
    )
    assert application.receipt_number
    assert sent_to_applicant(applicant) == (0, 0, 0)
    assert not Delivery.objects.exists()

    call_command("retry_notifications")
    assert sent_to_applicant(applicant) == (1, 1, 1)
    assert set(Delivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.SENT
    }
    assert application.receipt_number in MemorySMSBackend.outbox[0][1]

    # A second run, and the normal path arriving late, send nothing again.
    call_command("retry_notifications")
    for callback in lost:
        callback()
    assert sent_to_applicant(applicant) == (1, 1, 1)
    assert Delivery.objects.count() == 2


def test_a_decision_whose_worker_died_after_commit_is_notified_by_the_retry(
    client, form, clerks, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_as(client, form, applicant)
    assert sent_to_applicant(applicant) == (1, 1, 1)
    crash_after_commit(
        django_capture_on_commit_callbacks,
        lambda: act(application, staff(clerks), "accept"),
    )
    assert sent_to_applicant(applicant) == (1, 1, 1)

    call_command("retry_notifications")
    assert sent_to_applicant(applicant) == (2, 2, 2)
    accepted = Delivery.objects.filter(event__action="accept")
    assert {(d.channel, d.status) for d in accepted} == {
        (Channel.EMAIL, DeliveryStatus.SENT),
        (Channel.SMS, DeliveryStatus.SENT),
    }


def test_a_notification_that_failed_after_commit_is_retried(
    client, form, applicant, django_capture_on_commit_callbacks, monkeypatch
):
    """A lost database connection inside the after-commit notification: the
    action still succeeds, and the retry writes and sends what was lost."""

    def connection_lost(*args, **kwargs):
        raise ConnectionError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(dispatch, "recipients_for", connection_lost)
        with django_capture_on_commit_callbacks(execute=True):
            application = submit_as(client, form, applicant)
    assert application.receipt_number
    assert sent_to_applicant(applicant) == (0, 0, 0)

    call_command("retry_notifications")
    assert sent_to_applicant(applicant) == (1, 1, 1)


def test_the_dry_run_counts_the_events_to_notify(
    client, form, applicant, django_capture_on_commit_callbacks
):
    crash_after_commit(
        django_capture_on_commit_callbacks,
        lambda: submit_as(client, form, applicant),
    )
    with translation.override("en"):
        out = call_command_output("retry_notifications", "--dry-run")
    assert out.strip() == "Dry run: 1 events to notify, 0 deliveries are due."
    assert sent_to_applicant(applicant) == (0, 0, 0)


def test_internal_notes_leave_nothing_pending(
    client, form, clerks, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_as(client, form, applicant)
    crash_after_commit(
        django_capture_on_commit_callbacks,
        lambda: act(application, staff(clerks), "note", comment="来电询问"),
    )
    counts = dispatch.notify_pending()
    assert counts == {}


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
