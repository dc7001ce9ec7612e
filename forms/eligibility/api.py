"""The calculator in the headless API: one POST with facts, the three lists
back. The integrator mounts ``router`` (``api.add_router("/calculator", router)``);
nothing is stored and no sign-in is needed."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

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


class ErrorsOut(Schema):
    errors: dict[str, str]


@router.post("/", response={200: ListsOut, 400: ErrorsOut}, auth=None)
def calculate(request: HttpRequest, payload: FactsIn):
    facts, bad = parse_facts(payload.facts)
    if bad:
        return Status(
            400,
            {
                "errors": {
                    key: (
                        _("Unknown fact.")
                        if reason == "unknown"
                        else _("Not an answer to “%(question)s”.")
                        % {"question": FACTS[key].label}
                    )
                    for key, reason in bad.items()
                }
            },
        )
    return Status(200, evaluate_all(facts).as_json())
