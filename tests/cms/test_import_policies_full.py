"""import_policies' optional columns: slug, effective dates, successor, summary,
related guides and the structured body format (cms/policies/body_markup.py)."""

import csv
import datetime

import pytest
from django.utils import translation

from cms.core.blocks import BodyStreamBlock
from cms.policies.body_markup import blocks_to_markup, markup_to_blocks
from cms.policies.models import PolicyPage, PolicyStatus
from tests.cms.import_commands import (  # noqa: F401 (fixture)
    english_messages,
    failing_command,
    run_command,
)
from tests.factories import make_department, make_guide

pytestmark = pytest.mark.django_db

COLUMNS = [
    "title",
    "department",
    "document_number",
    "issued_on",
    "category",
    "body",
    "status",
    "tiers",
    "slug",
    "effective_from",
    "effective_until",
    "superseded_by",
    "summary",
    "guides",
    "body_format",
]
STRUCTURED = """!!! warning 本文件已修订
本文件已由新办法修订。

为规范补贴发放，制定本细则。

## 一、适用范围

- 第一层次人才
- 第二层次人才

### 补贴标准

1. 购房补贴
2. 租房补贴"""


@pytest.fixture
def housing_bureau():
    return make_department(name="泉州市住房和城乡建设局", short_name="住建局")


def row(**overrides) -> dict:
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        title="泉州市高层次人才住房保障实施细则",
        department="泉州市住房和城乡建设局",
        document_number="泉建房〔2025〕18号",
        issued_on="2025-06-20",
        body="第一条 可申请购房补贴。",
    )
    values.update(overrides)
    return values


def write(tmp_path, *rows: dict):
    path = tmp_path / "policies.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path):
    return run_command("import_policies", path)


def failing_import(path) -> str:
    return failing_command("import_policies", path)


def old_and_new(**old_overrides) -> tuple[dict, dict]:
    old = row(
        title="旧细则",
        document_number="泉建房〔2020〕1号",
        status="已废止",
        superseded_by="泉建房〔2025〕18号",
        slug="jiu-xize",
    )
    old.update(old_overrides)
    return old, row(slug="xin-xize")


def test_the_new_columns_fill_the_page(housing_bureau, tmp_path):
    guide = make_guide(parent=housing_bureau.module_page, slug="zhufang-butie")
    other = make_guide(slug="anju-ka")
    run_import(
        write(
            tmp_path,
            row(
                slug="zhufang-baozhang-xize",
                effective_from="2025-07-01",
                effective_until="2027-06-30",
                summary="住房补贴的条件和标准。",
                guides="zhufang-butie; anju-ka",
            ),
        )
    )
    policy = PolicyPage.objects.get()
    assert policy.slug == "zhufang-baozhang-xize"
    assert policy.effective_from == datetime.date(2025, 7, 1)
    assert policy.effective_until == datetime.date(2027, 6, 30)
    assert policy.summary == "住房补贴的条件和标准。"
    assert set(policy.related_guides.all()) == {guide, other}
    published = policy.live_revision.as_object()
    assert set(published.related_guides.all()) == {guide, other}
    assert policy.live and not policy.has_unpublished_changes


def test_a_successor_in_a_later_row_is_found_and_one_revision_is_published(
    housing_bureau, tmp_path
):
    old, new = old_and_new()
    run_import(write(tmp_path, old, new))
    replaced = PolicyPage.objects.get(slug="jiu-xize")
    assert replaced.superseded_by == PolicyPage.objects.get(slug="xin-xize")
    assert replaced.status == PolicyStatus.REPEALED
    assert replaced.live and not replaced.has_unpublished_changes
    assert replaced.revisions.count() == 1
    assert replaced.live_revision.content["superseded_by"] == replaced.superseded_by_id


def test_a_successor_can_be_named_by_slug_and_a_second_run_changes_nothing(
    housing_bureau, tmp_path
):
    old, new = old_and_new(superseded_by="xin-xize")
    path = write(tmp_path, new, old)
    run_import(path)
    output, _ = run_import(path)
    assert "2 unchanged" in output
    replaced = PolicyPage.objects.get(slug="jiu-xize")
    assert replaced.superseded_by.slug == "xin-xize"
    assert replaced.revisions.count() == 1


