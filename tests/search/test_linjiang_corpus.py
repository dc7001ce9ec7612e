"""The second city's corpus (临江市) loads through the real importers, and its
judged queries name documents that exist.

The corpus is for measuring search on a city the engine was never tuned on: see
tests/search/corpus/linjiang/README.md.
"""

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from cms.departments.models import Department
from cms.policies.models import PolicyPage
from tests.search.relevance import KINDS

CORPUS = Path(__file__).with_name("corpus") / "linjiang"


def load_corpus() -> None:
    """Departments, then policies, exactly as a city onboards them."""
    call_command(
        "import_departments", str(CORPUS / "departments.csv"), stdout=io.StringIO()
    )
    call_command("import_policies", str(CORPUS / "policies.csv"), stdout=io.StringIO())


@pytest.mark.django_db
def test_the_corpus_imports_and_every_judged_title_exists_once():
    load_corpus()
    titles = Counter(PolicyPage.objects.live().values_list("title", flat=True))
    assert sum(titles.values()) >= 150
    queries = json.loads((CORPUS / "queries.json").read_text(encoding="utf-8"))
    judged = {title for item in queries for title in item["relevant"]}
    assert {title: titles[title] for title in judged} == dict.fromkeys(judged, 1)
    issuing = set(PolicyPage.objects.values_list("issuing_department__name", flat=True))
    assert len(issuing) >= 12
    assert issuing == set(Department.objects.values_list("name", flat=True))


def test_the_queries_cover_every_kind_in_both_halves():
    queries = json.loads((CORPUS / "queries.json").read_text(encoding="utf-8"))
    assert len(queries) >= 200
    assert len({item["query"] for item in queries}) == len(queries)
    halves = Counter((item["kind"], item["part"]) for item in queries)
    for kind in KINDS:
        dev, test = halves[(kind, "dev")], halves[(kind, "test")]
        assert dev and test and abs(dev - test) <= 1, kind
    for item in queries:
        assert (item["kind"] == "none") == (not item["relevant"]), item["query"]
        assert set(item["relevant"].values()) <= {1, 2, 3}, item["query"]
