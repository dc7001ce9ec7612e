"""The registry of profile facts that eligibility rules may test.

One place names every fact: its key (the JSON Logic ``var``), its label, its
kind and, where it has one, its list of values. The rule validator, the rule
editor, the calculator's questions and the explanations all read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.core.models import TalentTier
from cms.departments.models import District

CHOICE = "choice"
NUMBER = "number"
BOOLEAN = "boolean"

Values = list[tuple[str, str]]


def _tiers() -> Values:
    return [(tier.code, tier.name) for tier in TalentTier.objects.all()] + [
        ("none", str(_("Not recognised")))
    ]


def _districts() -> Values:
    return [
        (district.code or district.name, district.name)
        for district in District.objects.all()
    ] + [("elsewhere", str(_("Outside the city")))]


def _static(*pairs: tuple[str, Promise]) -> Callable[[], Values]:
    return lambda: [(value, str(label)) for value, label in pairs]


@dataclass(frozen=True)
class Fact:
    key: str
    label: Promise
    kind: str
    step: str
    values: Callable[[], Values] | None = None
    # A fact the talent can still change (a later year, a new contract): a rule
    # that fails on it alone answers "you may, if ..." rather than "no".
    attainable: bool = False
    help_text: Promise | str = ""
    minimum: int = 0
    maximum: int = 120
    extra: dict = field(default_factory=dict)

    def choices(self) -> Values:
        if self.kind == BOOLEAN:
            return [("true", str(_("Yes"))), ("false", str(_("No")))]
        return self.values() if self.values else []

    def value_label(self, value) -> str:
        if value is None:
            return str(_("not answered"))
        if self.kind == BOOLEAN:
            return str(_("Yes")) if value else str(_("No"))
        if self.kind == CHOICE:
            return dict(self.choices()).get(str(value), str(value))
        return str(value)

    def parse(self, raw):
        """The answer as a rule sees it, or None when not answered; ValueError
        when it is not one the fact accepts."""
        if raw is None or raw == "":
            return None
        if self.kind == BOOLEAN:
            if isinstance(raw, bool):
                return raw
            if str(raw).lower() in ("true", "1", "yes"):
                return True
            if str(raw).lower() in ("false", "0", "no"):
                return False
            raise ValueError(raw)
        if self.kind == NUMBER:
            if isinstance(raw, bool):
                raise ValueError(raw)
            number = int(str(raw).strip())
            if not self.minimum <= number <= self.maximum:
                raise ValueError(raw)
            return number
        if str(raw) not in dict(self.choices()):
            raise ValueError(raw)
        return str(raw)


# The steps of the calculator's questionnaire, in order.
STEPS = [
    ("talent", pgettext_lazy("calculator step", "Recognition")),
    ("person", pgettext_lazy("calculator step", "About you")),
    ("work", pgettext_lazy("calculator step", "Work")),
    ("family", pgettext_lazy("calculator step", "Family and home")),
]

FACTS: dict[str, Fact] = {
    fact.key: fact
    for fact in [
        Fact("tier", _("talent tier"), CHOICE, "talent", _tiers),
        Fact(
            "tier_valid",
            _("recognition still valid"),
            BOOLEAN,
            "talent",
            attainable=True,
            help_text=_("Your talent certificate has not expired."),
        ),
        Fact(
            "degree",
            _("highest degree"),
            CHOICE,
            "person",
            _static(
                ("none", _("Below bachelor")),
                ("bachelor", _("Bachelor")),
                ("master", _("Master")),
                ("doctor", _("Doctorate")),
            ),
        ),
        Fact(
            "title",
            _("professional title"),
            CHOICE,
            "person",
            _static(
                ("none", _("None")),
                ("junior", pgettext_lazy("professional title", "Junior")),
                ("intermediate", pgettext_lazy("professional title", "Intermediate")),
                ("associate", pgettext_lazy("professional title", "Associate senior")),
                ("senior", pgettext_lazy("professional title", "Senior")),
            ),
            attainable=True,
        ),
        Fact("age", _("age"), NUMBER, "person", minimum=16, maximum=100),
        Fact(
            "nationality",
            _("nationality or region"),
            CHOICE,
            "person",
            _static(
                ("mainland", _("Chinese mainland")),
                ("hmt", _("Hong Kong, Macao or Taiwan")),
                ("foreign", _("Foreign national")),
            ),
        ),
        Fact("employer_district", _("employer's district"), CHOICE, "work", _districts),
        Fact(
            "industry",
            _("employer's industry"),
            CHOICE,
            "work",
            _static(
                ("manufacturing", _("Manufacturing")),
                ("technology", _("Information technology")),
                ("research", _("Research and education")),
                ("health", _("Health care")),
                ("services", _("Services")),
                ("other", pgettext_lazy("industry", "Other")),
            ),
        ),
        Fact(
            "years_in_city",
            _("years working in the city"),
            NUMBER,
            "work",
            attainable=True,
            minimum=0,
            maximum=60,
        ),
        Fact(
            "first_home",
            _("buying a first home in the city"),
            BOOLEAN,
            "family",
            help_text=_("Neither you nor your spouse owns a home in the city."),
        ),
        Fact(
            "spouse",
            _("spouse"),
            CHOICE,
            "family",
            _static(
                ("none", _("No spouse")),
                ("employed", _("Employed in the city")),
                ("seeking", _("Moved here and looking for work")),
                ("other", _("Works elsewhere or does not seek work")),
            ),
        ),
        Fact(
            "child_age",
            _("age of the youngest child"),
            NUMBER,
            "family",
            minimum=0,
            maximum=30,
            help_text=_("Leave empty if you have no children."),
        ),
        Fact(
            "child_school",
            _("schooling of the youngest child"),
            CHOICE,
            "family",
            _static(
                ("none", _("No child at school age")),
                ("kindergarten", _("Kindergarten")),
                ("primary", _("Primary school")),
                ("junior", _("Junior secondary school")),
                ("senior", _("Senior secondary school or above")),
            ),
        ),
        Fact(
            "received",
            _("already received this benefit"),
            BOOLEAN,
            "talent",
            help_text=_("Asked for each benefit; the hall fills it in when it knows."),
        ),
    ]
}

# ``received`` is answered per benefit, never in the questionnaire.
PER_ITEM_FACTS = {"received"}


def fact_catalogue() -> list[dict]:
    """The facts as the rule editor reads them (labels in the current language)."""
    return [
        {
            "key": fact.key,
            "label": str(fact.label),
            "kind": fact.kind,
            "values": [{"value": v, "label": label} for v, label in fact.choices()],
        }
        for fact in FACTS.values()
    ]
