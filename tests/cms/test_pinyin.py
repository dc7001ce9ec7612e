"""Pinyin with phrase readings, for search keys and for slugs."""

from types import SimpleNamespace

import pytest

from cms.core.pinyin import PHRASES, lazy_pinyin
from cms.departments.permissions import unit_slug
from cms.policies.resources import policy_slug
from search.analysis import pinyin_keys

EXPECTED = {
    "长泰": "changtai",
    "长治": "changzhi",
    "朝阳区": "chaoyangqu",
    "朝阳市": "chaoyangshi",
    "朝阳县": "chaoyangxian",
    "单县": "shanxian",
    "涡阳": "guoyang",
    "曾厝垵": "zengcuoan",
    "调休": "tiaoxiu",
    "还款": "huankuan",
    "还本": "huanben",
    "还清": "huanqing",
}


def test_every_phrase_is_listed_with_its_pinyin():
    assert set(EXPECTED) == set(PHRASES)


@pytest.mark.parametrize("phrase,expected", sorted(EXPECTED.items()))
def test_phrases_read_as_phrases(phrase, expected):
    assert "".join(lazy_pinyin(phrase)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("福建省漳州市长泰区", "fujianshengzhangzhoushichangtaiqu"),
        ("调休上班", "tiaoxiushangban"),
        ("提供住房还款证明", "tigongzhufanghuankuanzhengming"),
        # Words the phrases must not disturb.
        ("调研", "diaoyan"),
        ("长期", "changqi"),
        ("朝阳", "zhaoyang"),  # the rising sun, not the district
    ],
)
def test_phrases_are_read_inside_longer_text(text, expected):
    assert "".join(lazy_pinyin(text)) == expected


@pytest.mark.django_db
def test_search_keys_use_the_phrase_readings():
    assert {"changtaiqu", "ctq"} <= set(pinyin_keys("长泰区"))
    assert {"tiaoxiu", "tx"} <= set(pinyin_keys("调休"))
    assert "diaoxiu" not in pinyin_keys("调休")
    assert "huankuan" in pinyin_keys("还款")


def test_slugs_use_the_phrase_readings():
    unit = SimpleNamespace(short_name="长泰区人社局", name="", pk=1)
    assert unit_slug(unit) == "changtaiqurensheju"
    policy = SimpleNamespace(document_number="", title="关于2027年调休安排的通知")
    assert policy_slug(policy) == "guan-yu-2027-nian-tiao-xiu-an-pai-de-tong-zhi"
