"""The JSON API: /api/search/ and /api/search/suggest/."""

import pytest
from django.utils import translation

from tests.factories import make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def policies(reindex):
    policy = make_policy(title="住房补贴实施细则", summary="高层次人才可申请住房补贴。")
    make_policy(title="住房补贴旧办法", status="repealed")
    reindex()
    return policy


def test_search_answers_the_documented_shape(client, policies):
    response = client.get("/api/search/", {"q": "住房补贴"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["total"] == 2
    first = data["results"][0]
    assert set(first) == {
        "title",
        "url",
        "type",
        "department",
        "category",
        "status",
        "issued_on",
        "highlight",
        "language",
    }
    assert first["title"] == "住房补贴实施细则"
    assert first["language"] == "zh-hans"
    assert first["status"] == "in_force"
    assert first["issued_on"] == "2026-03-01"
    assert first["url"] == policies.get_url_parts()[2]
    assert "<mark>住房补贴</mark>" in first["highlight"]
    assert set(data["facets"]) >= {
        "type",
        "department",
        "category",
        "year",
        "status",
        "tier",
    }
    bucket = data["facets"]["status"][0]
    assert set(bucket) == {"value", "label", "count"}


def test_filters_narrow_the_results(client, policies):
    data = client.get("/api/search/", {"q": "住房补贴", "status": "repealed"}).json()
    assert [r["title"] for r in data["results"]] == ["住房补贴旧办法"]
    department = policies.issuing_department_id
    data = client.get(
        "/api/search/", {"q": "住房补贴", "department": department}
    ).json()
    assert [r["title"] for r in data["results"]] == ["住房补贴实施细则"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "补贴", "department": "abc"},
        {"q": "补贴", "category": "1; DROP TABLE"},
        {"q": "补贴", "type": "user"},
        {"q": "补贴", "year": "20x6"},
        {"q": "补贴", "year": "1066"},
        {"q": "补贴", "status": "secret"},
        {"q": "补贴", "page": "0"},
        {"q": "补贴", "page": "-1"},
        {"q": "补贴", "page": "99999"},
        {"q": "补贴", "tier": "<script>"},
        {"q": ""},
    ],
)
def test_bad_parameters_get_400_with_a_message(client, params):
    with translation.override("en"):
        response = client.get("/api/search/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]


def test_overlong_queries_are_capped_not_failed(client, policies):
    response = client.get("/api/search/", {"q": "住房补贴" + "啊" * 3000})
    assert response.status_code == 200


def test_odd_queries_never_fail(client, policies):
    for query in ['"', "AND OR NOT", "*", "住房 -补贴", "a:b", "'); --", "NEAR(", "\\"]:
        response = client.get("/api/search/", {"q": query})
        assert response.status_code in (200, 400), query


def test_suggest_answers_titles(client, policies):
    response = client.get("/api/search/suggest/", {"q": "住房"})
    assert response.status_code == 200
    titles = [s["title"] for s in response.json()["suggestions"]]
    assert titles == ["住房补贴实施细则", "住房补贴旧办法"]
    assert client.get("/api/search/suggest/", {"q": "zfbt"}).json()["suggestions"]
    assert client.get("/api/search/suggest/").json()["suggestions"] == []
    assert client.get("/api/search/suggest/", {"q": "住" * 51}).status_code == 400


def test_the_api_is_read_only(client):
    assert client.post("/api/search/", {"q": "补贴"}).status_code == 405
    assert client.post("/api/search/suggest/", {"q": "补贴"}).status_code == 405
