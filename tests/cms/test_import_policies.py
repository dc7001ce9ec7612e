"""Loading policy documents from files as published pages (import_policies)."""

import csv
import datetime
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.core import tabular
from cms.departments import importing
from cms.departments.models import Department
from cms.policies import resources
from cms.policies.models import PolicyPage, PolicyStatus
from tests.cms.import_commands import (  # noqa: F401 (fixture)
    english_messages,
    failing_command,
    run_command,
)
from tests.factories import make_department, make_district, make_editor, tier

pytestmark = pytest.mark.django_db

DEPARTMENTS_EXAMPLE = Path(importing.__file__).parent / "examples" / "quanzhou.csv"
POLICIES_EXAMPLE = Path(resources.__file__).parent / "examples" / "policies.csv"
COLUMNS = [
    "title",
    "department",
    "document_number",
    "issued_on",
    "category",
    "body",
    "status",
    "tiers",
]


@pytest.fixture
def housing_bureau() -> Department:
    return make_department(name="泉州市住房和城乡建设局", short_name="住建局")


def policy_row(**overrides) -> dict:
    row = {
        "title": "泉州市高层次人才住房保障实施细则",
        "department": "泉州市住房和城乡建设局",
        "document_number": "泉建房〔2025〕18号",
        "issued_on": "2025-06-20",
        "category": "住房安居",
        "body": "第一条 可申请购房补贴。\n\n第二条 补贴分档发放。",
        "status": "",
        "tiers": "",
    }
    row.update(overrides)
    return row


