import pytest
from tests.factories import make_policy, make_news, make_guide, make_service_item
from search.query import SearchRequest, search, suggest
from search.analysis import plan_query, segment, pinyin_keys

pytestmark = pytest.mark.django_db

def test_smoke(reindex):
    p = make_policy(title="泉州市高层次人才住房补贴实施办法", summary="符合条件的高层次人才可申请住房补贴，子女入学也有安排。")
    make_policy(title="关于子女入学的通知", status="repealed")
    make_news(title="人才绿卡发放")
    g = make_guide()
    make_service_item(guide=g)
    print(reindex())
    print(segment(p.title), pinyin_keys("住房补贴"))
    for q in ["住房补贴", "zfbt", "zhufangbutie", "小孩上学", "住房补帖", "如何申请住房补贴", "火星移民", "人才"]:
        r = search(SearchRequest(q))
        print(q, plan_query(q), r.total, [(h.title, h.score, str(h.highlight)[:80]) for h in r.hits], r.facets)
    print(suggest("zf"), suggest("住房"))
