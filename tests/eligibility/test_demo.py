"""The demo city's rules: every service item has one, all are valid, and the
demo talents each see a different, explained list."""

from django.contrib.auth import get_user_model

from cms.demo.eligibility import write_eligibility
from cms.demo.progress import Progress
from cms.services.models import ServiceItem
from forms.eligibility.logic import validate
from forms.eligibility.service import evaluate_all, known_facts
from forms.models import EligibilityRule

DEMO_TALENTS = [
    "demo-talent",
    "demo-talent-intl",
    "demo-talent-yang",
    "demo-talent-su",
    "demo-talent-xu",
    "demo-talent-weber",
    "demo-talent-hong",
]


def test_every_demo_service_item_has_a_valid_rule(demo):
    items = ServiceItem.objects.filter(guide__isnull=False)
    assert items.count() == 26
    assert not items.filter(eligibility_rules__isnull=True).exists()
    for rule in EligibilityRule.objects.all():
        validate(rule.logic)
        assert rule.policy_clause.startswith("《")
        assert rule.revisions.count() >= 1


def test_demo_talents_each_see_a_different_explained_list(demo):
    lists = {}
    for username in DEMO_TALENTS:
        user = get_user_model().objects.get(username=username)
        result = evaluate_all(known_facts(user), user=user)
        for entry in result.no + result.maybe:
            assert entry.verdict.clauses, (username, entry.rule.name)
        lists[username] = tuple(sorted(e.rule.name for e in result.yes))
        assert result.yes or result.maybe, username
    assert len(set(lists.values())) == len(DEMO_TALENTS), lists
    # The foreign talent's list holds the foreign items; the mainland one's does not.
    assert "外籍人才居留许可" in lists["demo-talent-weber"]
    assert "外籍人才居留许可" not in lists["demo-talent"]


def test_loading_the_demo_again_changes_no_rule(demo):
    before = list(EligibilityRule.objects.values_list("pk", "logic", "updated_at"))
    write_eligibility(Progress(None))
    assert (
        list(EligibilityRule.objects.values_list("pk", "logic", "updated_at")) == before
    )
