"""Query understanding: question words dropped, lone characters optional, the
everyday-to-official lexicon applied, and nonsense still finding nothing."""

import pytest
from django.db import connection

from search.analysis import (
    LEXICON_NOTE,
    STOPWORDS,
    lexicon_groups,
    plan_query,
    synonyms_of,
)
from search.engines import get_engine
from search.query import SearchRequest, search
from tests.search.test_embedded_engine import doc, titles

pytestmark = pytest.mark.django_db


def typed(query):
    return [term[0] for term in plan_query(query).terms]


def required(query):
    plan = plan_query(query)
    return [t[0] for i, t in enumerate(plan.terms) if i not in plan.optional]


# --- question and function words ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("刚毕业的硕士可以申请人才认定吗", ["刚毕业", "硕士", "人才认定"]),
        ("为什么人才公寓要排队", ["人才公寓", "排队"]),
        ("留学生回国有什么政策", ["留学生", "回国"]),
        ("配偶没有工作还能领补贴吗", ["配偶", "工作", "补贴"]),
    ],
)
def test_question_and_function_words_are_dropped(query, expected):
    assert required(query) == expected


def test_the_maintained_list_joins_the_halls_own_words():
    # 为什么 and 因此 come from stopwords-iso, 怎么办 from the hall's list.
    assert {"为什么", "因此", "怎么办"} <= STOPWORDS
    # Words the hall needs are never stop words, whatever the list says.
    assert not {"区", "年", "本地", "补贴", "人才"} & STOPWORDS


def test_a_lone_character_beside_content_words_is_optional():
    plan = plan_query("疗养可以带家属吗")
    assert [term[0] for term in plan.terms] == ["疗养", "带", "家属"]
    assert plan.optional == [1]
    # Alone, a character is what the talent asks for.
    assert plan_query("房").optional == []
    assert plan_query("税").terms == [["税"]]


# --- the lexicon ---------------------------------------------------------------


def test_the_lexicon_has_300_pairs_over_every_theme():
    groups = lexicon_groups()
    pairs = sum(len(words) + len(narrower) - 1 for words, narrower in groups)
    assert pairs >= 300
    heads = {words[0] for words, _narrower in groups}
    for official in (
        "人才认定",
        "补贴标准",
        "购房",
        "租房",
        "子女",
        "入学",
        "培训",
        "就医",
        "疗养休假",
        "配偶",
        "落户",
        "永久居留",
        "签证",
        "留学回国",
        "创业",
    ):
        assert official in heads, official


@pytest.mark.parametrize(
    ("query", "official"),
    [
        ("老婆工作", [{"配偶"}, {"就业"}]),
        ("娃上学", [{"子女"}, {"入学"}]),
        ("海归买房", [{"留学回国"}, {"购房"}]),
        ("绿卡过期", [{"永久居留"}, {"有效期"}]),
        ("老外看病", [{"外籍", "外国人"}, {"就医"}]),
        ("户口", [{"户籍"}]),
    ],
)
def test_everyday_words_are_read_as_the_official_ones(query, official):
    terms = plan_query(query).terms
    assert len(terms) == len(official)
    for alternatives, words in zip(terms, official, strict=True):
        assert words <= set(alternatives), (query, alternatives)


def test_lexicon_groups_are_admin_rows_that_can_be_switched_off():
    from search.models import SynonymGroup

    group = SynonymGroup.objects.get(note=LEXICON_NOTE, terms__startswith="永久居留,")
    assert "绿卡" in synonyms_of("永久居留")
    group.is_active = False
    group.save()
    assert "永久居留" not in synonyms_of("绿卡")
    assert SynonymGroup.objects.filter(note=LEXICON_NOTE).count() == len(
        lexicon_groups()
    )


# --- the engine ------------------------------------------------------------------


@pytest.fixture
def engine():
    return get_engine()


def test_everyday_words_find_the_official_document(engine):
    engine.index(
        [
            doc(1, "高层次人才配偶就业安置办法", "为配偶就业提供岗位。"),
            doc(2, "外籍人才永久居留推荐办法", "推荐申请永久居留。"),
            doc(3, "留学回国人员购房补贴", "留学回国人员首次购房。"),
        ]
    )
    assert titles("老婆工作") == ["高层次人才配偶就业安置办法"]
    assert titles("老外绿卡") == ["外籍人才永久居留推荐办法"]
    assert titles("海归买房") == ["留学回国人员购房补贴"]


def test_a_question_with_a_lone_character_finds_its_content_words(engine):
    engine.index([doc(1, "生活补贴申领指南", "按季度核拨生活补贴。")])
    assert titles("生活补贴什么时候发") == ["生活补贴申领指南"]


@pytest.mark.parametrize(
    "query", ["宠物医院", "量子计算机", "演唱会门票", "火星补贴", "宠物医院在哪"]
)
def test_nonsense_still_finds_nothing(engine, query):
    engine.index(
        [
            doc(1, "高层次人才医疗保健服务办法", "指定医院开设绿色通道。"),
            doc(2, "人才购房补贴办法", "补贴标准按层次确定。"),
        ]
    )
    assert titles(query) == []


