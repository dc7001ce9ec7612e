"""English queries: the English-Chinese term map read at query time, so that
English queries find the Chinese pages too; the API names each hit's language."""

import pytest
from wagtail.models import Locale, Page

from search.analysis import plan_query
from search.engines import get_engine
from search.english import english_map, translate
from search.query import Hit, mark_languages
from tests.search.test_embedded_engine import doc, titles

pytestmark = pytest.mark.django_db


# --- the map -------------------------------------------------------------------


def test_the_map_has_eighty_entries_for_talent_services():
    mapping = english_map()
    assert len(mapping) >= 80
    for english, chinese in (
        ("visa", "签证"),
        ("work permit", "工作许可"),
        ("residence permit", "居留许可"),
        ("housing subsidy", "住房补贴"),
        ("talent recognition", "人才认定"),
        ("permanent residence", "永久居留"),
        ("spouse employment", "配偶就业"),
        ("international school", "国际学校"),
        ("medical green channel", "绿色通道"),
    ):
        assert chinese in "".join(mapping[tuple(english.split())]), english


def test_the_longest_phrase_wins_and_is_taken_out_of_the_text():
    found, rest = translate("residence permit and work permit")
    assert [typed for typed, _chinese in found] == ["residence permit", "work permit"]
    assert rest.split() == ["and"]
    # Words apart (a comma between) are not one phrase.
    assert translate("residence, permit")[0] == []


def test_hyphens_join_words_as_spaces_do():
    assert translate("high-level talent")[0] == translate("high level talent")[0]
    assert translate("high-level talent")[0][0][1] == ["高层次人才"]


# --- the query plan ---------------------------------------------------------------


def test_an_english_phrase_is_one_term_with_its_chinese_alternatives():
    plan = plan_query("Work Permit")
    assert len(plan.terms) == 1
    term = plan.terms[0]
    assert term[0] == "work permit"
    assert {"工作许可", "外国人工作许可"} <= set(term)
    assert plan.translations == {"work permit": ["工作许可", "外国人工作许可"]}
    # Not read as pinyin.
    assert plan.pinyin == []


def test_english_question_words_are_dropped_and_kind_words_optional():
    plan = plan_query("How can I apply for a residence permit?")
    typed = [term[0] for term in plan.terms]
    assert typed == ["apply", "residence permit"]
    # "apply" (申请) says what kind of answer is wanted: it never narrows.
    assert plan.optional == [0]


def test_chinese_queries_are_read_as_before():
    assert [t[0] for t in plan_query("住房补贴").terms] == ["住房补贴"]
    assert plan_query("住房补贴").translations == {}


# --- the engine ---------------------------------------------------------------------


@pytest.fixture
def indexed():
    get_engine().index(
        [
            doc(1, "外国人工作许可办理指南", "外籍人才申请工作许可。"),
            doc(2, "外国人居留许可申请指南", "居留许可的延期和换发。"),
            doc(3, "Work permit guide for foreign talent", "How to apply."),
            doc(4, "人才公寓管理办法", "人才公寓租金。"),
            doc(5, "高层次人才住房补贴实施细则", "住房补贴按月发放。"),
        ]
    )


def test_english_queries_find_the_chinese_pages_and_the_english_ones(indexed):
    found = titles("work permit")
    assert set(found) == {
        "外国人工作许可办理指南",
        "Work permit guide for foreign talent",
    }
    assert titles("How do I get a residence permit?") == ["外国人居留许可申请指南"]
    assert titles("housing subsidy") == ["高层次人才住房补贴实施细则"]
    assert titles("talent apartment") == ["人才公寓管理办法"]


def test_english_nonsense_still_finds_nothing(indexed):
    assert titles("pet vaccination") == []
    assert titles("work permit xylophone") == []


# --- the language of each hit ---------------------------------------------------------


def _hit(key, type_="policy"):
    return Hit(
        key=key,
        type=type_,
        title="",
        url="",
        department="",
        category="",
        status="",
        issued_on=None,
        highlight="",
        score=0.0,
    )


def test_each_hit_carries_its_pages_locale():
    english = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Visa guide", slug="visa-guide"))
    page.locale = english
    page.save()
    chinese = root.add_child(instance=Page(title="签证指南", slug="qianzheng"))
    hits = [
        _hit(f"guide:{page.pk}", "guide"),
        _hit(f"policy:{chinese.pk}"),
        _hit("service:1", "service"),
    ]
    mark_languages(hits)
    assert [hit.language for hit in hits] == ["en", "zh-hans", "zh-hans"]
    assert hits[0].as_json()["language"] == "en"
