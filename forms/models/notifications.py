"""Notifications: the texts administrators edit, the in-site inbox, and the outbox.

A case event becomes one in-site ``Message`` per recipient and one ``Delivery``
per e-mail or SMS; a delivery stays in the table, failed or pending, until it is
sent, so a failing gateway never loses a message. Deliveries keep no address:
e-mail addresses and mobile numbers are read from the user when sending (G7),
only a masked form is kept for the admin list.
"""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from forms.models.applications import Application
from forms.models.casework import CaseAction, CaseEvent


class NotificationEvent(models.TextChoices):
    """The case actions people are told about (their own labels: these name
    the texts an administrator edits)."""

    SUBMITTED = CaseAction.SUBMITTED.value, _("Submitted")
    ACCEPT = CaseAction.ACCEPT.value, _("Accepted")
    ACCEPT_WITH_TOLERANCE = (
        CaseAction.ACCEPT_WITH_TOLERANCE.value,
        _("Accepted with materials to follow"),
    )
    RETURN = CaseAction.RETURN.value, _("Returned for supplement")
    RESUBMIT = CaseAction.RESUBMIT.value, _("Supplement sent")
    PASS = CaseAction.PASS.value, _("Step passed")
    OPINION = CaseAction.OPINION.value, _("Department opinion")
    APPROVE = CaseAction.APPROVE.value, pgettext_lazy("casework", "Approved")
    REJECT = CaseAction.REJECT.value, _("Not approved")
    WITHDRAW = CaseAction.WITHDRAW.value, _("Withdrawn by the applicant")
    PUBLICITY_END = CaseAction.PUBLICITY_END.value, _("Publicity ended")
    MATERIALS_RECEIVED = (
        CaseAction.MATERIALS_RECEIVED.value,
        _("Missing materials received"),
    )
    ASSIGN = CaseAction.ASSIGN.value, _("Case officer assigned (to the officer)")


class Channel(models.TextChoices):
    IN_SITE = "in_site", _("In-site message")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


# What a template may use; nothing else is in its context (no names, no IDs).
TEMPLATE_VARIABLES = (
    "receipt_number",
    "form_title",
    "stage",
    "comment",
    "due",
    "items",
    "link",
)


# Tags an administrator's text may not use: {% debug %} prints the context and
# the loaded modules, {% load %} would bring in other libraries.
_REFUSED_TAGS = {"debug", "load", "csrf_token"}


@functools.cache
def text_engine() -> Engine:
    """A template engine for administrators' texts: Django's built-in tags (less
    _REFUSED_TAGS) and filters only, no loaders (so no {% include %} or
    {% extends %}), and no autoescaping: the texts are plain, and escaped
    wherever they are shown as HTML."""
    engine = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False)
    library = Library()
    library.tags = {
        name: tag
        for name, tag in defaulttags.register.tags.items()
        if name not in _REFUSED_TAGS
    }
    library.filters = dict(defaultfilters.register.filters)
    engine.template_builtins = [library]
    return engine


def render_text(source: str, context: dict) -> str:
    return text_engine().from_string(source).render(Context(context)).strip()


def validate_template_text(value: str) -> None:
    try:
        text_engine().from_string(value)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("This text is not a valid template: %(error)s"),
            params={"error": error},
        ) from error


class NotificationTemplate(models.Model):
    """The text sent for one event on one channel; administrators edit it."""

    event = models.CharField(_("event"), max_length=30, choices=NotificationEvent)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    active = models.BooleanField(
        _("send"), default=True, help_text=_("Untick to send nothing on this channel.")
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        blank=True,
        validators=[validate_template_text],
        help_text=_("E-mail subject and in-site message title. Not used for SMS."),
    )
    body = models.TextField(
        _("text"),
        validators=[validate_template_text],
        help_text=_(
            "Django template syntax. Available: {{ receipt_number }}, "
            "{{ form_title }}, {{ stage }}, {{ comment }}, {{ due }}, {{ link }} and "
            "the list {{ items }} (for item in items). Never add personal data."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldRowPanel(
            [
                FieldPanel("event", read_only=True),
                FieldPanel("channel", read_only=True),
            ]
        ),
        FieldPanel("active"),
        FieldPanel("subject"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel"], name="applications_notification_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.get_channel_display()}"


class Message(models.Model):
    """An in-site message in a user's inbox (/applications/messages/)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    event = models.ForeignKey(
        CaseEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            # A signal delivered twice never doubles the inbox.
            models.UniqueConstraint(
                fields=["event", "recipient"], name="applications_message_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One e-mail or SMS to one user: the outbox row that survives failures."""

    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=[
            (Channel.EMAIL, Channel.EMAIL.label),
            (Channel.SMS, Channel.SMS.label),
        ],
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # Masked for display only; the real address is read from the user at send time.
    address = models.CharField(_("address"), max_length=100, blank=True)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        CaseEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=30, blank=True, help_text=_("The event, or digest.")
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"],
                name="applications_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class PendingNotification(models.Model):
    """A case event whose messages and deliveries are not written yet.

    Written in the event's own transaction and deleted in the one that writes
    its messages and deliveries, so a process that dies (or loses its database
    connection) between the two leaves this row, and ``retry_notifications``
    notifies it: no decision goes unannounced.
    """

    event = models.OneToOneField(
        CaseEvent, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pending notification")
        verbose_name_plural = _("pending notifications")
        ordering = ["created_at", "event"]

    def __str__(self) -> str:
        return f"{self.event_id}"
