"""Eligibility rules as JSON Logic: what a rule may say, its validation, its
evaluation (by the ``json_logic`` library) and the explanation in words.

A rule is a tree of groups (``and``, ``or``, ``!``) over conditions that compare
one fact of the registry (facts.py) with a value from that fact's list or a
number. Nothing else is accepted, so every rule the office writes can be read
back in the editor and explained to the talent. The library decides the answer
whenever every fact a rule needs is known; the walk here only finds which
condition is missing or failing, and says it in words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from json_logic import jsonLogic

from forms.eligibility.facts import BOOLEAN, CHOICE, FACTS, NUMBER, Fact

GROUPS = ("and", "or")
NOT = "!"
EQUALITY = ("==", "!=")
ORDER = ("<", "<=", ">", ">=")
MEMBERSHIP = "in"
MAX_DEPTH = 8
MAX_CONDITIONS = 60

YES = "yes"
MAYBE = "maybe"
NO = "no"


class RuleError(ValueError):
    """A rule that may not be stored: ``messages`` say why, in words."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# --- reading the tree ---


def _operator(node) -> tuple[str, object]:
    if not isinstance(node, dict) or len(node) != 1:
        raise RuleError([_("A condition must be one operation.")])
    ((operator, args),) = node.items()
    return operator, args


def _not_operand(args):
    # JSON Logic writes a unary argument either bare or in a one-item list.
    if isinstance(args, list):
        if len(args) != 1:
            raise RuleError([_("“Not” takes exactly one condition.")])
        return args[0]
    return args


def _fact_of(args) -> Fact:
    if not isinstance(args, list) or len(args) != 2:
        raise RuleError([_("A condition compares one fact with one value.")])
    var = args[0]
    if not (
        isinstance(var, dict) and set(var) == {"var"} and isinstance(var["var"], str)
    ):
        raise RuleError([_("A condition must start with a fact.")])
    fact = FACTS.get(var["var"])
    if fact is None:
        raise RuleError([_("Unknown fact “%(key)s”.") % {"key": var["var"]}])
    return fact


def _check_value(fact: Fact, value, allowed: set[str]) -> None:
    if fact.kind == BOOLEAN:
        ok = isinstance(value, bool)
    elif fact.kind == NUMBER:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str) and value in allowed
    if not ok:
        raise RuleError(
            [
                _("“%(value)s” is not a value of “%(fact)s”.")
                % {"value": value, "fact": fact.label}
            ]
        )


def validate(logic, depth: int = 0, counter: list[int] | None = None) -> None:
    """Raise RuleError unless ``logic`` is a rule of the allowed shape whose
    facts and values all come from the registry."""
    counter = counter if counter is not None else [0]
    if depth > MAX_DEPTH:
        raise RuleError([_("The rule is nested too deeply.")])
    operator, args = _operator(logic)
    if operator in GROUPS:
        if not isinstance(args, list) or not args:
            raise RuleError([_("A group needs at least one condition.")])
        for child in args:
            validate(child, depth + 1, counter)
        return
    if operator == NOT:
        validate(_not_operand(args), depth + 1, counter)
        return
    counter[0] += 1
    if counter[0] > MAX_CONDITIONS:
        raise RuleError([_("The rule has too many conditions.")])
    if operator not in EQUALITY + ORDER + (MEMBERSHIP,):
        raise RuleError([_("Unknown operation “%(op)s”.") % {"op": operator}])
    fact = _fact_of(args)
    assert isinstance(args, list)
    allowed = (
        {value for value, _label in fact.choices()} if fact.kind == CHOICE else set()
    )
    if operator in ORDER and fact.kind != NUMBER:
        raise RuleError(
            [_("“%(fact)s” cannot be compared by size.") % {"fact": fact.label}]
        )
    if operator == MEMBERSHIP:
        if fact.kind != CHOICE or not isinstance(args[1], list) or not args[1]:
            raise RuleError(
                [
                    _("“One of” needs a list of values of “%(fact)s”.")
                    % {"fact": fact.label}
                ]
            )
        for value in args[1]:
            _check_value(fact, value, allowed)
        return
    _check_value(fact, args[1], allowed)


def validate_amount(amount) -> None:
    """An amount is empty, a number, or ``if`` pairs of condition and number
    ending with a default number (e.g. by tier)."""
    if amount in (None, ""):
        return
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        return
    operator, args = _operator(amount)
    if operator != "if" or not isinstance(args, list) or len(args) % 2 != 1:
        raise RuleError(
            [_("An amount is a number or a table of amounts by condition.")]
        )
    for index, part in enumerate(args):
        if index % 2 == 0 and index < len(args) - 1:
            validate(part)
        elif not (isinstance(part, int | float) and not isinstance(part, bool)):
            raise RuleError([_("Every amount in the table must be a number.")])


