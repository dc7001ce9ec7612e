"""The demo city's eligibility rules (one or more per service item, from the
demo policies) and what its demo talents answered in 我的待遇, from
data/eligibility.json through the product's importer."""

import json
from pathlib import Path

from forms.eligibility.importer import import_answers, import_rules

from .progress import Progress

DATA = Path(__file__).parent / "data" / "eligibility.json"


def write_eligibility(progress: Progress) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    created, kept = import_rules(data["rules"])
    for _ in range(created):
        progress.record("eligibility rules", True)
    for _ in range(kept):
        progress.record("eligibility rules", False)
    import_answers(data["talents"])
