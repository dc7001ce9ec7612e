"""Notifications: in-site messages, e-mail and SMS from
administrators' texts, a retried outbox, the staff digest and the inbox."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import include, path, reverse
from django.utils import timezone
from freezegun import freeze_time

from cms import urls as cms_urls
from cms.core.sms import MemorySMSBackend
from forms import tasks
from forms import urls as forms_urls
from forms.casework.actions import act
from forms.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Message,
    NotificationTemplate,
)
from forms.models.notifications import validate_template_text
from forms.notifications import digest, dispatch, inbox, texts
from tests.cms.hall_admin import client_for, make_superuser
from tests.factories import make_department, make_employer, make_user
from tests.forms.casework_helpers import form_with_steps, staff, submit_as
from tests.forms.flow import STEP_ONE, VALID_ID

# The inbox routes, as reported for forms/urls.py; skipped once they are there.
INBOX_URLS = [
    path("messages/", inbox.message_list, name="messages"),
    path("messages/read-all/", inbox.mark_all_read, name="messages_read"),
    path("messages/<int:message_id>/", inbox.message_detail, name="message"),
]
_routed = {pattern.name for pattern in forms_urls.urlpatterns}
urlpatterns = [
    path(
        "applications/",
        include(
            (
                [p for p in INBOX_URLS if p.name not in _routed]
                + forms_urls.urlpatterns,
                "applications",
            )
        ),
    ),
    *(p for p in cms_urls.urlpatterns if str(p.pattern) != "applications/"),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MONDAY = "2026-03-02 10:00:00+08:00"  # no holidays in the weeks that follow
APPLICANT_MOBILE = "13700001111"
# Accounts keep numbers in E.164, and SMS go to that form.
APPLICANT_E164 = "+86" + APPLICANT_MOBILE


class FailingSMSBackend:
    """A gateway that is down; its error names the number, as real ones do."""

    def send(self, to, text):
        raise RuntimeError(f"connection refused while sending to {to}")


@pytest.fixture
def clerks():
    group = Group.objects.create(name="受理窗口-通知测试")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="applications", codename="view_application"
        )
    )
    return group


@pytest.fixture
def applicant():
    return make_user(real_name="张三", mobile=APPLICANT_MOBILE)


@pytest.fixture
def form(clerks):
    return form_with_steps(
        ("accept", 2, {"group": clerks}), ("review", 5, {}), ("approve", 3, {})
    )


@pytest.fixture
def submitted(client, form, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit_as(client, form, applicant)


def everything_sent() -> list[str]:
    """Every text that left or waits to leave: inbox, outbox, mail, SMS."""
    texts = []
    for message in Message.objects.all():
        texts += [message.title, message.body, message.link]
    for delivery in Delivery.objects.all():
        texts += [delivery.subject, delivery.body, delivery.last_error]
    for email in mail.outbox:
        texts += [email.subject, email.body]
    texts += [text for _to, text in MemorySMSBackend.outbox]
    return texts


# --- events become messages, e-mails and SMS ---


def test_submitting_sends_an_in_site_message_an_email_and_an_sms(submitted, applicant):
    message = Message.objects.get(recipient=applicant)
    assert submitted.receipt_number in message.title
    assert submitted.receipt_number in message.body
    assert message.application == submitted
    assert message.link == f"/applications/{submitted.uuid}/"
    assert message.read_at is None

    deliveries = Delivery.objects.filter(recipient=applicant)
    assert {d.channel: d.status for d in deliveries} == {
        Channel.EMAIL: DeliveryStatus.SENT,
        Channel.SMS: DeliveryStatus.SENT,
    }
    (email,) = mail.outbox
    assert email.to == [applicant.email]
    assert submitted.receipt_number in email.subject
    assert f"/applications/{submitted.uuid}/" in email.body
    assert [to for to, _text in MemorySMSBackend.outbox] == [APPLICANT_E164]
    # The admin list shows masked addresses only.
    sms = deliveries.get(channel=Channel.SMS)
    assert sms.address == "137****1111"
    assert applicant.email not in deliveries.get(channel=Channel.EMAIL).address


def test_a_return_lists_every_missing_item_to_the_applicant(
    submitted, clerks, applicant, django_capture_on_commit_callbacks
):
    clerk = staff(clerks)
    items = [
        {"key": "degree_scan", "label": "学位证书", "reason": "扫描件不清晰"},
        {"key": "", "label": "劳动合同", "reason": ""},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        act(submitted, clerk, "return", items=items, comment="请一次补齐")
    message = Message.objects.filter(recipient=applicant).latest("pk")
    assert "1. 学位证书（扫描件不清晰）" in message.body
    assert "2. 劳动合同" in message.body
    assert "请一次补齐" in message.body
    assert len(mail.outbox) == 2  # submitted, returned
    assert "学位证书" in mail.outbox[-1].body
    assert len(MemorySMSBackend.outbox) == 2


def test_the_talent_applied_for_is_told_as_well(
    client, form, django_capture_on_commit_callbacks
):
    employer = make_employer()
    contact = make_user(kind="employer", employer=employer)
    talent = make_user(kind="talent", employer=employer, real_name="李四")
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_as(client, form, contact)
    application.talent = talent
    application.save(update_fields=["talent"])
    clerk = staff(form.review_steps.first().handler_group)
    with django_capture_on_commit_callbacks(execute=True):
        act(application, clerk, "accept")
    accepted = Message.objects.filter(event__action="accept")
    assert {m.recipient for m in accepted} == {contact, talent}
    assert Delivery.objects.filter(event__action="accept").count() == 4
    assert sorted(to for to, _text in MemorySMSBackend.outbox[-2:]) == sorted(
        [contact.mobile, talent.mobile]
    )


def test_internal_notes_send_nothing(
    submitted, clerks, django_capture_on_commit_callbacks
):
    before = (Message.objects.count(), Delivery.objects.count(), len(mail.outbox))
    with django_capture_on_commit_callbacks(execute=True):
        act(submitted, staff(clerks), "note", comment="申请人来电询问")
    after = (Message.objects.count(), Delivery.objects.count(), len(mail.outbox))
    assert after == before


def test_assigning_tells_the_officer_in_site_only(
    submitted, clerks, applicant, django_capture_on_commit_callbacks
):
    officer = staff(clerks)
    with django_capture_on_commit_callbacks(execute=True):
        act(submitted, staff(clerks), "assign", officer=officer)
    message = Message.objects.get(recipient=officer)
    assert submitted.receipt_number in message.body
    assert message.link.startswith("/admin/")
    assert not Delivery.objects.filter(recipient=officer).exists()
    assert not Message.objects.filter(recipient=applicant, event__action="assign")


def test_an_event_notified_twice_sends_once(submitted, applicant):
    event = submitted.events.get(action="submitted")
    outcome = dispatch.notify(event)
    assert outcome.messages == [] and outcome.deliveries == []
    assert Message.objects.filter(recipient=applicant).count() == 1
    assert len(mail.outbox) == 1


# --- administrators' texts ---


def test_an_administrator_edits_a_text_in_the_admin_and_it_is_used(
    submitted, clerks, applicant, django_capture_on_commit_callbacks
):
    admin = client_for(make_superuser())
    index = admin.get(reverse("applications_notificationtemplate_modeladmin_index"))
    assert index.status_code == 200
    template = NotificationTemplate.objects.get(event="accept", channel=Channel.SMS)
    response = admin.post(
        reverse(
            "applications_notificationtemplate_modeladmin_edit", args=[template.pk]
        ),
        {
            "active": "on",
            "subject": "",
            "body": "【受理】{{ receipt_number }} 已受理，{{ form_title }}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with django_capture_on_commit_callbacks(execute=True):
        act(submitted, staff(clerks), "accept")
    assert MemorySMSBackend.outbox[-1] == (
        APPLICANT_E164,
        f"【受理】{submitted.receipt_number} 已受理，{submitted.form.title}",
    )


def test_a_channel_switched_off_sends_nothing_there(
    client, form, applicant, django_capture_on_commit_callbacks
):
    texts.ensure_templates()
    NotificationTemplate.objects.filter(event="submitted", channel=Channel.SMS).update(
        active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_as(client, form, applicant)
    assert MemorySMSBackend.outbox == []
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "text",
    [
        "{% if receipt_number %}unclosed",
        "{% load static %}{% static 'x' %}",
        "{% debug %}",
        "{% csrf_token %}",
    ],
)
def test_texts_with_invalid_or_refused_tags_are_rejected(text):
    with pytest.raises(ValidationError):
        validate_template_text(text)


@pytest.mark.parametrize(
    "text", ['{% include "base.html" %}', "{% if comment %}x{% endif %}"]
)
def test_a_text_that_fails_or_is_empty_falls_back_to_the_built_in_one(
    client, form, applicant, django_capture_on_commit_callbacks, text
):
    texts.ensure_templates()
    NotificationTemplate.objects.filter(
        event="submitted", channel=Channel.IN_SITE
    ).update(body=text)
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_as(client, form, applicant)
    message = Message.objects.get(recipient=applicant)
    assert application.receipt_number in message.body
    assert "<html" not in message.body


# --- personal data (G7) ---


def test_no_text_carries_the_id_number_or_the_mobile_number(
    submitted, clerks, applicant, django_capture_on_commit_callbacks, settings
):
    clerk = staff(clerks)
    with django_capture_on_commit_callbacks(execute=True):
        # Staff may paste personal data into a comment: it leaves masked.
        accepted = act(
            submitted,
            clerk,
            "accept",
            comment=f"已核对身份证 {VALID_ID}，电话 {STEP_ONE['mobile']}",
        )
    texts.ensure_templates()
    NotificationTemplate.objects.filter(event="approve").update(
        body="{{ comment }} {{ receipt_number }}"
    )
    settings.SMS_BACKEND = "tests.forms.test_notifications.FailingSMSBackend"
    reviewer = make_superuser()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = act(accepted, reviewer, "pass")
        act(accepted, reviewer, "approve", comment=f"身份证号 {VALID_ID.lower()}")
    sent = everything_sent()
    assert sent
    joined = "\n".join(sent)
    for secret in (VALID_ID, VALID_ID.lower(), STEP_ONE["mobile"], APPLICANT_MOBILE):
        assert secret not in joined
    assert "张三" not in joined  # no names either
    assert Delivery.objects.filter(status=DeliveryStatus.FAILED).exists()


# --- a failing gateway never loses a message ---


def test_a_failing_gateway_leaves_a_failed_delivery_that_is_retried_later(
    client, form, applicant, django_capture_on_commit_callbacks, settings, caplog
):
    settings.SMS_BACKEND = "tests.forms.test_notifications.FailingSMSBackend"
    with freeze_time(MONDAY) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            application = submit_as(client, form, applicant)
        sms = Delivery.objects.get(recipient=applicant, channel=Channel.SMS)
        assert sms.status == DeliveryStatus.FAILED
        assert sms.attempts == 1
        assert sms.last_error.startswith("RuntimeError: connection refused")
        assert APPLICANT_MOBILE not in sms.last_error
        assert sms.next_attempt_at > timezone.now()
        assert "failed" in caplog.text and APPLICANT_MOBILE not in caplog.text
        assert Message.objects.filter(recipient=applicant).exists()  # others went
        assert len(mail.outbox) == 1

        call_command("retry_notifications")  # not due yet: nothing happens
        sms.refresh_from_db()
        assert sms.attempts == 1

        # The gateway comes back; after the backoff the retry sends it.
        settings.SMS_BACKEND = "cms.core.sms.MemorySMSBackend"
        clock.tick(datetime.timedelta(minutes=6))
        call_command("retry_notifications")
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (DeliveryStatus.SENT, 2)
    assert sms.sent_at is not None and sms.next_attempt_at is None
    (sent,) = MemorySMSBackend.outbox
    assert sent[0] == APPLICANT_E164
    assert application.receipt_number in sent[1]
    assert len(mail.outbox) == 1  # the e-mail is not sent twice


def test_retries_stop_after_the_last_attempt_and_the_row_stays_visible(
    client, form, applicant, django_capture_on_commit_callbacks, settings
):
    settings.SMS_BACKEND = "tests.forms.test_notifications.FailingSMSBackend"
    with freeze_time(MONDAY) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            submit_as(client, form, applicant)
        for _attempt in range(10):
            clock.tick(datetime.timedelta(hours=3))
            call_command("retry_notifications")
    sms = Delivery.objects.get(recipient=applicant, channel=Channel.SMS)
    assert (sms.status, sms.attempts) == (DeliveryStatus.FAILED, 5)
    assert sms.next_attempt_at is None
    assert not dispatch.due_deliveries().exists()


def test_a_lost_task_is_sent_by_the_retry_command(
    client, form, applicant, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(dispatch, "enqueue", lambda delivery_id: None)
    with freeze_time(MONDAY) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            submit_as(client, form, applicant)
        assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
        clock.tick(datetime.timedelta(minutes=6))
        call_command("retry_notifications")
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 1 and len(MemorySMSBackend.outbox) == 1


def test_a_delivery_being_sent_elsewhere_is_not_sent_again(submitted, applicant):
    sms = Delivery.objects.get(recipient=applicant, channel=Channel.SMS)
    # As while another process holds the attempt: claimed, lease not over.
    Delivery.objects.filter(pk=sms.pk).update(
        status=DeliveryStatus.PENDING,
        attempts=1,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    MemorySMSBackend.outbox.clear()
    assert dispatch.send_delivery(sms.pk) == "busy"
    assert tasks.deliver.enqueue(sms.pk).return_value == "busy"
    assert dispatch.retry_due() == {}
    assert MemorySMSBackend.outbox == []
    sent = Delivery.objects.get(recipient=applicant, channel=Channel.EMAIL)
    assert dispatch.send_delivery(sent.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_the_admin_lists_failed_deliveries(
    client, form, applicant, django_capture_on_commit_callbacks, settings
):
    settings.SMS_BACKEND = "tests.forms.test_notifications.FailingSMSBackend"
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_as(client, form, applicant)
    admin = client_for(make_superuser())
    url = reverse("applications_delivery_modeladmin_index")
    failed = admin.get(url, {"status__exact": "failed"})
    assert failed.status_code == 200
    html = failed.content.decode()
    assert application.receipt_number in html
    assert "137****1111" in html and APPLICANT_MOBILE not in html
    assert "RuntimeError" in html
    sent = admin.get(url, {"status__exact": "sent"}).content.decode()
    assert "RuntimeError" not in sent
    # Lookups outside the list's filters are ignored, not applied.
    probe = admin.get(url, {"recipient__password__startswith": "x"})
    assert (
        probe.status_code == 200
        and application.receipt_number in probe.content.decode()
    )
    delivery = Delivery.objects.get(channel=Channel.SMS)
    assert (
        admin.get(
            reverse("applications_delivery_modeladmin_edit", args=[delivery.pk])
        ).status_code
        != 200
    )


def test_staff_without_permission_cannot_see_deliveries(submitted):
    clerk = staff(is_staff=True, password_changed_at=timezone.now())
    response = client_for(clerk).get(reverse("applications_delivery_modeladmin_index"))
    assert response.status_code in (302, 403)


# --- the staff's daily digest ---


def test_the_digest_lists_each_staff_member_their_own_cases(
    client, clerks, applicant, django_capture_on_commit_callbacks
):
    department = make_department()
    handler = staff(department.casework_group, department=department)
    clerk = staff(clerks)
    outsider = staff(clerks_outside := Group.objects.create(name="其他"))
    outsider.groups.remove(clerks_outside)
    outsider.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="applications", codename="view_application"
        )
    )
    window_form = form_with_steps(("accept", 2, {"group": clerks}), ("approve", 3, {}))
    department_form = form_with_steps(
        ("department", 3, {"departments": [department]}), ("approve", 3, {})
    )
    with freeze_time(MONDAY):  # due Wednesday 4 March
        late = submit_as(client, window_form, applicant)
    with freeze_time("2026-03-06 10:00:00+08:00"):  # Friday; due Wednesday 11
        soon = submit_as(client, department_form, make_user())
    mail.outbox.clear()
    with freeze_time("2026-03-09 08:00:00+08:00"):  # Monday
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digest")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digest")  # a rerun sends nothing twice
    by_recipient = {email.to[0]: email for email in mail.outbox}
    assert set(by_recipient) == {clerk.email, handler.email}
    assert len(mail.outbox) == 2

    clerk_mail = by_recipient[clerk.email]
    assert late.receipt_number in clerk_mail.body
    assert soon.receipt_number not in clerk_mail.body
    assert [int(n) for n in re.findall(r"\d+", clerk_mail.subject)] == [0, 0, 1]

    handler_mail = by_recipient[handler.email]
    assert soon.receipt_number in handler_mail.body
    assert late.receipt_number not in handler_mail.body
    for email in mail.outbox:
        assert "张三" not in email.body and VALID_ID not in email.body


def test_the_digest_sorts_cases_into_overdue_due_soon_and_new(
    client, clerks, applicant
):
    clerk = staff(clerks)
    window_form = form_with_steps(("accept", 2, {"group": clerks}), ("approve", 3, {}))
    with freeze_time(MONDAY):
        late = submit_as(client, window_form, applicant)
    with freeze_time("2026-03-06 10:00:00+08:00"):
        fresh = submit_as(client, window_form, make_user())
    sheet = digest.digest_for(clerk, datetime.date(2026, 3, 9))
    assert sheet.overdue == [late.receipt_number]
    assert sheet.due_soon == [fresh.receipt_number]  # due Tuesday 10
    assert sheet.new == [fresh.receipt_number]  # arrived on the last working day
    assert not digest.digest_for(staff(), datetime.date(2026, 3, 9))


def test_no_digest_on_a_weekend(client, clerks, applicant):
    staff(clerks)
    window_form = form_with_steps(("accept", 2, {"group": clerks}))
    with freeze_time(MONDAY):
        submit_as(client, window_form, applicant)
    mail.outbox.clear()
    with freeze_time("2026-03-07 08:00:00+08:00"):  # Saturday
        call_command("send_digest")
    assert not Delivery.objects.filter(kind="digest").exists()
