"""Hand-written rules the eligibility tests share (not the demo's)."""


def eq(key, value):
    return {"==": [{"var": key}, value]}


def one_of(key, *values):
    return {"in": [{"var": key}, list(values)]}


def at_least(key, value):
    return {">=": [{"var": key}, value]}


def at_most(key, value):
    return {"<=": [{"var": key}, value]}


def all_of(*clauses):
    return {"and": list(clauses)}


def any_of(*clauses):
    return {"or": list(clauses)}


def no(clause):
    return {"!": clause}


ALL_TIERS = one_of("tier", *[f"tier-{n}" for n in range(1, 8)])
TOP_TIERS = one_of("tier", *[f"tier-{n}" for n in range(1, 6)])
VALID = eq("tier_valid", True)

RULES = {
    "housing": all_of(ALL_TIERS, VALID, eq("first_home", True), eq("received", False)),
    "living": all_of(
        one_of("tier", "tier-6", "tier-7"),
        VALID,
        no(eq("employer_district", "elsewhere")),
    ),
    "school": all_of(
        ALL_TIERS,
        VALID,
        at_least("child_age", 6),
        at_most("child_age", 15),
        one_of("child_school", "kindergarten", "primary"),
    ),
    "spouse": all_of(TOP_TIERS, VALID, eq("spouse", "seeking")),
    "foreign": all_of(
        eq("nationality", "foreign"),
        any_of(
            eq("degree", "doctor"),
            eq("title", "senior"),
            one_of("tier", "tier-1", "tier-2", "tier-3"),
        ),
    ),
    "young": all_of(
        at_most("age", 35),
        one_of("degree", "bachelor", "master", "doctor"),
        one_of("industry", "manufacturing", "technology"),
    ),
    "settle": all_of(TOP_TIERS, VALID, at_most("years_in_city", 3)),
    "veteran": all_of(ALL_TIERS, at_least("years_in_city", 5)),
}

HOUSING_AMOUNT = {
    "if": [eq("tier", "tier-1"), 2000000, eq("tier", "tier-2"), 1500000, 200000]
}
