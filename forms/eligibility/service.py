"""Evaluating the rules in force for a set of facts, and the facts the hall
already knows of a signed-in talent (talent database, earlier answers,
earlier applications)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from forms.eligibility.facts import FACTS, PER_ITEM_FACTS, STEPS, Fact
from forms.eligibility.logic import (
    MAYBE,
    NO,
    YES,
    Verdict,
    amount_of,
    evaluate,
    facts_used,
)
from forms.models import (
    Application,
    ApplicationFormPage,
    ApplicationStatus,
    EligibilityRule,
    TalentFacts,
    TalentProfile,
)

NATIONALITY_BY_DOCUMENT = {
    "resident": "mainland",
    "hk_macau": "hmt",
    "taiwan": "hmt",
    "passport": "foreign",
    "foreign_permanent": "foreign",
}


@dataclass
class Entry:
    rule: EligibilityRule
    verdict: Verdict
    amount: Decimal | int | float | None = None

    @property
    def item(self):
        return self.rule.service_item

    @property
    def guide(self):
        return self.rule.service_item.guide

    def as_json(self) -> dict:
        guide = self.guide
        return {
            "item": self.item.name,
            "rule": self.rule.name,
            "policy_clause": self.rule.policy_clause,
            "outcome": self.verdict.outcome,
            "amount": self.amount,
            "amount_text": self.rule.amount_text,
            "time_limit": self.rule.time_limit,
            "automatic": self.rule.automatic,
            "guide_url": guide.url if guide else "",
            "apply_url": guide.apply_url if guide else "",
            "clauses": [
                {"fact": c.fact, "condition": c.text, "answer": c.answer}
                for c in self.verdict.clauses
            ],
        }


@dataclass
class Lists:
    yes: list[Entry] = field(default_factory=list)
    maybe: list[Entry] = field(default_factory=list)
    no: list[Entry] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "yes": [e.as_json() for e in self.yes],
            "maybe": [e.as_json() for e in self.maybe],
            "no": [e.as_json() for e in self.no],
        }


def rules_in_force() -> QuerySet[EligibilityRule]:
    return EligibilityRule.objects.filter(
        is_active=True, service_item__is_active=True
    ).select_related("service_item", "service_item__guide")


def questions(rules=None) -> list[tuple[str, str, list[Fact]]]:
    """The facts the rules in force test, by step: the questionnaire asks
    only these."""
    used: set[str] = set()
    for rule in rules if rules is not None else rules_in_force():
        used |= facts_used(rule.logic) | facts_used(rule.amount)
    steps = []
    for key, label in STEPS:
        facts = [
            fact
            for fact in FACTS.values()
            if fact.step == key and fact.key in used and fact.key not in PER_ITEM_FACTS
        ]
        if facts:
            steps.append((key, str(label), facts))
    return steps


def parse_facts(raw: dict) -> tuple[dict, dict[str, str]]:
    """Answers as the rules see them, and the keys that were not acceptable."""
    facts: dict = {}
    bad: dict[str, str] = {}
    for key, value in raw.items():
        fact = FACTS.get(key)
        if fact is None or key in PER_ITEM_FACTS:
            bad[key] = "unknown"
            continue
        try:
            facts[key] = fact.parse(value)
        except (TypeError, ValueError):
            bad[key] = "invalid"
    return facts, bad


def received_items(user) -> set[int]:
    """Service items whose benefit this talent already had granted."""
    if user is None or not user.is_authenticated:
        return set()
    items: set[int] = set()
    completed = Application.objects.filter(status=ApplicationStatus.COMPLETED).filter(
        applicant=user
    ) | Application.objects.filter(status=ApplicationStatus.COMPLETED, talent=user)
    forms = ApplicationFormPage.objects.filter(
        pk__in=completed.values("form_id")
    ).specific()
    for form in forms:
        guide = form.get_parent().specific
        item = getattr(guide, "service_item", None)
        if item is not None:
            items.add(item.pk)
    return items


def evaluate_all(facts: dict, user=None, rules=None) -> Lists:
    lists = Lists()
    received = received_items(user)
    for rule in rules if rules is not None else rules_in_force():
        these = dict(facts)
        if user is not None and user.is_authenticated:
            these["received"] = rule.service_item_id in received
        verdict = evaluate(rule.logic, these)
        entry = Entry(rule, verdict, amount_of(rule.amount, these))
        {YES: lists.yes, MAYBE: lists.maybe, NO: lists.no}[verdict.outcome].append(
            entry
        )
    return lists


def profile_of(user) -> TalentProfile | None:
    return (
        TalentProfile.objects.filter(user=user)
        .select_related("tier", "employer__district")
        .first()
    )


def known_facts(user) -> dict:
    """What the hall knows of a signed-in talent: the talent database first,
    then the identity document, then their own earlier answers."""
    facts: dict = {}
    saved = TalentFacts.objects.filter(user=user).first()
    if saved:
        facts.update(parse_facts(saved.facts)[0])
    nationality = NATIONALITY_BY_DOCUMENT.get(getattr(user, "id_kind", ""))
    if nationality:
        facts["nationality"] = nationality
    employer = getattr(user, "employer", None)
    if employer is not None and employer.district_id:
        district = employer.district
        facts["employer_district"] = district.code or district.name
    profile = profile_of(user)
    if profile is not None:
        facts["tier"] = profile.tier.code if profile.tier else "none"
        facts["tier_valid"] = profile.is_valid
        employer = profile.employer
        if employer is not None and employer.district is not None:
            district = employer.district
            facts["employer_district"] = district.code or district.name
        if profile.valid_from and "years_in_city" not in facts:
            facts["years_in_city"] = max(
                0, (timezone.localdate() - profile.valid_from).days // 365
            )
    return {key: value for key, value in facts.items() if value is not None}


def save_answers(user, answers: dict) -> TalentFacts:
    """Keep a signed-in talent's answers beside what they told before."""
    record, _created = TalentFacts.objects.get_or_create(user=user)
    merged = dict(record.facts)
    merged.update({k: v for k, v in answers.items() if v is not None})
    record.facts = merged
    record.save()
    return record
