"""The calculator in the headless API (mounted at /api/v1/calculator/ by
forms/api/app.py): one POST with facts, the three lists back. Nothing is stored
and no sign-in is needed; facts it cannot read are a problem+json 422 naming
each fact."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from forms.api.problems import Problem
from forms.eligibility.facts import FACTS
from forms.eligibility.service import evaluate_all, parse_facts

router = Router(tags=["calculator"])


class FactsIn(Schema):
    facts: dict[str, str | int | bool | None] = {}


class ClauseOut(Schema):
    fact: str
    condition: str
    answer: str


class EntryOut(Schema):
    item: str
    rule: str
    policy_clause: str
    outcome: str
    amount: float | None
    amount_text: str
    time_limit: str
    automatic: bool
    guide_url: str
    apply_url: str
    clauses: list[ClauseOut]


class ListsOut(Schema):
    yes: list[EntryOut]
    maybe: list[EntryOut]
    no: list[EntryOut]


@router.post("/", response=ListsOut, auth=None)
def calculate(request: HttpRequest, payload: FactsIn):
    facts, bad = parse_facts(payload.facts)
    if bad:
        raise Problem(
            "invalid_request",
            errors={
                key: [
                    {
                        "message": (
                            _("Unknown fact.")
                            if reason == "unknown"
                            else _("Not an answer to “%(question)s”.")
                            % {"question": FACTS[key].label}
                        ),
                        "code": reason,
                    }
                ]
                for key, reason in bad.items()
            },
        )
    return evaluate_all(facts).as_json()
