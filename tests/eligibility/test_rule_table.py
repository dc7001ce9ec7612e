"""Rule evaluation against a table of profiles written out by hand: the
outcome (yes / maybe / no) and the fact the explanation names."""

import pytest
from django.utils import translation
from json_logic import jsonLogic

from forms.eligibility.logic import MAYBE, NO, YES, amount_of, evaluate
from tests.eligibility.rules import HOUSING_AMOUNT, RULES

pytestmark = pytest.mark.django_db

V, F = True, False

# (rule, facts, outcome, the fact the explanation names)
TABLE = [
    # housing: any tier, valid, first home, not yet received
    ("housing", dict(tier="tier-3", tier_valid=V, first_home=V, received=F), YES, None),
    (
        "housing",
        dict(tier="tier-3", tier_valid=V, first_home=F, received=F),
        NO,
        "first_home",
    ),
    (
        "housing",
        dict(tier="tier-3", tier_valid=F, first_home=V, received=F),
        MAYBE,
        "tier_valid",
    ),
    ("housing", dict(tier="none", tier_valid=F, first_home=V, received=F), NO, "tier"),
    (
        "housing",
        dict(tier="tier-7", tier_valid=V, first_home=V, received=V),
        NO,
        "received",
    ),
    ("housing", dict(tier="tier-1", tier_valid=V, received=F), MAYBE, "first_home"),
    ("housing", {}, MAYBE, "tier"),
    ("housing", dict(tier="tier-1", tier_valid=V, first_home=V), MAYBE, "received"),
    (
        "housing",
        dict(tier="tier-3", tier_valid=F, first_home=F, received=F),
        NO,
        "first_home",
    ),
    # living allowance: tiers 6-7, valid, employer in the city
    (
        "living",
        dict(tier="tier-6", tier_valid=V, employer_district="350502"),
        YES,
        None,
    ),
    (
        "living",
        dict(tier="tier-7", tier_valid=V, employer_district="elsewhere"),
        NO,
        "employer_district",
    ),
    (
        "living",
        dict(tier="tier-5", tier_valid=V, employer_district="350502"),
        NO,
        "tier",
    ),
    ("living", dict(tier="tier-6", employer_district="350502"), MAYBE, "tier_valid"),
    ("living", dict(tier="tier-6", tier_valid=V), MAYBE, "employer_district"),
    (
        "living",
        dict(tier="tier-6", tier_valid=F, employer_district="elsewhere"),
        NO,
        "employer_district",
    ),
    # children's schooling: ages 6 to 15, kindergarten or primary
    (
        "school",
        dict(tier="tier-2", tier_valid=V, child_age=7, child_school="primary"),
        YES,
        None,
    ),
    (
        "school",
        dict(tier="tier-2", tier_valid=V, child_age=5, child_school="kindergarten"),
        NO,
        "child_age",
    ),
    (
        "school",
        dict(tier="tier-2", tier_valid=V, child_age=16, child_school="primary"),
        NO,
        "child_age",
    ),
    (
        "school",
        dict(tier="tier-2", tier_valid=V, child_age=10, child_school="junior"),
        NO,
        "child_school",
    ),
    (
        "school",
        dict(tier="tier-2", tier_valid=V, child_school="primary"),
        MAYBE,
        "child_age",
    ),
    (
        "school",
        dict(tier="tier-2", tier_valid=V, child_age=6, child_school="kindergarten"),
        YES,
        None,
    ),
    (
        "school",
        dict(tier="tier-2", tier_valid=V, child_age=15, child_school="primary"),
        YES,
        None,
    ),
    # spouse employment: tiers 1-5, valid, spouse looking for work
    ("spouse", dict(tier="tier-5", tier_valid=V, spouse="seeking"), YES, None),
    ("spouse", dict(tier="tier-6", tier_valid=V, spouse="seeking"), NO, "tier"),
    ("spouse", dict(tier="tier-1", tier_valid=V, spouse="employed"), NO, "spouse"),
    (
        "spouse",
        dict(tier="tier-1", tier_valid=F, spouse="seeking"),
        MAYBE,
        "tier_valid",
    ),
    ("spouse", dict(tier="tier-1", tier_valid=V, spouse="none"), NO, "spouse"),
    # foreign high-end talent: foreign, and doctorate or senior title or tiers 1-3
    ("foreign", dict(nationality="foreign", degree="doctor"), YES, None),
    (
        "foreign",
        dict(nationality="foreign", degree="master", title="senior"),
        YES,
        None,
    ),
    (
        "foreign",
        dict(nationality="foreign", degree="master", title="associate", tier="tier-5"),
        MAYBE,
        "title",
    ),
    ("foreign", dict(nationality="mainland", degree="doctor"), NO, "nationality"),
    ("foreign", dict(nationality="foreign", degree="bachelor"), MAYBE, "title"),
    ("foreign", dict(nationality="hmt", degree="doctor"), NO, "nationality"),
    (
        "foreign",
        dict(nationality="foreign", degree="master", title="none", tier="tier-2"),
        YES,
        None,
    ),
    # young engineers: at most 35, a degree, manufacturing or technology
    ("young", dict(age=35, degree="bachelor", industry="manufacturing"), YES, None),
    ("young", dict(age=36, degree="bachelor", industry="manufacturing"), NO, "age"),
    ("young", dict(age=30, degree="none", industry="technology"), NO, "degree"),
    ("young", dict(age=30, degree="master", industry="health"), NO, "industry"),
    ("young", dict(age=30, degree="master"), MAYBE, "industry"),
    ("young", dict(degree="master", industry="technology"), MAYBE, "age"),
    # newly settled: years only go up, so "at most 3 years" never becomes "maybe"
    ("settle", dict(tier="tier-4", tier_valid=V, years_in_city=3), YES, None),
    ("settle", dict(tier="tier-4", tier_valid=V, years_in_city=4), NO, "years_in_city"),
    # long service: "at least 5 years" is reached by waiting
    ("veteran", dict(tier="tier-7", years_in_city=2), MAYBE, "years_in_city"),
    ("veteran", dict(tier="tier-7", years_in_city=5), YES, None),
    ("veteran", dict(tier="none", years_in_city=8), NO, "tier"),
]