def test_a_broader_word_finds_the_narrower_ones_not_the_other_way_round():
    assert {"购房补贴", "租房补贴"} <= set(plan_query("住房补贴").terms[0])
    assert "租房补贴" not in plan_query("购房补贴").terms[0]


def test_a_narrower_group_is_kept_as_written_by_the_admin():
    from search.models import SynonymGroup

    group = SynonymGroup(terms="人才驿站，人才之家 > 青年驿站")
    group.clean()
    assert group.terms == "人才驿站, 人才之家 > 青年驿站"
    group.save()
    assert plan_query("人才之家").terms[0][:3] == ["人才之家", "人才驿站", "青年驿站"]
    assert "人才驿站" not in plan_query("青年驿站").terms[0]


def test_optional_terms_score_but_never_narrow(engine):
    engine.index(
        [
            # The same length, so that only 政策 tells them apart.
            doc(1, "留学回国人员创业政策", "留学回国人员创业。"),
            doc(2, "留学回国人员创业办法", "留学回国人员创业。"),
            # Documents without 政策, so that the word weighs something.
            *(doc(n, f"人才公寓管理办法{n}", "人才公寓。") for n in range(3, 8)),
        ]
    )
    found = titles("留学回国有什么政策")
    assert sorted(found) == ["留学回国人员创业办法", "留学回国人员创业政策"]
    if connection.vendor == "sqlite":
        # bm25 scores every phrase of the expression: 政策 lifts its title.
        # PostgreSQL's ts_rank_cd scores the shortest cover of the query,
        # which the required words already make: there both rank alike.
        assert found[0] == "留学回国人员创业政策"


def test_few_hits_with_every_term_come_first_then_most_of_the_terms(engine):
    engine.index(
        [
            # Every term, but only once in a long body.
            doc(1, "人才服务事项清单", "包含配偶、公寓、家具等多项服务内容说明。" * 3),
            # Two of the three terms, in the title: a higher text score.
            doc(2, "配偶公寓申请办法", "配偶公寓。"),
            doc(3, "企业年金管理办法", "年金。"),
        ]
    )
    assert titles("配偶 公寓 家具") == ["人才服务事项清单", "配偶公寓申请办法"]
    # Page two continues after the hits with every term, without repeats.
    second = search(SearchRequest("配偶 公寓 家具", page=2, page_size=1)).hits
    assert [hit.title for hit in second] == ["配偶公寓申请办法"]


# --- how people ask, and the words they use -------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("我家孩子在这边上学要什么手续", ["孩子", "上学"]),
        ("海归回来创业有钱拿吗", ["海归", "创业", "有钱拿"]),
        ("为啥人才公寓到底要排队", ["人才公寓", "排队"]),
        ("刚来的大学生有住房补贴吗", ["大学生", "住房补贴"]),
    ],
)
def test_spoken_question_words_are_dropped(query, expected):
    assert required(query) == expected


@pytest.mark.parametrize(
    ("query", "official"),
    [
        ("房屋补贴", "住房补贴"),
        ("生孩子", "生育"),
        ("社保卡", "社会保障卡"),
        ("台胞证", "台湾居民来往大陆通行证"),
        ("读研", "硕士"),
        ("失业金", "失业保险金"),
        ("房产证", "不动产权证书"),
        ("留服认证", "学历认证"),
        ("有钱拿", "补贴"),
    ],
)
def test_everyday_words_of_every_theme_reach_the_official_one(query, official):
    assert official in plan_query(query).terms[0]


# --- wrong homophones of a title's own words --------------------------------------


def test_a_wrong_homophone_of_a_title_word_is_read_as_the_title_word(monkeypatch):
    import search.analysis
    from tests.factories import make_policy

    # Titles are looked at again at most once a second; here at every query.
    monkeypatch.setattr(search.analysis, "_VERSION_CHECK_SECONDS", 0)

    # No curated term: without a title that has it, nothing to correct to.
    assert plan_query("英材卡").corrections == {}
    make_policy(title="临江英才卡申领指南")
    make_policy(title="海燕计划留学人才引进办法")
    assert plan_query("英材卡").corrections == {"英材卡": "英才卡"}
    assert plan_query("海燕计话").corrections == {"海燕计话": "海燕计划"}
    # Real words stay as typed, whatever the titles hold.
    assert plan_query("英才").corrections == {}
    assert plan_query("宠物疫苗").corrections == {}


def test_a_title_homophone_finds_the_document_on_every_engine_plan(engine):
    from search.engines import es_query
    from tests.factories import make_policy

    make_policy(title="临江英才卡申领指南")
    engine.index([doc(1, "临江英才卡申领指南", "英才卡持卡人享受服务。")])
    assert titles("英材卡") == ["临江英才卡申领指南"]
    # Elasticsearch reads the same plan: the body asks for the title's words.
    body = str(es_query.text_query(plan_query("英材卡")).to_dict())
    assert "'英才'" in body and "英材" not in body
