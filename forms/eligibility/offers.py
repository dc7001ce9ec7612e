"""免申即享: benefits offered before anyone asks.

When a talent's profile changes (a recognition approved, a roster import, new
answers in 我的待遇) the rules in force are evaluated again. Each benefit the
talent newly qualifies for becomes one ``BenefitOffer`` (once per talent and
rule), an in-site message and an e-mail and SMS delivery, written in the same
transaction as the change; only the sending waits for the commit, and
``retry_notifications`` sends whatever a crash left unsent (the outbox of
forms/notifications). For a rule the office marks 免申即享 the offer waits for
staff to confirm instead of an application.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from forms.eligibility.service import evaluate_all, known_facts
from forms.models import (
    BenefitOffer,
    Channel,
    Delivery,
    EligibilityRule,
    Message,
    OfferStatus,
    TalentFacts,
    TalentProfile,
)
from forms.notifications.dispatch import _lost_task_deadline, enqueue
from forms.notifications.texts import absolute, address_of, masked_address

KIND = "benefit"


def _texts(entry) -> tuple[str, str]:
    names = {"item": entry.item.name, "rule": entry.rule.name}
    if entry.rule.automatic:
        title = _("A benefit for you without applying: %(item)s") % names
        body = (
            _(
                "By “%(rule)s” you qualify for %(item)s. Nothing to apply for: "
                "staff will confirm it and tell you."
            )
            % names
        )
    else:
        title = _("You may now apply: %(item)s") % names
        body = (
            _(
                "By “%(rule)s” you now qualify for %(item)s. Your application "
                "starts with what the hall already knows."
            )
            % names
        )
    return title, body


def find_new_benefits(user) -> list[BenefitOffer]:
    """Offers for the benefits this talent newly qualifies for."""
    if user is None or getattr(user, "kind", "talent") != "talent":
        return []
    if not EligibilityRule.objects.filter(is_active=True).exists():
        return []
    facts = known_facts(user)
    if "tier" not in facts:
        return []
    lists = evaluate_all(facts, user=user)
    already = set(
        BenefitOffer.objects.filter(user=user).values_list("rule_id", flat=True)
    )
    new = [entry for entry in lists.yes if entry.rule.pk not in already]
    if not new:
        return []
    created: list[BenefitOffer] = []
    deliveries: list[Delivery] = []
    link = reverse("eligibility:mine")
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for entry in new:
            offer, made = BenefitOffer.objects.get_or_create(
                user=user,
                rule=entry.rule,
                defaults={
                    "district": str(facts.get("employer_district", ""))[:60],
                    "amount": entry.amount,
                    "status": OfferStatus.TO_CONFIRM
                    if entry.rule.automatic
                    else OfferStatus.NOTIFIED,
                },
            )
            if not made:
                continue
            created.append(offer)
            title, body = _texts(entry)
            Message.objects.create(recipient=user, title=title, body=body, link=link)
            for channel in (Channel.EMAIL, Channel.SMS):
                if not address_of(user, channel):
                    continue
                deliveries.append(
                    Delivery.objects.create(
                        channel=channel,
                        recipient=user,
                        kind=KIND,
                        address=masked_address(user, channel),
                        subject=title,
                        body=f"{body} {absolute(link)}",
                        next_attempt_at=_lost_task_deadline(),
                    )
                )
        for delivery in deliveries:
            transaction.on_commit(partial(enqueue, delivery.pk))
    return created


@receiver(post_save, sender=TalentProfile, dispatch_uid="eligibility_profile")
def on_profile_saved(sender, instance: TalentProfile, **kwargs) -> None:
    if instance.user_id:
        find_new_benefits(instance.user)


@receiver(post_save, sender=TalentFacts, dispatch_uid="eligibility_answers")
def on_answers_saved(sender, instance: TalentFacts, **kwargs) -> None:
    find_new_benefits(instance.user)
