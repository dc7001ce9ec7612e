"""The public policy calculator (/calculator/) and 我的待遇 for signed-in talents.

The calculator keeps nothing: each step carries the answers so far in its
query string and the last one shows the lists. 我的待遇 starts from what the
hall knows (service.known_facts) and asks only the facts still missing; what a
talent answers there is kept for them alone.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from forms.eligibility.facts import FACTS
from forms.eligibility.service import (
    evaluate_all,
    known_facts,
    parse_facts,
    questions,
    rules_in_force,
    save_answers,
)


def _answers_from(data, keys) -> tuple[dict, list[str]]:
    raw = {key: data.get(key, "") for key in keys if key in data}
    facts, bad = parse_facts(raw)
    errors = [
        _("“%(value)s” is not an answer to “%(question)s”.")
        % {"value": raw[key], "question": FACTS[key].label}
        for key in bad
        if key in FACTS
    ]
    return facts, errors


@never_cache
def calculator(request: HttpRequest) -> HttpResponse:
    rules = list(rules_in_force())
    steps = questions(rules)
    all_keys = [fact.key for _key, _label, facts in steps for fact in facts]
    try:
        number = int(request.GET.get("step", "1"))
    except ValueError:
        number = 1
    number = max(1, min(number, len(steps) + 1))
    answers, errors = _answers_from(request.GET, all_keys)
    if errors:
        # Back to the step of the first bad answer, with the reason.
        number = 1
    raw = {key: request.GET.get(key, "") for key in all_keys}
    context = {
        "steps": steps,
        "number": number,
        "total": len(steps),
        "answers": answers,
        "raw": raw,
        "errors": errors,
        "page_title": _("Policy calculator"),
    }
    if number > len(steps) and not errors:
        context["lists"] = evaluate_all(answers, rules=rules)
        return render(request, "eligibility/calculator_results.html", context)
    key, label, facts = steps[number - 1] if steps else ("", "", [])
    context.update(
        {
            "step_label": label,
            "step_facts": facts,
            "carried": [
                (k, raw[k])
                for k in all_keys
                if k not in {f.key for f in facts} and raw[k] != ""
            ],
        }
    )
    return render(request, "eligibility/calculator.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_benefits(request: HttpRequest) -> HttpResponse:
    user = request.user
    rules = list(rules_in_force())
    known = known_facts(user)
    errors: list[str] = []
    if request.method == "POST":
        needed = [f.key for _k, _l, facts in questions(rules) for f in facts]
        # Only facts the hall does not already know may be answered here.
        answers, errors = _answers_from(
            request.POST, [key for key in needed if key not in known]
        )
        if not errors:
            # Saving the answers looks for new benefits (offers.py).
            save_answers(user, answers)
            return redirect("eligibility:mine")
    missing = [
        (label, [fact for fact in facts if fact.key not in known])
        for _key, label, facts in questions(rules)
    ]
    missing = [(label, facts) for label, facts in missing if facts]
    lists = evaluate_all(known, user=user, rules=rules)
    return render(
        request,
        "eligibility/my_benefits.html",
        {
            "lists": lists,
            "known": [
                (FACTS[k].label, FACTS[k].value_label(v)) for k, v in known.items()
            ],
            "missing": missing,
            "errors": errors,
            "raw": request.POST if request.method == "POST" else {},
            "page_title": _("My benefits"),
        },
    )