def test_the_table_is_long_enough():
    assert len(TABLE) >= 40


@pytest.mark.parametrize("rule, facts, outcome, fact", TABLE)
def test_rule_table(rule, facts, outcome, fact):
    verdict = evaluate(RULES[rule], facts)
    assert verdict.outcome == outcome, verdict
    if outcome == YES:
        assert verdict.clauses == []
        # The library agrees whenever the facts are complete.
        assert jsonLogic(RULES[rule], facts)
    elif outcome == MAYBE:
        assert len(verdict.clauses) == 1
        assert verdict.clauses[0].fact == fact
    else:
        assert fact in [clause.fact for clause in verdict.clauses]
        if all(key in facts for key in ("tier",)):
            assert not jsonLogic(RULES[rule], {**facts})


@translation.override("en")
def test_explanations_are_words_with_the_answer():
    verdict = evaluate(
        RULES["living"],
        dict(tier="tier-7", tier_valid=True, employer_district="elsewhere"),
    )
    (clause,) = verdict.clauses
    assert clause.text == "employer's district is not Outside the city"
    assert clause.answer == "Outside the city"
    verdict = evaluate(
        RULES["school"],
        dict(tier="tier-2", tier_valid=True, child_age=16, child_school="primary"),
    )
    assert verdict.clauses[0].text == "age of the youngest child is at most 15"
    assert verdict.clauses[0].answer == "16"
    maybe = evaluate(
        RULES["housing"],
        dict(tier="tier-1", tier_valid=False, first_home=True, received=False),
    )
    assert maybe.clauses[0].text == "recognition still valid is Yes"


def test_amount_by_tier():
    assert amount_of(HOUSING_AMOUNT, {"tier": "tier-1"}) == 2000000
    assert amount_of(HOUSING_AMOUNT, {"tier": "tier-2"}) == 1500000
    assert amount_of(HOUSING_AMOUNT, {"tier": "tier-6"}) == 200000
    assert amount_of(None, {"tier": "tier-6"}) is None
    assert amount_of(5000, {}) == 5000
