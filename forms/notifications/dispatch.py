"""Notifications: every case event that concerns the applicant becomes an in-site
message, an e-mail and an SMS; staff get a daily digest of their work
(forms.notifications.digest).

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
built-in defaults (forms.notifications.texts) fill in whatever is missing. A text sees only the
variables in TEMPLATE_VARIABLES: never a name, an ID number or a mobile number,
and anything that looks like an ID or mobile number in staff comments is masked
before it leaves (docs/security.md G7). Addresses are read from the user when
sending; logs carry delivery ids, never addresses.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone, translation

from cms.core.sms import send_sms
from forms.casework.workflow import (
    case_event,
)
from forms.models import (
    Application,
    CaseEvent,
    Channel,
    Delivery,
    DeliveryStatus,
    Message,
    NotificationEvent,
    PendingNotification,
)
from forms.notifications.texts import (
    address_of,
    case_link,
    context_for,
    masked_address,
    render,
    scrub,
    templates_for,
)

logger = logging.getLogger("harbor.notifications")

# Events the applicant hears about; "assign" goes to the officer, "note" to nobody.
APPLICANT_EVENTS = set(NotificationEvent.values) - {NotificationEvent.ASSIGN}
DIGEST_KIND = "digest"

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
    return [user for user in users if user is not None and user.is_active]


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
                        "link": case_link(application, for_staff),
                    },
                )
                if created:
                    outcome.messages.append(message)
            for channel in (Channel.EMAIL, Channel.SMS):
                template = templates.get(channel)
                if not (template and template.active and address_of(user, channel)):
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
                transaction.on_commit(partial(enqueue, delivery.pk))
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
    # forms.tasks wraps send_delivery and imports this module at its top.
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
    address = address_of(user, delivery.channel)
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
    delivery = (
        Delivery.objects.select_related("recipient").filter(pk=delivery_id).first()
    )
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
