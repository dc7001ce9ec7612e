"""A rule is validated wherever it is saved: unknown facts, values off a
fact's list and malformed JSON are refused in words, and nothing is written."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from forms.eligibility.logic import RuleError, validate, validate_amount
from forms.models import EligibilityRule
from tests.eligibility.helpers import make_city
from tests.eligibility.rules import RULES
from tests.factories import make_service_item, make_user

pytestmark = pytest.mark.django_db

BAD = [
    ({"==": [{"var": "shoe_size"}, 42]}, "Unknown fact"),
    ({"==": [{"var": "tier"}, "tier-99"]}, "is not a value of"),
    ({"==": [{"var": "first_home"}, "yes"]}, "is not a value of"),
    ({">=": [{"var": "degree"}, 3]}, "cannot be compared by size"),
    ({"in": [{"var": "degree"}, []]}, "needs a list of values"),
    ({"and": []}, "at least one condition"),
    ({"and": [{"==": [{"var": "age"}]}]}, "compares one fact with one value"),
    ({"map": [{"var": "age"}, 1]}, "Unknown operation"),
    ({"==": [1, 1]}, "must start with a fact"),
    ("not json logic", "must be one operation"),
    ({"!": [RULES["young"], RULES["young"]]}, "exactly one condition"),
]


@pytest.mark.parametrize("logic, message", BAD)
@translation.override("en")
def test_invalid_rules_are_refused_in_words(logic, message):
    with pytest.raises(RuleError) as refused:
        validate(logic)
    assert message in str(refused.value)


def test_every_hand_written_rule_is_valid():
    for logic in RULES.values():
        validate(logic)


def test_deep_nesting_is_refused():
    logic = RULES["young"]
    for _ in range(12):
        logic = {"!": logic}
    with pytest.raises(RuleError):
        validate(logic)


@translation.override("en")
def test_amount_tables_are_checked():
    validate_amount(None)
    validate_amount(3000)
    validate_amount({"if": [{"==": [{"var": "tier"}, "tier-1"]}, 100, 0]})
    with pytest.raises(RuleError, match="must be a number"):
        validate_amount({"if": [{"==": [{"var": "tier"}, "tier-1"]}, "much", 0]})
    with pytest.raises(RuleError):
        validate_amount({"if": [{"==": [{"var": "tier"}, "tier-1"]}, 100]})


def test_saving_an_invalid_rule_writes_nothing():
    item = make_service_item()
    with pytest.raises(ValidationError):
        EligibilityRule.objects.create(
            service_item=item,
            name="bad",
            policy_clause="x",
            logic={"==": [{"var": "shoe_size"}, 42]},
        )
    assert not EligibilityRule.objects.exists()


def _admin_post(client, rule_or_none, **data):
    if rule_or_none is None:
        url = reverse("wagtailsnippets_applications_eligibilityrule:add")
    else:
        url = reverse(
            "wagtailsnippets_applications_eligibilityrule:edit", args=[rule_or_none.pk]
        )
    return client.post(url, data)


def test_the_admin_refuses_a_bad_rule_and_keeps_a_good_one_with_a_revision(client):
    _district, rules = make_city()
    admin = make_user(kind="staff", is_superuser=True, is_staff=True)
    client.force_login(admin)
    rule = rules["school"]
    before = rule.logic
    form = {
        "service_item": rule.service_item_id,
        "name": rule.name,
        "policy_clause": rule.policy_clause,
        "logic": '{"==": [{"var": "shoe_size"}, 42]}',
        "amount_text": "",
        "time_limit": "",
        "is_active": "on",
    }
    response = _admin_post(client, rule, **form)
    assert response.status_code == 200
    assert response.context["form"].errors["logic"]
    rule.refresh_from_db()
    assert rule.logic == before
    response = _admin_post(client, rule, **{**form, "logic": "{not json"})
    assert response.status_code == 200
    assert response.context["form"].errors["logic"]
    good = {"and": [{"==": [{"var": "tier"}, "tier-1"]}]}
    response = _admin_post(
        client, rule, **{**form, "logic": json.dumps(good), "amount_tier-1": "5000"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.logic == good
    assert rule.amount == {"if": [{"==": [{"var": "tier"}, "tier-1"]}, 5000.0, 0]}
    assert rule.revisions.count() == 1


def test_the_rule_editor_offers_facts_by_label(client):
    make_city()
    admin = make_user(kind="staff", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("wagtailsnippets_applications_eligibilityrule:add"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-rule-editor" in page
    assert "eligibility-rules.js" in page
    assert "tier-7" in page  # the tier list feeds the value menus
