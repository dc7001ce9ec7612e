"""The demo's policies are a file in import_policies' columns, loaded through it."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from cms.core.tabular import read_table
from cms.demo import files
from cms.demo.content import write_policies
from cms.demo.files import DemoDataError
from cms.demo.progress import Progress
from cms.policies.models import PolicyPage
from cms.policies.resources import POLICY_COLUMNS, POLICY_REQUIRED_COLUMNS


def policy_rows() -> list[dict]:
    return json.loads(files.path("policies.json").read_text(encoding="utf-8"))


# A database test: run alone, the module would otherwise reach the shared demo
# before the test database exists.
@pytest.mark.django_db
def test_the_policies_file_has_only_the_importers_columns():
    table = read_table(
        files.path("policies.json"), POLICY_COLUMNS, POLICY_REQUIRED_COLUMNS
    )
    assert len(table.rows) == len(policy_rows()) >= 40
    assert {key for row in policy_rows() for key in row} <= set(POLICY_COLUMNS)


def test_the_file_in_any_row_order_finds_the_demo_policies_unchanged(demo, tmp_path):
    path = tmp_path / "policies.json"
    path.write_text(
        json.dumps(policy_rows()[::-1], ensure_ascii=False), encoding="utf-8"
    )
    stdout = io.StringIO()
    with translation.override("en"):
        call_command("import_policies", str(path), stdout=stdout, stderr=io.StringIO())
    count = len(policy_rows())
    assert f"0 created, 0 updated, {count} unchanged, 0 failed" in stdout.getvalue()


def test_a_policy_row_the_importer_refuses_stops_the_demo(demo, tmp_path, monkeypatch):
    rows = policy_rows()
    replaced = next(row for row in rows if row["superseded_by"])
    replaced["superseded_by"] = "不存在的文号"
    (tmp_path / "policies.json").write_text(
        json.dumps(rows, ensure_ascii=False), encoding="utf-8"
    )
    monkeypatch.setattr(files, "DATA", tmp_path)
    with pytest.raises(DemoDataError, match="不存在的文号"):
        write_policies(Progress())
    page = PolicyPage.objects.get(slug=replaced["slug"])
    assert page.superseded_by.document_number != "不存在的文号"
    assert page.revisions.count() == 1
