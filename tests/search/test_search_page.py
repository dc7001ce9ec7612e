"""The search page answers on the embedded default engine."""

import pytest

from tests.factories import make_policy

pytestmark = pytest.mark.django_db


def test_search_finds_a_published_policy_by_title(client):
    make_policy(title="Housing subsidy rules")
    make_policy(title="Housing draft rules", live=False)
    response = client.get("/search/", {"q": "Housing"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Housing subsidy rules" in content
    assert "Housing draft rules" not in content


def test_empty_and_overlong_queries_do_not_fail(client):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "住" * 5000}).status_code == 200
