"""Notifications: every case event that concerns the applicant becomes an in-site
message, an e-mail and an SMS; staff get a daily digest of their work.

Flow: the action's transaction writes the event and a ``PendingNotification``
→ ``case_event`` (sent after it commits) → one ``Message`` per recipient and one
``Delivery`` per e-mail or SMS, written in one transaction that also deletes the
pending row → a background task (``forms.tasks.deliver``) sends each delivery.
Whatever a crash interrupts stays in a table: ``retry_notifications`` notifies
the pending events and resends the unsent deliveries.
A failed send is kept with its error and retried with backoff by the
``retry_notifications`` command, so a failing gateway never loses a message and
the admin's delivery list shows what is stuck.

Texts come from ``NotificationTemplate`` rows that administrators edit; the
built-in defaults below fill in whatever is missing. A text sees only the
variables in TEMPLATE_VARIABLES: never a name, an ID number or a mobile number,
and anything that looks like an ID or mobile number in staff comments is masked
before it leaves (docs/security.md G7). Addresses are read from the user when
sending; logs carry delivery ids, never addresses.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.core.identifiers import mask_bank_account, mask_identifier, mask_mobile
from cms.core.sms import send_sms
from cms.core.workdays import add_working_days, is_working_day
from forms.casework.rights import visible_applications
from forms.casework.workflow import (
    case_event,
    expected_completion,
    may_handle_step,
    stage_label,
)
from forms.models import (
    Application,
    ApplicationStatus,
    CaseEvent,
    Channel,
    Delivery,
    DeliveryStatus,
    Message,
    NotificationEvent,
    NotificationTemplate,
    PendingNotification,
)
from forms.models.notifications import render_text

logger = logging.getLogger("harbor.notifications")

# Events the applicant hears about; "assign" goes to the officer, "note" to nobody.
APPLICANT_EVENTS = set(NotificationEvent.values) - {NotificationEvent.ASSIGN}
DIGEST_KIND = "digest"

# --- built-in texts (content, in Chinese; administrators change them in the admin) ---

_RECEIPT = "您的申请（受理编号 {{ receipt_number }}）"
_ITEMS = "{% for item in items %}{{ forloop.counter }}. {{ item }}\n{% endfor %}"
_COMMENT = "{% if comment %}说明：{{ comment }}\n{% endif %}"
_LINK = "查看详情：{{ link }}"

DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "submitted": {
        "subject": "申请已提交：{{ receipt_number }}",
        "body": "您的《{{ form_title }}》已提交，受理编号 {{ receipt_number }}。"
        "当前环节：{{ stage }}。\n" + _LINK,
        "sms": "您的《{{ form_title }}》已提交，受理编号 {{ receipt_number }}，"
        "可登录人才港湾查看进度。",
    },
    "accept": {
        "subject": "申请已受理：{{ receipt_number }}",
        "body": _RECEIPT + "已受理。当前环节：{{ stage }}。"
        "{% if due %}预计办结日期：{{ due }}。{% endif %}\n" + _LINK,
        "sms": _RECEIPT + "已受理。",
    },
    "accept_with_tolerance": {
        "subject": "申请已容缺受理：{{ receipt_number }}",
        "body": _RECEIPT
        + "已容缺受理，审核继续进行。请在 {{ due }} 前补交以下材料：\n"
        + _ITEMS
        + _COMMENT
        + _LINK,
        "sms": _RECEIPT + "已容缺受理，请在 {{ due }} 前补交材料，详见站内消息。",
    },
    "return": {
        "subject": "申请需要补正：{{ receipt_number }}",
        "body": _RECEIPT
        + "需要补正。请一次补齐以下材料后重新提交：\n"
        + _ITEMS
        + _COMMENT
        + _LINK,
        "sms": _RECEIPT + "需要补正，请登录人才港湾查看需补齐的材料。",
    },
    "resubmit": {
        "subject": "补正材料已提交：{{ receipt_number }}",
        "body": _RECEIPT
        + "的补正材料已提交，审核继续进行。当前环节：{{ stage }}。\n"
        + _LINK,
        "sms": _RECEIPT + "的补正材料已提交，审核继续进行。",
    },
    "pass": {
        "subject": "申请进入下一环节：{{ receipt_number }}",
        "body": _RECEIPT + "已进入下一环节：{{ stage }}。"
        "{% if due %}预计办结日期：{{ due }}。{% endif %}\n" + _LINK,
        "sms": _RECEIPT + "已进入下一环节：{{ stage }}。",
    },
    "opinion": {
        "subject": "部门已出具意见：{{ receipt_number }}",
        "body": _RECEIPT + "已有部门出具办理意见。当前环节：{{ stage }}。\n" + _LINK,
        "sms": _RECEIPT + "已有部门出具办理意见。",
    },
    "approve": {
        "subject": "申请已核准：{{ receipt_number }}",
        "body": _RECEIPT + "已核准。当前状态：{{ stage }}。\n" + _COMMENT + _LINK,
        "sms": _RECEIPT + "已核准，详见站内消息。",
    },
    "reject": {
        "subject": "申请未予核准：{{ receipt_number }}",
        "body": "很抱歉，" + _RECEIPT + "未予核准。\n理由：{{ comment }}\n" + _LINK,
        "sms": "很抱歉，" + _RECEIPT + "未予核准，理由详见站内消息。",
    },
    "withdraw": {
        "subject": "申请已撤回：{{ receipt_number }}",
        "body": _RECEIPT + "已撤回。\n" + _LINK,
        "sms": _RECEIPT + "已撤回。",
    },
    "publicity_end": {
        "subject": "公示期满，申请已办结：{{ receipt_number }}",
        "body": _RECEIPT + "公示期满，已办结。\n" + _LINK,
        "sms": _RECEIPT + "公示期满，已办结。",
    },
    "materials_received": {
        "subject": "补交材料已收到：{{ receipt_number }}",
        "body": _RECEIPT + "容缺受理后补交的材料已收到。\n" + _LINK,
        "sms": _RECEIPT + "补交的材料已收到。",
    },
    "assign": {
        "subject": "您被指派为专员：{{ receipt_number }}",
        "body": "您被指派为申请 {{ receipt_number }}（《{{ form_title }}》）的专员。"
        "当前环节：{{ stage }}。\n" + _LINK,
        "sms": "您被指派为申请 {{ receipt_number }} 的专员，请登录后台查看。",
    },
}

# The officer's e-mail and SMS for "assign" start switched off: the inbox and
# the digest already tell them.
_OFF_BY_DEFAULT = {("assign", Channel.EMAIL), ("assign", Channel.SMS)}


def default_template(event: str, channel: str) -> NotificationTemplate:
    texts = DEFAULT_TEXTS[event]
    return NotificationTemplate(
        event=event,
        channel=channel,
        active=(event, channel) not in _OFF_BY_DEFAULT,
        subject="" if channel == Channel.SMS else texts["subject"],
        body=texts["sms"] if channel == Channel.SMS else texts["body"],
    )


def ensure_templates() -> None:
    """Create the built-in text of every event and channel that has none yet."""
    existing = set(NotificationTemplate.objects.values_list("event", "channel"))
    missing = [
        default_template(event, channel)
        for event in NotificationEvent.values
        for channel in Channel.values
        if (event, channel) not in existing
    ]
    if missing:
        NotificationTemplate.objects.bulk_create(missing, ignore_conflicts=True)


def templates_for(event: str) -> dict[str, NotificationTemplate]:
    found = {t.channel: t for t in NotificationTemplate.objects.filter(event=event)}
    if len(found) < len(Channel.values):
        ensure_templates()
        found = {t.channel: t for t in NotificationTemplate.objects.filter(event=event)}
    return found


# --- personal data never leaves in a text (G7) ---

_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)"
)
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")


# 12 to 19 digits, maybe grouped by spaces or hyphens: a bank card or account
# (what is left once ID and mobile numbers are masked).
_BANK_ACCOUNT = re.compile(r"(?<![0-9A-Za-z])\d(?:[ -]?\d){11,18}(?![0-9A-Za-z])")


def scrub(text: str) -> str:
    """Mask anything shaped like a resident ID, a mobile or a bank account."""
    text = _ID_NUMBER.sub(lambda m: mask_identifier(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_mobile(m.group()), text)
    return _BANK_ACCOUNT.sub(lambda m: mask_bank_account(m.group()), text)


def masked_address(user, channel: str) -> str:
    if channel == Channel.SMS:
        return mask_mobile(user.mobile or "")
    local, _at, domain = (user.email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def _address(user, channel: str) -> str:
    return (user.mobile if channel == Channel.SMS else user.email) or ""


# --- texts for one event ---


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _case_link(application: Application, for_staff: bool) -> str:
    if for_staff:
        for name, args in (
            ("applications_cases:case", [application.uuid]),  # the case page
            ("applications_application_modeladmin_inspect", [application.pk]),
        ):
            try:
                return reverse(name, args=args)
            except NoReverseMatch:
                continue
        return reverse("wagtailadmin_home")
    return reverse("applications:detail", args=[application.uuid])


def _item_text(item: dict) -> str:
    label, reason = item.get("label", ""), item.get("reason", "")
    return f"{label}（{reason}）" if reason else label


def context_for(event: CaseEvent, application: Application, for_staff: bool) -> dict:
    """The only variables a text may use (TEMPLATE_VARIABLES)."""
    data = event.data or {}
    due = data.get("due") or expected_completion(application)
    if isinstance(due, datetime.date):
        due = due.isoformat()
    return {
        "receipt_number": application.receipt_number or "",
        "form_title": application.form.title,
        "stage": stage_label(application),
        "comment": event.comment,
        "due": due or "",
        "items": [_item_text(item) for item in data.get("items") or []],
        "link": absolute(_case_link(application, for_staff)),
    }


def render(template: NotificationTemplate, context: dict) -> tuple[str, str]:
    """(subject, body); an administrator's text that fails to render falls back
    to the built-in one rather than losing the message."""
    try:
        subject = render_text(template.subject, context)
        body = render_text(template.body, context)
        if not body:
            raise ValueError("the text rendered empty")
    except Exception:
        logger.exception("notification template %s failed to render", template.pk)
        fallback = default_template(template.event, template.channel)
        subject = render_text(fallback.subject, context)
        body = render_text(fallback.body, context)
    subject = " ".join(scrub(subject).split())[:200]
    return subject, scrub(body)


# --- from event to messages and deliveries ---


def recipients_for(event: CaseEvent, application: Application) -> list:
    if event.action == NotificationEvent.ASSIGN:
        users = [application.officer] if application.officer_id else []
    elif event.public and event.action in APPLICANT_EVENTS:
        users = [application.applicant]
        if application.talent_id and application.talent_id != application.applicant_id:
            users.append(application.talent)
    else:
        users = []
    return [user for user in users if user.is_active]


@dataclass
class Outcome:
    messages: list[Message] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


def notify(
    event: CaseEvent, *, queue: bool = True, only_pending: bool = False
) -> Outcome:
    """Write the messages and deliveries of one event and queue the sending.

    Idempotent: an event that is notified twice adds nothing the second time.
    The event's ``PendingNotification`` (written with the event) is locked first
    and deleted in the transaction that writes the rows, so when the
    after-commit signal and ``retry_notifications`` reach one event together,
    the second waits and then finds the work done (``only_pending`` returns at
    once then). With ``queue=False`` the caller sends the new deliveries itself.
    """
    outcome = Outcome()
    application = event.application
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        pending = PendingNotification.objects.select_for_update().filter(event=event)
        if pending.first() is None and only_pending:
            return outcome
        users = recipients_for(event, application)
        for_staff = event.action == NotificationEvent.ASSIGN
        templates = templates_for(event.action) if users else {}
        context = context_for(event, application, for_staff) if users else {}
        for user in users:
            template = templates.get(Channel.IN_SITE)
            if template and template.active:
                title, body = render(template, context)
                message, created = Message.objects.get_or_create(
                    event=event,
                    recipient=user,
                    defaults={
                        "application": application,
                        "title": title or str(application),
                        "body": body,
                        "link": _case_link(application, for_staff),
                    },
                )
                if created:
                    outcome.messages.append(message)
            for channel in (Channel.EMAIL, Channel.SMS):
                template = templates.get(channel)
                if not (template and template.active and _address(user, channel)):
                    continue
                subject, body = render(template, context)
                delivery, created = Delivery.objects.get_or_create(
                    event=event,
                    recipient=user,
                    channel=channel,
                    defaults={
                        "application": application,
                        "kind": event.action,
                        "address": masked_address(user, channel),
                        "subject": subject,
                        "body": body,
                        "next_attempt_at": _lost_task_deadline(),
                    },
                )
                if created:
                    outcome.deliveries.append(delivery)
        pending.delete()
        if queue:
            for delivery in outcome.deliveries:
                transaction.on_commit(lambda pk=delivery.pk: enqueue(pk))
    return outcome


def notify_pending(limit: int | None = None) -> dict[str, int]:
    """Notify every event whose after-commit notification never ran (a crash,
    a lost connection) and send its new deliveries at once; counts by outcome,
    "notified" being the events."""
    counts: dict[str, int] = {}
    ids = PendingNotification.objects.order_by("created_at", "event_id")
    for event_id in list(ids.values_list("event_id", flat=True)[:limit]):
        event = CaseEvent.objects.select_related("application").get(pk=event_id)
        try:
            outcome = notify(event, queue=False, only_pending=True)
        except Exception:
            logger.exception("notifications for case event %s failed", event_id)
            counts["error"] = counts.get("error", 0) + 1
            continue
        counts["notified"] = counts.get("notified", 0) + 1
        for delivery in outcome.deliveries:
            result = send_delivery(delivery.pk)
            counts[result] = counts.get(result, 0) + 1
    return counts


@receiver(case_event, dispatch_uid="forms.notifications.dispatch.on_case_event")
def on_case_event(sender, event: CaseEvent, **kwargs) -> None:
    # After commit: a failure here must not turn the staff's successful action
    # into an error page; it is logged with the event id for a rerun.
    try:
        notify(event)
    except Exception:
        logger.exception("notifications for case event %s failed", event.pk)


# --- sending, retrying ---


def max_attempts() -> int:
    return settings.NOTIFICATION_MAX_ATTEMPTS


def backoff(attempt: int) -> datetime.timedelta:
    """5, 10, 20, 40... minutes after attempt 1, 2, 3, 4..."""
    minutes = settings.NOTIFICATION_RETRY_MINUTES
    return datetime.timedelta(minutes=minutes * 2 ** max(attempt - 1, 0))


def _lost_task_deadline() -> datetime.datetime:
    # If no worker has sent it by then, retry_notifications does.
    return timezone.now() + backoff(1)


def enqueue(delivery_id: int) -> None:
    from forms import tasks

    try:
        tasks.deliver.enqueue(delivery_id)
    except Exception:
        logger.exception(
            "delivery %s could not be queued; retry_notifications sends it",
            delivery_id,
        )


class NoAddress(Exception):
    pass


def _send(delivery: Delivery) -> None:
    user = delivery.recipient
    if not user.is_active:
        raise NoAddress("the recipient's account is disabled")
    address = _address(user, delivery.channel)
    if not address:
        raise NoAddress(
            "the recipient has no e-mail address"
            if delivery.channel == Channel.EMAIL
            else "the recipient has no mobile number"
        )
    if delivery.channel == Channel.EMAIL:
        send_mail(delivery.subject, delivery.body, None, [address])
    else:
        send_sms(address, delivery.body)


def send_delivery(delivery_id: int) -> str:
    """One attempt at one delivery: "sent", "failed", or why it was skipped.

    The attempt is claimed before sending by a conditional update that bumps
    ``attempts`` and moves ``next_attempt_at`` past the backoff: that is a lease,
    so while one process sends, neither a queued task nor the retry command
    sends the same row; a process that dies mid-send leaves a row that the retry
    command picks up when the lease ends.
    """
    delivery = Delivery.objects.select_related("recipient").filter(pk=delivery_id)
    delivery = delivery.first()
    if delivery is None or delivery.status == DeliveryStatus.SENT:
        return "skipped"
    if delivery.attempts >= max_attempts():
        return "exhausted"
    now = timezone.now()
    attempt = delivery.attempts + 1
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
        .filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
        .exclude(status=DeliveryStatus.SENT)
        .update(attempts=attempt, next_attempt_at=now + backoff(attempt))
    )
    if not claimed:
        return "busy"  # being sent elsewhere, or not due yet
    try:
        _send(delivery)
    except Exception as error:
        reason = scrub(f"{type(error).__name__}: {error}")[:500]
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            last_error=reason,
            next_attempt_at=now + backoff(attempt)
            if attempt < max_attempts()
            else None,
        )
        logger.warning(
            "delivery %s (%s) failed, attempt %s: %s",
            delivery.pk,
            delivery.channel,
            attempt,
            reason,
        )
        return "failed"
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    return "sent"


def due_deliveries(now=None):
    now = now or timezone.now()
    return Delivery.objects.filter(
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
        attempts__lt=max_attempts(),
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "pk")


def retry_due(now=None, limit: int | None = None) -> dict[str, int]:
    """Send every delivery whose next attempt is due; returns counts by outcome."""
    ids = list(due_deliveries(now).values_list("pk", flat=True)[:limit])
    counts: dict[str, int] = {}
    for pk in ids:
        result = send_delivery(pk)
        counts[result] = counts.get(result, 0) + 1
    return counts


# --- the staff's daily digest ---


@dataclass
class Digest:
    new: list[str] = field(default_factory=list)
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new or self.due_soon or self.overdue)


def previous_working_day(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def digest_for(user, today: datetime.date) -> Digest:
    """Cases at a step this staff member handles, or that they follow as case
    officer: new since the last working day, due within 2 working days, overdue.
    Receipt numbers only: a digest carries no personal data."""
    since = previous_working_day(today)
    soon = add_working_days(today, 2)
    candidates = (
        visible_applications(user)
        .filter(status=ApplicationStatus.SUBMITTED)
        .filter(Q(step_started_on__gte=since) | Q(step_due__lte=soon))
        .order_by("step_due", "receipt_number")
    )
    digest = Digest()
    for application in candidates:
        if not (
            application.officer_id == user.pk or may_handle_step(user, application)
        ):
            continue
        number = application.receipt_number
        if application.step_started_on and application.step_started_on >= since:
            digest.new.append(number)
        if application.step_due and application.step_due < today:
            digest.overdue.append(number)
        elif application.step_due and application.step_due <= soon:
            digest.due_soon.append(number)
    return digest


def digest_recipients():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(kind="staff") | Q(is_superuser=True))
        .exclude(email="")
        .order_by("pk")
    )


def send_digests(today: datetime.date | None = None) -> int:
    """Queue one digest e-mail per staff member with work; returns how many.

    A staff member already sent today's digest is skipped, so a rerun of the
    cron job sends nothing twice."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in digest_recipients():
            if Delivery.objects.filter(
                kind=DIGEST_KIND, recipient=user, created_at__date=today
            ).exists():
                continue
            digest = digest_for(user, today)
            if not digest:
                continue
            limit = settings.NOTIFICATION_DIGEST_LIST_LIMIT
            body = render_to_string(
                "forms/notifications/digest.txt",
                {
                    "digest": digest,
                    "today": today,
                    "limit": limit,
                    "link": absolute(reverse("wagtailadmin_home")),
                },
            )
            subject = _(
                "Daily work: %(new)d new, %(soon)d due soon, %(overdue)d overdue"
            ) % {
                "new": len(digest.new),
                "soon": len(digest.due_soon),
                "overdue": len(digest.overdue),
            }
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    channel=Channel.EMAIL,
                    recipient=user,
                    kind=DIGEST_KIND,
                    address=masked_address(user, Channel.EMAIL),
                    subject=subject,
                    body=body,
                    next_attempt_at=_lost_task_deadline(),
                )
                transaction.on_commit(lambda pk=delivery.pk: enqueue(pk))
            sent += 1
    return sent
