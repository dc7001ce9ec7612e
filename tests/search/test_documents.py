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
    item = make_service_item(guide=guide, department=guide.get_module().department)
    (guide_doc,) = documents_for(guide)
    (item_doc,) = documents_for(item)
    assert guide_doc.department_id == guide.get_module().department.pk
    assert item_doc.url == guide_doc.url  # the item links to its live guide
    assert item_doc.category == item.category.name


def test_no_personal_data_reaches_the_index():
    """SECURITY.md J1: documents hold public text only."""
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
