"""What becomes a document: public live content only, and no personal data."""

import dataclasses

import pytest

from search.documents import documents_for, iter_all_documents, key_for
from tests.factories import (
    make_employer,
    make_guide,
    make_news,
    make_policy,
    make_service_item,
    make_user,
    tier,
)

pytestmark = pytest.mark.django_db


def test_a_policy_document_carries_its_metadata():
    policy = make_policy(title="住房补贴实施细则", tiers=[tier("tier-1")])
    (document,) = documents_for(policy)
    assert document.key == key_for(policy) == f"policy:{policy.pk}"
    assert document.type == "policy"
    assert document.department == policy.issuing_department.name
    assert document.department_id == policy.issuing_department_id
    assert document.category == policy.category.name
    assert document.tiers == ["tier-1"]
    assert document.status == "in_force"
    assert document.year == policy.issued_on.year
    assert document.doc_number == policy.document_number
    assert document.url == policy.get_url_parts()[2]
    assert "住房补贴" in document.title_tokens.split()
    assert "zfbt" in document.pinyin.split()
    assert "<" not in document.body


def test_drafts_private_pages_and_other_models_give_no_document():
    from wagtail.models import PageViewRestriction

    assert documents_for(make_policy(live=False)) == []
    private = make_news()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert documents_for(private) == []
    assert documents_for(make_user()) == []
    assert documents_for(make_employer()) == []
    inactive = make_service_item(is_active=False)
    assert documents_for(inactive) == []


def test_guides_and_items_take_the_department_of_their_module():
    guide = make_guide(title="人才认定办事指南")
    item = make_service_item(
        guide=guide,
        department=guide.get_module().department,
        description="认定高层次人才的服务事项说明",
    )
    (guide_doc,) = documents_for(guide)
    assert guide_doc.department_id == guide.get_module().department.pk
    # The live guide stands for its item: one result, with the item's facets.
    assert documents_for(item) == []
    assert guide_doc.category == item.category.name
    assert guide_doc.category_id == item.category_id
    assert "服务事项说明" in guide_doc.body
    alone = make_service_item(name="没有指南的事项")
    (item_doc,) = documents_for(alone)
    assert item_doc.category == alone.category.name
    assert item_doc.url.endswith(f"#item-{alone.pk}")


def test_an_item_is_indexed_alone_when_its_guide_is_not_live():
    guide = make_guide(title="人才认定办事指南", live=False)
    item = make_service_item(guide=guide)
    assert [doc.key for doc in documents_for(item)] == [f"service:{item.pk}"]
    live = make_service_item(guide=make_guide())
    keys = {doc.key for doc in iter_all_documents()}
    assert f"service:{item.pk}" in keys
    assert f"service:{live.pk}" not in keys
    assert f"guide:{live.guide.pk}" in keys


def test_no_personal_data_reaches_the_index():
    """docs/security.md J1: documents hold public text only."""
    user = make_user(
        real_name="张测试", mobile="13912345678", email="zhang@example.com"
    )
    employer = make_employer(name="测试保密企业有限公司")
    make_policy()
    make_guide(contact_phone="0595-99998888")
    make_news()
    make_service_item()
    documents = list(iter_all_documents())
    assert {d.type for d in documents} == {"policy", "guide", "news", "service"}
    text = "\n".join(
        str(value) for d in documents for value in dataclasses.asdict(d).values()
    )
    for secret in [
        user.real_name,
        user.mobile,
        user.email,
        employer.uscc,
        employer.name,
        "0595-99998888",
    ]:
        assert secret not in text


@pytest.mark.parametrize("moment", ["2027-01-01 00:30+08:00", "2026-12-08 07:59+08:00"])
def test_a_guide_is_dated_on_the_hall_calendar_whatever_the_hour(moment):
    import datetime

    from freezegun import freeze_time

    with freeze_time(moment):
        guide = make_guide(title="人才公寓申请指南")
    (document,) = documents_for(guide)
    # Published at that moment in China: UTC still shows the day before.
    published = datetime.datetime.fromisoformat(moment).date()
    assert document.issued_on == published
    assert document.year == published.year
