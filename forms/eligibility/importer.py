"""Rules and talents' answers from files (the demo city, a city's first load):
rules are matched by their service item's code and their name, so loading
the same file again changes nothing."""

from django.contrib.auth import get_user_model

from cms.services.models import ServiceItem
from forms.eligibility.service import parse_facts
from forms.models import EligibilityRule, TalentFacts

RULE_FIELDS = (
    "policy_clause",
    "logic",
    "amount",
    "amount_text",
    "time_limit",
    "automatic",
)


def import_rules(rows: list[dict]) -> tuple[int, int]:
    """Create or update one rule per row; (created, unchanged or updated).
    An invalid rule raises ValidationError before anything of it is written."""
    created = kept = 0
    for row in rows:
        item = ServiceItem.objects.get(guide__item_code=row["item_code"])
        values = {field: row.get(field) for field in RULE_FIELDS}
        values["amount_text"] = values["amount_text"] or ""
        values["time_limit"] = values["time_limit"] or ""
        values["automatic"] = bool(values["automatic"])
        rule = EligibilityRule.objects.filter(
            service_item=item, name=row["name"]
        ).first()
        if rule is None:
            rule = EligibilityRule(service_item=item, name=row["name"], **values)
            rule.save()
            rule.save_revision()
            created += 1
            continue
        kept += 1
        if any(getattr(rule, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(rule, field, value)
            rule.save()
            rule.save_revision()
    return created, kept


def import_answers(answers: dict[str, dict]) -> int:
    """Talents' answers by user name, written without telling anyone (a
    file load is not news to the talent): (number written)."""
    users = get_user_model().objects.filter(username__in=answers)
    written = 0
    for user in users:
        facts, _bad = parse_facts(answers[user.get_username()])
        stored = {key: value for key, value in facts.items() if value is not None}
        updated = TalentFacts.objects.filter(user=user).update(facts=stored)
        if not updated:
            TalentFacts.objects.bulk_create([TalentFacts(user=user, facts=stored)])
        written += 1
    return written