def facts_used(logic) -> set[str]:
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"var"} and isinstance(node["var"], str):
                found.add(node["var"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(logic)
    return found


# --- words ---


def _values_text(fact: Fact, values) -> str:
    return pgettext("list separator", ", ").join(
        fact.value_label(value) for value in values
    )


def requirement(leaf, negated: bool = False) -> str:
    """One condition in words, as a requirement (``negated`` under a “not”)."""
    operator, args = _operator(leaf)
    assert isinstance(args, list)
    fact = _fact_of(args)
    value = args[1]
    if operator == "!=":
        operator, negated = "==", not negated
    names: dict[str, object] = {"fact": fact.label}
    if operator == "==":
        names["value"] = fact.value_label(value)
        if negated:
            return _("%(fact)s is not %(value)s") % names
        return _("%(fact)s is %(value)s") % names
    if operator == MEMBERSHIP:
        names["values"] = _values_text(fact, value)
        if negated:
            return _("%(fact)s is none of: %(values)s") % names
        return _("%(fact)s is one of: %(values)s") % names
    names["value"] = str(value)
    if negated:
        operator = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[operator]
    texts = {
        "<": _("%(fact)s is below %(value)s"),
        "<=": _("%(fact)s is at most %(value)s"),
        ">": _("%(fact)s is above %(value)s"),
        ">=": _("%(fact)s is at least %(value)s"),
    }
    return texts[operator] % names


def describe(logic, negated: bool = False) -> str:
    """The whole rule in words, for the editor's preview and the docs."""
    operator, args = _operator(logic)
    if operator == NOT:
        return describe(_not_operand(args), not negated)
    if operator in GROUPS:
        assert isinstance(args, list)
        joiner = (operator == "and") != negated
        parts = [describe(child, negated) for child in args]
        if len(parts) == 1:
            return parts[0]
        word = (
            pgettext("rule in words", " and ")
            if joiner
            else pgettext("rule in words", " or ")
        )
        return "(" + word.join(parts) + ")"
    return requirement(logic, negated)


# --- evaluation ---


@dataclass
class Clause:
    fact: str
    text: str
    answer: str


@dataclass
class Verdict:
    outcome: str  # YES, MAYBE or NO
    clauses: list[Clause] = field(default_factory=list)


def _leaves(logic, path=(), negated=False) -> Iterator[tuple[tuple, dict, bool]]:
    operator, args = _operator(logic)
    if operator == NOT:
        yield from _leaves(_not_operand(args), path + (0,), not negated)
    elif operator in GROUPS:
        assert isinstance(args, list)
        for index, child in enumerate(args):
            yield from _leaves(child, path + (index,), negated)
    else:
        yield path, logic, negated


def _walk(logic, facts: dict, flipped, path=(), negated=False):
    """True, False or None (a fact it needs is not known); ``flipped`` is the
    path of one condition taken as met."""
    operator, args = _operator(logic)
    if operator == NOT:
        result = _walk(_not_operand(args), facts, flipped, path + (0,), not negated)
        return None if result is None else not result
    if operator in GROUPS:
        assert isinstance(args, list)
        results = [
            _walk(child, facts, flipped, path + (index,), negated)
            for index, child in enumerate(args)
        ]
        if operator == "and":
            if False in results:
                return False
            return None if None in results else True
        if True in results:
            return True
        return None if None in results else False
    if path == flipped:
        # Met as the rule asks it: under a "not", that means false.
        return not negated
    assert isinstance(args, list)
    key = args[0]["var"]
    if facts.get(key) is None:
        return None
    return bool(jsonLogic(logic, facts))


def _clause(leaf: dict, negated: bool, facts: dict) -> Clause:
    fact = _fact_of(leaf[next(iter(leaf))])
    return Clause(
        fact=fact.key,
        text=requirement(leaf, negated),
        answer=fact.value_label(facts.get(fact.key)),
    )


def _polarity_leaf_fails(leaf, negated, facts) -> bool:
    key = _fact_of(leaf[next(iter(leaf))]).key
    if facts.get(key) is None:
        return False
    return bool(jsonLogic(leaf, facts)) == negated


def _attainable(leaf: dict, negated: bool) -> bool:
    """A condition the talent can still come to meet: an attainable fact, and
    for a number only a floor (years pass; they never go back)."""
    operator = next(iter(leaf))
    fact = _fact_of(leaf[operator])
    if not fact.attainable:
        return False
    if fact.kind == NUMBER:
        floor = operator in (">=", ">")
        return floor != negated
    return True


def evaluate(logic, facts: dict) -> Verdict:
    """Yes; maybe, with the one condition still missing or attainable; or no,
    with the conditions that fail."""
    known = {key: value for key, value in facts.items() if value is not None}
    result = _walk(logic, known, None)
    leaves = list(_leaves(logic))
    if result is True:
        # The library has the last word once the walk says every fact is known
        # enough; a disagreement would be a bug in the walk, never a yes.
        complete = {key: known.get(key) for key in facts_used(logic)}
        if all(value is not None for value in complete.values()):
            if not jsonLogic(logic, complete):
                return Verdict(NO)
        return Verdict(YES)
    if result is None:
        missing = [
            _clause(leaf, negated, known)
            for _path, leaf, negated in leaves
            if known.get(_fact_of(leaf[next(iter(leaf))]).key) is None
        ]
        return Verdict(MAYBE, missing[:1])
    for path, leaf, negated in leaves:
        if _attainable(leaf, negated) and _polarity_leaf_fails(leaf, negated, known):
            if _walk(logic, known, path) is True:
                return Verdict(MAYBE, [_clause(leaf, negated, known)])
    failing = [
        _clause(leaf, negated, known)
        for _path, leaf, negated in leaves
        if _polarity_leaf_fails(leaf, negated, known)
    ]
    return Verdict(NO, failing[:3])


def amount_of(amount, facts: dict):
    """The amount a rule's table gives for these facts, or None."""
    if amount in (None, ""):
        return None
    if isinstance(amount, int | float):
        return amount
    args = amount["if"]
    for index in range(0, len(args) - 1, 2):
        if _walk(args[index], facts, None) is True:
            return args[index + 1]
    return args[-1] or None
