"""Chinese analysis: segmentation with the project dictionary, synonyms, pinyin,
homophone correction."""

import pytest

from search.analysis import (
    pinyin_keys,
    plan_query,
    reload_dictionary,
    segment,
    segmented,
    split_synonym_line,
    synonyms_of,
)

# Analysis reads the admin's dictionary and synonyms from the database: without
# the mark a test passed only when an earlier test on its worker had loaded them.
pytestmark = pytest.mark.django_db


def test_policy_terms_of_the_dictionary_stay_whole():
    tokens = segment("申请高层次人才认定和港湾计划")
    assert "高层次人才" in tokens
    assert "人才认定" in tokens
    assert "港湾计划" in tokens


def test_segment_drops_punctuation_and_lowercases():
    tokens = segment("住房补贴，Housing SUBSIDY！QZ-RC-0001")
    assert "，" not in tokens and "！" not in tokens
    assert "housing" in tokens and "subsidy" in tokens
    assert {"qz", "rc", "0001"} <= set(tokens)
    assert segmented("住房补贴") == " ".join(segment("住房补贴"))


def test_segmentation_is_deterministic():
    text = "关于高层次人才子女入学和配偶就业的若干措施"
    assert segment(text) == segment(text)


def test_admin_terms_join_the_dictionary():
    from search.models import SearchTerm

    assert "刺桐英才" not in segment("申报刺桐英才计划")
    SearchTerm.objects.create(term="刺桐英才")
    assert "刺桐英才" in segment("申报刺桐英才计划")
    SearchTerm.objects.all().delete()
    reload_dictionary()
    assert "刺桐英才" not in segment("申报刺桐英才计划")


def test_builtin_synonyms_expand_the_query():
    plan = plan_query("小孩落户")
    assert plan.terms[0][0] == "小孩"
    assert {"子女", "孩子"} <= set(plan.terms[0])
    assert {"户口迁入", "入户"} <= set(plan.terms[1])
    assert "资助" in synonyms_of("补贴")


def test_admin_synonym_groups_apply_and_inactive_ones_do_not():
    from search.models import SynonymGroup

    group = SynonymGroup.objects.create(terms="人才驿站 / 人才之家")
    assert "人才之家" in plan_query("人才驿站").terms[0]
    group.is_active = False
    group.save()
    assert "人才之家" not in plan_query("人才驿站").terms[0]


def test_split_synonym_line_accepts_commas_slashes_and_chinese_commas():
    assert split_synonym_line("落户, 户口迁入/入户，落户") == [
        "落户",
        "户口迁入",
        "入户",
    ]


def test_pinyin_keys_full_and_initials():
    assert pinyin_keys("住房补贴") == ["zhufangbutie", "zfbt"]
    keys = pinyin_keys("泉州市住房补贴办法")
    assert "zhufangbutie" in keys and "zfbt" in keys
    assert all(key.isascii() and key.islower() for key in keys)


def test_ascii_letters_are_taken_as_pinyin():
    plan = plan_query("zfbt")
    assert plan.pinyin == ["zfbt"]
    assert plan.terms[0][0] == "zfbt"


def test_pinyin_of_a_dictionary_term_also_finds_the_term_in_the_text():
    """zfbt and zhufangbutie stand for 住房补贴 (and zfbt for 租房补贴 too),
    with their parts, wherever the text has them, not only in titles."""
    initials = plan_query("zfbt").terms[0]
    assert {"住房补贴", "住房 补贴", "租房补贴"} <= set(initials)
    assert "住房补贴" in plan_query("zhufangbutie").terms[0]
    assert set(plan_query("luohu").terms[0]) >= {"落户", "户口迁入", "入户"}
    # Two initials name too many words; English is read as English (with the
    # Chinese words of the English-Chinese map), never as pinyin.
    assert plan_query("lh").terms == [["lh"]]
    assert plan_query("policy").terms == [["policy", "政策"]]
    assert plan_query("policy").pinyin == []


def test_question_words_are_dropped():
    plan = plan_query("如何申请住房补贴？")
    typed = [term[0] for term in plan.terms]
    assert "如何" not in typed
    assert "住房补贴" in typed and "申请" in typed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("孩子上学怎么办", ["孩子", "上学"]),
        ("购房补贴怎么领", ["购房补贴"]),
        ("外国人怎么办签证", ["外国人", "签证"]),
        ("能不能领租房补贴", ["租房补贴"]),
        ("体检在哪家医院", ["体检", "医院"]),
        ("人才公寓在哪里申请呢", ["人才公寓", "申请"]),
    ],
)
def test_question_phrases_are_not_search_terms(query, expected):
    assert [term[0] for term in plan_query(query).terms] == expected


def test_a_question_word_alone_is_still_searched():
    assert plan_query("怎么办").terms


def test_adjacent_words_of_a_title_get_a_full_pinyin_key():
    keys = pinyin_keys("泉州市人才周转房管理办法")
    assert "zhouzhuanfang" in keys
    assert "jiankangtijian" in pinyin_keys("2026年度高层次人才健康体检工作方案")
    # Pairs give full pinyin only: their initials would match too much.
    assert "rencaizhouzhuanfang" in keys and "rczzf" not in keys


def test_curated_terms_of_the_corpus_are_corrected_from_homophones():
    plan = plan_query("疗养修假")
    assert plan.corrections == {"疗养修假": "疗养休假"}


def test_a_wrong_homophone_is_corrected_to_a_dictionary_term():
    plan = plan_query("住房补帖")
    assert plan.corrections == {"住房补帖": "住房补贴"}
    alternatives = plan.terms[0]
    assert alternatives[0] == "住房 补帖"  # what was typed comes first
    assert "住房补贴" in alternatives


def test_known_words_are_never_corrected():
    # 注释 (zhushi) is a real word; it must not drift to a policy term that
    # sounds alike, or the results would flood with unrelated documents.
    for query in ["住房补贴", "注释", "人才", "补贴", "主妇"]:
        assert plan_query(query).corrections == {}, query


def test_empty_and_punctuation_only_queries_plan_nothing():
    assert plan_query("").is_empty
    assert plan_query("  ，。！ ").is_empty
    assert plan_query("住" * 500).raw == "住" * 100
