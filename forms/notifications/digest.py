"""The staff's daily digest: what waits for each officer on a working day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.core.workdays import add_working_days, is_working_day
from forms.casework.rights import visible_applications
from forms.casework.workflow import (
    may_handle_step,
)
from forms.models import (
    ApplicationStatus,
    Channel,
    Delivery,
)
from forms.notifications.dispatch import (
    DIGEST_KIND,
    _lost_task_deadline,
    enqueue,
)
from forms.notifications.texts import (
    absolute,
    masked_address,
)

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
                transaction.on_commit(partial(enqueue, delivery.pk))
            sent += 1
    return sent