def write_policies(tmp_path, *rows: dict, name: str = "policies.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path, *extra) -> tuple[str, str]:
    return run_command("import_policies", path, *extra)


def failing_import(path, *extra) -> str:
    return failing_command("import_policies", path, *extra)


def test_the_example_files_import_cleanly_one_after_the_other():
    call_command("import_departments", str(DEPARTMENTS_EXAMPLE), stdout=io.StringIO())
    output, errors = run_import(POLICIES_EXAMPLE)
    assert errors == ""
    with POLICIES_EXAMPLE.open(encoding="utf-8") as handle:
        expected = len(list(csv.DictReader(handle)))
    assert 5 <= expected <= 10
    assert f"{expected} created, 0 updated, 0 unchanged, 0 failed" in output
    assert PolicyPage.objects.live().count() == expected
    jinjiang = PolicyPage.objects.get(document_number="晋人社〔2025〕12号")
    assert (
        jinjiang.get_parent().specific
        == Department.objects.get(short_name="晋江人社局").module_page
    )
    repealed = PolicyPage.objects.get(document_number="泉委人才〔2021〕6号")
    assert repealed.status == PolicyStatus.REPEALED


def test_an_imported_policy_is_a_published_page_under_its_department_module(
    housing_bureau, tmp_path
):
    run_import(write_policies(tmp_path, policy_row(tiers="第一层次人才;tier-2")))
    policy = PolicyPage.objects.get()
    assert policy.get_parent().pk == housing_bureau.module_page.pk
    assert policy.live and not policy.has_unpublished_changes
    assert policy.first_published_at is not None
    assert policy.live_revision == policy.latest_revision
    assert policy.issued_on == datetime.date(2025, 6, 20)
    assert policy.category.slug == "housing"
    assert policy.status == PolicyStatus.IN_FORCE
    assert sorted(policy.tier_names) == ["第一层次人才", "第二层次人才"]
    assert policy.slug == "quan-jian-fang-2025-18-hao"


def test_the_body_becomes_paragraphs_and_markup_stays_text(housing_bureau, tmp_path):
    body = "第一段第一行\n第一段第二行\n\n  \n<script>alert(1)</script>"
    run_import(write_policies(tmp_path, policy_row(body=body)))
    paragraphs = [block.value.source for block in PolicyPage.objects.get().body]
    assert paragraphs == [
        "<p>第一段第一行<br/>第一段第二行</p>",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    ]


def test_importing_the_same_file_again_changes_nothing(housing_bureau, tmp_path):
    path = write_policies(tmp_path, policy_row(tiers="第一层次人才"))
    run_import(path)
    revisions = PolicyPage.objects.get().revisions.count()
    output, _ = run_import(path)
    assert "0 created, 0 updated, 1 unchanged" in output
    policy = PolicyPage.objects.get()
    assert policy.revisions.count() == revisions


def test_a_changed_row_updates_the_policy_with_the_same_document_number(
    housing_bureau, tmp_path
):
    run_import(write_policies(tmp_path, policy_row()))
    page_id = PolicyPage.objects.get().pk
    changed = policy_row(
        title="泉州市高层次人才住房保障实施细则（修订）",
        status="已修订",
        body="新的正文。",
    )
    output, _ = run_import(write_policies(tmp_path, changed))
    assert "0 created, 1 updated" in output
    policy = PolicyPage.objects.get()
    assert policy.pk == page_id
    assert policy.title == "泉州市高层次人才住房保障实施细则（修订）"
    assert policy.status == PolicyStatus.AMENDED
    assert [block.value.source for block in policy.body] == ["<p>新的正文。</p>"]
    assert policy.live and not policy.has_unpublished_changes
    assert policy.live_revision.content["title"] == policy.title


def imported_then_refused(tmp_path, change) -> tuple[PolicyPage, str]:
    """Import a policy, let `change` act on it in the admin's place, then import
    a changed row for it: the report of the refused run."""
    run_import(write_policies(tmp_path, policy_row()))
    change(PolicyPage.objects.get())
    report = failing_import(write_policies(tmp_path, policy_row(body="导入的新正文。")))
    return PolicyPage.objects.get(), report


def imported_body(policy: PolicyPage) -> list[str]:
    return [block.value.source for block in policy.body]


def test_an_update_leaves_an_editors_unpublished_draft_alone(housing_bureau, tmp_path):
    def draft(policy):
        policy.title = "编辑正在修改的标题"
        policy.save_revision()

    policy, report = imported_then_refused(tmp_path, draft)
    assert (
        "Row 2 (泉州市高层次人才住房保障实施细则): The policy has a draft in the admin"
        in report
    )
    assert "1 failed" in report
    assert policy.has_unpublished_changes
    assert policy.get_latest_revision_as_object().title == "编辑正在修改的标题"
    assert "<p>导入的新正文。</p>" not in imported_body(policy)


def test_an_update_waits_for_moderation_to_finish(housing_bureau, tmp_path):
    editor = make_editor(housing_bureau)

    def submit(policy):
        policy.title = "提交审核的标题"
        revision = policy.save_revision(user=editor)
        policy.get_workflow().start(policy, editor)
        assert policy.latest_revision == revision

    policy, report = imported_then_refused(tmp_path, submit)
    assert "The policy is in moderation in the admin" in report
    assert policy.workflow_in_progress
    assert "<p>导入的新正文。</p>" not in imported_body(policy)


def test_an_update_does_not_republish_a_policy_editors_unpublished(
    housing_bureau, tmp_path
):
    policy, report = imported_then_refused(tmp_path, lambda policy: policy.unpublish())
    assert "The policy was unpublished in the admin" in report
    assert not policy.live
    assert "<p>导入的新正文。</p>" not in imported_body(policy)


def test_an_unchanged_row_for_a_policy_with_a_draft_is_simply_unchanged(
    housing_bureau, tmp_path
):
    path = write_policies(tmp_path, policy_row())
    run_import(path)
    policy = PolicyPage.objects.get()
    policy.title = "编辑正在修改的标题"
    policy.save_revision()
    output, _ = run_import(path)
    assert "0 created, 0 updated, 1 unchanged, 0 failed" in output


def test_without_a_document_number_the_title_identifies_the_policy(
    housing_bureau, tmp_path
):
    run_import(
        write_policies(tmp_path, policy_row(document_number="", status="现行有效"))
    )
    run_import(
        write_policies(tmp_path, policy_row(document_number="", status="repealed"))
    )
    policy = PolicyPage.objects.get()
    assert policy.status == PolicyStatus.REPEALED


def test_the_same_document_number_in_two_departments_is_two_policies(
    housing_bureau, tmp_path
):
    make_department(name="泉州市教育局", short_name="教育局")
    run_import(
        write_policies(
            tmp_path,
            policy_row(),
            policy_row(department="教育局", title="泉州市高层次人才子女入学照顾办法"),
        )
    )
    assert PolicyPage.objects.filter(document_number="泉建房〔2025〕18号").count() == 2


def test_a_department_may_be_named_by_its_short_name(housing_bureau, tmp_path):
    run_import(write_policies(tmp_path, policy_row(department="住建局")))
    assert PolicyPage.objects.get().issuing_department == housing_bureau


def test_an_ambiguous_short_name_is_an_error(housing_bureau, tmp_path):
    make_department(
        name="晋江市住房和城乡建设局", short_name="住建局", district=make_district()
    )
    report = failing_import(write_policies(tmp_path, policy_row(department="住建局")))
    assert "fits several departments" in report


def test_each_bad_row_is_reported_with_its_number_and_reason_and_nothing_is_written(
    housing_bureau, tmp_path
):
    path = write_policies(
        tmp_path,
        policy_row(),
        policy_row(department="泉州市不存在局", document_number="A1"),
        policy_row(title="", document_number="A2"),
        policy_row(issued_on="2025年6月20日", document_number="A3"),
        policy_row(issued_on="2025-02-30", document_number="A4"),
        policy_row(category="不存在的类别", document_number="A5"),
        policy_row(tiers="第八层次人才", document_number="A6"),
        policy_row(status="作废", document_number="A7"),
    )
    departments, pages = Department.objects.count(), Page.objects.count()
    report = failing_import(path)
    assert (
        "Row 3 (泉州市高层次人才住房保障实施细则): department: Unknown department “泉州市不存在局”"
        in report
    )
    assert "Row 4 (-): title: The title is missing." in report
    assert (
        "Row 5 (泉州市高层次人才住房保障实施细则): issued_on: Bad date “2025年6月20日”"
        in report
    )
    assert (
        "Row 6 (泉州市高层次人才住房保障实施细则): issued_on: Bad date “2025-02-30”"
        in report
    )
    assert (
        "Row 7 (泉州市高层次人才住房保障实施细则): category: Unknown category “不存在的类别”"
        in report
    )
    assert (
        "Row 8 (泉州市高层次人才住房保障实施细则): tiers: Unknown talent tier “第八层次人才”"
        in report
    )
    assert (
        "Row 9 (泉州市高层次人才住房保障实施细则): status: Unknown status “作废”"
        in report
    )
    assert "Row 2 " not in report
    assert "7 failed" in report and "Nothing was written" in report
    # No department was created for the unknown name, and the good row 2 was
    # rolled back with the rest.
    assert (Department.objects.count(), Page.objects.count()) == (departments, pages)


def test_a_dry_run_writes_nothing(housing_bureau, tmp_path):
    pages = Page.objects.count()
    output, _ = run_import(write_policies(tmp_path, policy_row()), "--dry-run")
    assert "Dry run: 1 created" in output
    assert Page.objects.count() == pages


def test_english_status_values_and_tier_codes_are_accepted(housing_bureau, tmp_path):
    run_import(
        write_policies(
            tmp_path, policy_row(status="amended", tiers="tier-3, tier-4；第五层次人才")
        )
    )
    policy = PolicyPage.objects.get()
    assert policy.status == PolicyStatus.AMENDED
    assert set(policy.tiers.all()) == {tier("tier-3"), tier("tier-4"), tier("tier-5")}


def test_text_that_looks_like_a_formula_is_kept_as_written(housing_bureau, tmp_path):
    run_import(
        write_policies(
            tmp_path,
            policy_row(title='=HYPERLINK("http://example.com")', body="+1 -1 @x"),
        )
    )
    policy = PolicyPage.objects.get()
    assert policy.title == '=HYPERLINK("http://example.com")'
    assert policy.body[0].value.source == "<p>+1 -1 @x</p>"


def test_an_xlsx_file_imports_with_date_cells_and_formulas_never_evaluated(
    housing_bureau, tmp_path
):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["标题", "发文部门", "文号", "发文日期", "类别", "正文"])
    sheet.append(
        [
            "住房保障细则",
            "住建局",
            "泉建房〔2025〕18号",
            datetime.datetime(2025, 6, 20),
            "housing",
            "正文",
        ]
    )
    # A formula openpyxl wrote has no cached value: nothing computes it, so the
    # cell reads as empty.
    sheet.append(
        [
            "=1+1",
            "住建局",
            "泉建房〔2025〕19号",
            datetime.date(2025, 6, 21),
            "住房安居",
            "正文",
        ]
    )
    path = tmp_path / "policies.xlsx"
    workbook.save(path)
    report = failing_import(path)
    assert "Row 3 (-): title: The title is missing." in report
    sheet.delete_rows(3)
    workbook.save(path)
    run_import(path)
    policy = PolicyPage.objects.get()
    assert policy.title == "住房保障细则" and policy.issued_on == datetime.date(
        2025, 6, 20
    )


