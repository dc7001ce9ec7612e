"""The recall safety net: character bigrams beside the segmented words, so a
term that jieba cuts one way in a text and another way in a query still
matches, ranked below a match of the words themselves."""

import pytest

from search.analysis import char_bigrams, query_bigrams
from search.engines import get_engine
from search.models import SearchEntry
from tests.search.test_embedded_engine import doc, titles

pytestmark = pytest.mark.django_db


def test_bigrams_follow_each_run_of_chinese_characters():
    assert char_bigrams("鹭岛英才卡，A类") == ["鹭岛", "岛英", "英才", "才卡"]
    assert char_bigrams("卡 B") == []  # a lone character is no evidence
    assert query_bigrams("英才卡") == ["英才", "才卡"]
    assert query_bigrams("卡") == query_bigrams("card") == []


def cut_apart(document, title_tokens, body_tokens=""):
    """The document as if jieba had segmented its text this way (what happens
    to a name it does not know, in some context): the words are then not in
    the word fields, only in the bigrams."""
    document.__dict__["title_tokens"] = title_tokens
    document.__dict__["body_tokens"] = body_tokens
    return document


def test_a_term_segmented_otherwise_in_the_text_still_matches():
    engine = get_engine()
    engine.index(
        [
            cut_apart(
                doc(1, "持鹭岛英才卡办理", "鹭岛英才卡"),
                "持鹭 岛 英才卡 办理",
                "鹭岛 英才卡",
            ),
            doc(2, "人才公寓申请", "持证人 白鹭 海岛 的说明"),
        ]
    )
    entry = SearchEntry.objects.get(key="policy:1")
    assert "持鹭 鹭岛 岛英" in entry.title_grams
    # "鹭岛" is no word of the first title's tokens, but its bigram is.
    assert titles("持鹭岛") == ["持鹭岛英才卡办理"]
    # The bigrams must stand in a row: 岛屿 … 英才 apart do not make 岛英才.
    assert "人才公寓申请" not in titles("岛英才")


def test_bigram_matches_rank_below_word_matches():
    engine = get_engine()
    engine.index(
        [
            cut_apart(
                doc(1, "港湾卡服务指南", "港湾卡"), "港 湾卡 服务 指南", "港 湾卡"
            ),
            doc(2, "港湾计划实施办法", "港湾 的说明"),
        ]
    )
    # Both titles hold 港湾; only the second has it as a word.
    assert titles("港湾") == ["港湾计划实施办法", "港湾卡服务指南"]


def test_a_nonsense_query_still_finds_nothing():
    get_engine().index([doc(1, "住房补贴实施细则", "申请住房补贴的条件")])
    assert titles("补房贴住") == []