def test_an_empty_successor_clears_it(housing_bureau, tmp_path):
    old, new = old_and_new()
    run_import(write(tmp_path, old, new))
    run_import(write(tmp_path, {**old, "superseded_by": ""}, new))
    assert PolicyPage.objects.get(slug="jiu-xize").superseded_by is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"superseded_by": "泉建房〔2030〕9号"},
            "Unknown successor “泉建房〔2030〕9号”",
        ),
        ({"status": "", "superseded_by": "xin-xize"}, "A policy in force has no"),
        ({"superseded_by": "jiu-xize"}, "is superseded, directly or further down"),
        ({"effective_from": "2025/7/1"}, "Bad date “2025/7/1”"),
        ({"effective_until": "明年"}, "Bad date “明年”"),
        ({"slug": "Jiu Xize"}, "Bad slug “Jiu Xize”"),
        ({"slug": "xin-xize"}, "already has the slug “xin-xize”"),
        ({"guides": "no-such-guide"}, "Unknown service guide “no-such-guide”"),
        ({"body_format": "html"}, "Unknown body format “html”"),
        (
            {"body_format": "structured", "body": "!!! danger 注意\n文字"},
            "Unknown notice “danger”",
        ),
        (
            {"body_format": "structured", "body": "!!! warning 注意"},
            "has no text on the lines below it",
        ),
        (
            {"body_format": "structured", "body": "## " + "长" * 121},
            "longer than 120 characters",
        ),
    ],
)
def test_bad_values_in_the_new_columns_are_row_errors_and_nothing_is_written(
    housing_bureau, tmp_path, overrides, message
):
    old, new = old_and_new(**overrides)
    report = failing_import(write(tmp_path, new, old))
    assert "Row 3 (旧细则)" in report
    assert message in report
    assert not PolicyPage.objects.exists()


def test_successors_that_supersede_each_other_are_refused(housing_bureau, tmp_path):
    old, new = old_and_new()
    new.update(status="已修订", superseded_by="jiu-xize")
    report = failing_import(write(tmp_path, old, new))
    assert "Row 2 (旧细则)" in report and "Row 3" in report
    assert not PolicyPage.objects.exists()


def test_row_errors_of_the_new_columns_are_translated(housing_bureau, tmp_path):
    old, new = old_and_new(superseded_by="泉建房〔2030〕9号")
    with translation.override("zh-hans"):
        report = failing_import(write(tmp_path, new, old))
    assert "Unknown successor" not in report
    assert "泉建房〔2030〕9号" in report


def test_an_editors_draft_is_still_protected_with_the_new_columns(
    housing_bureau, tmp_path
):
    old, new = old_and_new()
    run_import(write(tmp_path, old, new))
    replaced = PolicyPage.objects.get(slug="jiu-xize")
    replaced.title = "编辑正在修改的标题"
    replaced.save_revision()
    report = failing_import(write(tmp_path, {**old, "summary": "新的摘要"}, new))
    assert "The policy has a draft in the admin" in report
    replaced.refresh_from_db()
    assert replaced.summary == "" and replaced.revisions.count() == 2


def test_a_structured_body_becomes_headings_lists_and_a_notice(
    housing_bureau, tmp_path
):
    run_import(write(tmp_path, row(body=STRUCTURED, body_format="structured")))
    body = [
        (item["type"], item["value"]) for item in PolicyPage.objects.get().body.raw_data
    ]
    assert body == [
        (
            "notice",
            {
                "kind": "warning",
                "title": "本文件已修订",
                "text": "<p>本文件已由新办法修订。</p>",
            },
        ),
        ("paragraph", "<p>为规范补贴发放，制定本细则。</p>"),
        ("heading", {"text": "一、适用范围", "level": "h2"}),
        ("paragraph", "<ul><li>第一层次人才</li><li>第二层次人才</li></ul>"),
        ("heading", {"text": "补贴标准", "level": "h3"}),
        ("paragraph", "<ol><li>购房补贴</li><li>租房补贴</li></ol>"),
    ]


def test_the_same_text_as_plain_paragraphs_keeps_its_markers(housing_bureau, tmp_path):
    run_import(write(tmp_path, row(body="## 不是标题\n\n- 不是列表")))
    body = [item["value"] for item in PolicyPage.objects.get().body.raw_data]
    assert body == ["<p>## 不是标题</p>", "<p>- 不是列表</p>"]


def test_switching_a_body_to_structured_is_a_change(housing_bureau, tmp_path):
    run_import(write(tmp_path, row(body="- 一项\n- 两项")))
    output, _ = run_import(
        write(tmp_path, row(body="- 一项\n- 两项", body_format="structured"))
    )
    assert "1 updated" in output
    assert PolicyPage.objects.get().body.raw_data[0]["value"] == (
        "<ul><li>一项</li><li>两项</li></ul>"
    )


def test_markup_is_escaped_not_rendered():
    blocks = markup_to_blocks("## <b>标题</b>\n\n- <script>x</script>")
    assert blocks[0][1]["text"] == "<b>标题</b>"  # a CharBlock, escaped when shown
    assert blocks[1][1].source == "<ul><li>&lt;script&gt;x&lt;/script&gt;</li></ul>"


def test_the_text_format_round_trips_through_the_blocks():
    block = BodyStreamBlock()
    raw = block.get_prep_value(block.normalize(markup_to_blocks(STRUCTURED)))
    assert blocks_to_markup(raw) == STRUCTURED
    assert blocks_to_markup([{"type": "image", "value": 1}]) is None
