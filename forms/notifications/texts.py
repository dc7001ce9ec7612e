"""The texts of notifications: the built-in templates administrators may
change, the context of one event, rendering, and scrubbing personal data out of
every text (docs/security.md G7)."""

from __future__ import annotations

import datetime
import logging
import re

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from cms.core.identifiers import mask_bank_account, mask_identifier, mask_mobile
from forms.casework.workflow import (
    expected_completion,
    stage_label,
)
from forms.models import (
    Application,
    CaseAction,
    CaseEvent,
    Channel,
    NotificationEvent,
    NotificationTemplate,
)
from forms.models.notifications import render_text

logger = logging.getLogger("harbor.notifications")

# --- built-in texts (content, in Chinese; administrators change them in the admin) ---

_RECEIPT = "您的申请（受理编号 {{ receipt_number }}）"
_ITEMS = "{% for item in items %}{{ forloop.counter }}. {{ item }}\n{% endfor %}"
_COMMENT = "{% if comment %}说明：{{ comment }}\n{% endif %}"
_LINK = "查看详情：{{ link }}"

DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    CaseAction.SUBMITTED: {
        "subject": "申请已提交：{{ receipt_number }}",
        "body": "您的《{{ form_title }}》已提交，受理编号 {{ receipt_number }}。"
        "当前环节：{{ stage }}。\n" + _LINK,
        "sms": "您的《{{ form_title }}》已提交，受理编号 {{ receipt_number }}，"
        "可登录人才港湾查看进度。",
    },
    CaseAction.ACCEPT: {
        "subject": "申请已受理：{{ receipt_number }}",
        "body": _RECEIPT + "已受理。当前环节：{{ stage }}。"
        "{% if due %}预计办结日期：{{ due }}。{% endif %}\n" + _LINK,
        "sms": _RECEIPT + "已受理。",
    },
    CaseAction.ACCEPT_WITH_TOLERANCE: {
        "subject": "申请已容缺受理：{{ receipt_number }}",
        "body": _RECEIPT
        + "已容缺受理，审核继续进行。请在 {{ due }} 前补交以下材料：\n"
        + _ITEMS
        + _COMMENT
        + _LINK,
        "sms": _RECEIPT + "已容缺受理，请在 {{ due }} 前补交材料，详见站内消息。",
    },
    CaseAction.RETURN: {
        "subject": "申请需要补正：{{ receipt_number }}",
        "body": _RECEIPT
        + "需要补正。请一次补齐以下材料后重新提交：\n"
        + _ITEMS
        + _COMMENT
        + _LINK,
        "sms": _RECEIPT + "需要补正，请登录人才港湾查看需补齐的材料。",
    },
    CaseAction.RESUBMIT: {
        "subject": "补正材料已提交：{{ receipt_number }}",
        "body": _RECEIPT
        + "的补正材料已提交，审核继续进行。当前环节：{{ stage }}。\n"
        + _LINK,
        "sms": _RECEIPT + "的补正材料已提交，审核继续进行。",
    },
    CaseAction.PASS: {
        "subject": "申请进入下一环节：{{ receipt_number }}",
        "body": _RECEIPT + "已进入下一环节：{{ stage }}。"
        "{% if due %}预计办结日期：{{ due }}。{% endif %}\n" + _LINK,
        "sms": _RECEIPT + "已进入下一环节：{{ stage }}。",
    },
    CaseAction.OPINION: {
        "subject": "部门已出具意见：{{ receipt_number }}",
        "body": _RECEIPT + "已有部门出具办理意见。当前环节：{{ stage }}。\n" + _LINK,
        "sms": _RECEIPT + "已有部门出具办理意见。",
    },
    CaseAction.APPROVE: {
        "subject": "申请已核准：{{ receipt_number }}",
        "body": _RECEIPT + "已核准。当前状态：{{ stage }}。\n" + _COMMENT + _LINK,
        "sms": _RECEIPT + "已核准，详见站内消息。",
    },
    CaseAction.REJECT: {
        "subject": "申请未予核准：{{ receipt_number }}",
        "body": "很抱歉，" + _RECEIPT + "未予核准。\n理由：{{ comment }}\n" + _LINK,
        "sms": "很抱歉，" + _RECEIPT + "未予核准，理由详见站内消息。",
    },
    CaseAction.WITHDRAW: {
        "subject": "申请已撤回：{{ receipt_number }}",
        "body": _RECEIPT + "已撤回。\n" + _LINK,
        "sms": _RECEIPT + "已撤回。",
    },
    CaseAction.PUBLICITY_END: {
        "subject": "公示期满，申请已办结：{{ receipt_number }}",
        "body": _RECEIPT + "公示期满，已办结。\n" + _LINK,
        "sms": _RECEIPT + "公示期满，已办结。",
    },
    CaseAction.MATERIALS_RECEIVED: {
        "subject": "补交材料已收到：{{ receipt_number }}",
        "body": _RECEIPT + "容缺受理后补交的材料已收到。\n" + _LINK,
        "sms": _RECEIPT + "补交的材料已收到。",
    },
    CaseAction.ASSIGN: {
        "subject": "您被指派为专员：{{ receipt_number }}",
        "body": "您被指派为申请 {{ receipt_number }}（《{{ form_title }}》）的专员。"
        "当前环节：{{ stage }}。\n" + _LINK,
        "sms": "您被指派为申请 {{ receipt_number }} 的专员，请登录后台查看。",
    },
}

# The officer's e-mail and SMS for "assign" start switched off: the inbox and
# the digest already tell them.
_OFF_BY_DEFAULT = {
    (CaseAction.ASSIGN, Channel.EMAIL),
    (CaseAction.ASSIGN, Channel.SMS),
}


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


def address_of(user, channel: str) -> str:
    return (user.mobile if channel == Channel.SMS else user.email) or ""


# --- texts for one event ---


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def case_link(application: Application, for_staff: bool) -> str:
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
        "link": absolute(case_link(application, for_staff)),
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