def test_a_json_file_imports(housing_bureau, tmp_path):
    path = tmp_path / "policies.json"
    path.write_text(
        json.dumps([policy_row(tiers="tier-1")], ensure_ascii=False), encoding="utf-8"
    )
    run_import(path)
    assert PolicyPage.objects.get().tier_names == ["第一层次人才"]


def test_a_file_without_a_required_column_is_refused(housing_bureau, tmp_path):
    path = tmp_path / "policies.csv"
    path.write_text("title,department\n某政策,住建局\n", encoding="utf-8")
    assert "Missing column(s): issued_on" in failing_import(path)


def test_long_files_show_a_progress_bar(housing_bureau, tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "PROGRESS_MIN_ROWS", 2)
    path = write_policies(
        tmp_path, policy_row(), policy_row(document_number="泉建房〔2025〕19号")
    )
    _, progress = run_import(path)
    assert "100%" in progress and "2/2" in progress


def test_verbose_output_lists_every_row(housing_bureau, tmp_path):
    path = write_policies(tmp_path, policy_row())
    output, _ = run_import(path, "--verbosity", "2")
    assert "Row 2 (泉州市高层次人才住房保障实施细则): created" in output
    output, _ = run_import(path, "--verbosity", "2")
    assert "Row 2 (泉州市高层次人才住房保障实施细则): unchanged" in output
