"""Search parameters from anywhere: a NUL byte, control characters, digits that
are not ASCII, huge values. The page and the API answer 200 or 400, never 500
(PostgreSQL refuses NUL in any text it is given)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from search.query import FILTER_KEYS
from tests.factories import make_policy
from tests.strategies import nasty_text

pytestmark = pytest.mark.django_db

BAD_QUERIES = ["住房\x00补贴", "\x00", "补贴\x1f\x7f", "\x00" * 200, "住房\u0000"]


@pytest.fixture
def policies(reindex):
    make_policy(title="住房补贴实施细则", summary="高层次人才可申请住房补贴。")
    reindex()


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_a_nul_in_the_query_is_not_a_500(client, policies, query):
    assert client.get("/search/", {"q": query}).status_code == 200
    response = client.get("/api/search/", {"q": query})
    assert response.status_code in (200, 400)
    assert client.get("/api/search/suggest/", {"q": query}).status_code == 200


@pytest.mark.parametrize("key", [*FILTER_KEYS, "page"])
def test_a_nul_in_a_filter_is_not_a_500(client, policies, key):
    for value in ["\x00", "housing\x00", "²", "１"]:
        params = {"q": "补贴", key: value}
        assert client.get("/search/", params).status_code in (200, 400)
        assert client.get("/api/search/", params).status_code in (200, 400)


def test_a_bad_page_with_a_nul_query_is_a_400(client, policies):
    response = client.get("/search/", {"q": "住房\x00", "page": "²"})
    assert response.status_code == 400


search_params = st.dictionaries(
    st.sampled_from(["q", "page", *FILTER_KEYS]) | nasty_text,
    nasty_text,
    max_size=6,
)


class SearchParameterProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_policy(title="住房补贴实施细则", summary="高层次人才可申请住房补贴。")

    @given(search_params)
    def test_the_page_never_fails(self, params):
        assert self.client.get("/search/", params).status_code in (200, 400)

    @given(search_params)
    def test_the_api_never_fails(self, params):
        assert self.client.get("/api/search/", params).status_code in (200, 400)
        response = self.client.get("/api/search/suggest/", {"q": params.get("q", "")})
        assert response.status_code in (200, 400)
