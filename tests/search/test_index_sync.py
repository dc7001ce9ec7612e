"""Publishing, unpublishing, moving and deleting update the index through a
background task queued after commit; search_rebuild rebuilds everything."""

import io

import pytest
from django.core.management import call_command

from search.models import SearchEntry
from search.query import SearchRequest, search
from tests.factories import (
    make_department,
    make_guide,
    make_news,
    make_policy,
    make_service_item,
)

pytestmark = pytest.mark.django_db


def keys():
    return set(SearchEntry.objects.values_list("key", flat=True))


def test_nothing_is_indexed_before_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        policy = make_policy(title="住房补贴实施细则")
    assert callbacks, "publishing queued no index update"
    assert f"policy:{policy.pk}" not in keys()
    for callback in callbacks:
        callback()
    assert f"policy:{policy.pk}" in keys()


def test_publishing_indexes_and_unpublishing_removes(on_commit):
    with on_commit():
        policy = make_policy(title="港湾计划申报通知")
        draft = make_policy(title="港湾计划草稿", live=False)
    assert f"policy:{policy.pk}" in keys()
    assert f"policy:{draft.pk}" not in keys()
    with on_commit():
        policy.unpublish()
    assert f"policy:{policy.pk}" not in keys()


def test_publishing_a_new_revision_updates_the_entry(on_commit):
    with on_commit():
        policy = make_policy(title="旧的标题")
    policy.title = "人才驿站建设办法"
    with on_commit():
        policy.save_revision().publish()
    assert [h.title for h in search(SearchRequest("人才驿站")).hits] == [
        "人才驿站建设办法"
    ]


def test_deleting_a_page_removes_it(on_commit):
    with on_commit():
        news = make_news(title="人才活动周开幕")
    assert f"news:{news.pk}" in keys()
    with on_commit():
        news.delete()
    assert f"news:{news.pk}" not in keys()


def test_moving_a_page_updates_its_url(on_commit):
    with on_commit():
        policy = make_policy(title="安家补助办法")
    target = make_department().module_page
    with on_commit():
        policy.move(target, pos="last-child")
    entry = SearchEntry.objects.get(key=f"policy:{policy.pk}")
    policy.refresh_from_db()
    assert entry.url == policy.get_url_parts()[2]
    assert entry.url.startswith(target.get_url_parts()[2])


def test_service_items_are_indexed_on_save_and_removed_on_delete(on_commit):
    with on_commit():
        item = make_service_item(name="人才绿卡申领")
    assert f"service:{item.pk}" in keys()
    with on_commit():
        item.is_active = False
        item.save()
    assert f"service:{item.pk}" not in keys()
    with on_commit():
        item.is_active = True
        item.save()
        item.delete()
    assert not any(k.startswith("service:") for k in keys())


def test_a_guide_replaces_its_service_item_while_it_is_live(on_commit):
    with on_commit():
        guide = make_guide(title="人才绿卡申领", live=False)
        item = make_service_item(name="人才绿卡申领", guide=guide)
    assert f"service:{item.pk}" in keys()
    with on_commit():
        guide.save_revision().publish()
    assert f"guide:{guide.pk}" in keys()
    assert f"service:{item.pk}" not in keys()
    assert [h.type for h in search(SearchRequest("人才绿卡申领")).hits] == ["guide"]
    guide.refresh_from_db()
    with on_commit():
        guide.unpublish()
    assert f"service:{item.pk}" in keys()
    assert f"guide:{guide.pk}" not in keys()
    guide.refresh_from_db()
    with on_commit():
        guide.save_revision().publish()
    assert f"service:{item.pk}" not in keys()
    guide.refresh_from_db()
    with on_commit():
        guide.delete()
    assert f"service:{item.pk}" in keys()


def test_a_failing_index_update_never_fails_the_publish(on_commit, monkeypatch):
    from search.engines.embedded import EmbeddedEngine

    def broken(*args, **kwargs):
        raise RuntimeError("index down")

    monkeypatch.setattr(EmbeddedEngine, "index", broken)
    with on_commit():
        policy = make_policy(title="照常发布")
    assert policy.live
    assert f"policy:{policy.pk}" not in keys()


def test_search_rebuild_indexes_every_public_document():
    make_policy(title="政策甲")
    make_guide(title="指南乙")
    make_news(title="新闻丙")
    make_policy(title="草稿丁", live=False)
    make_service_item(name="事项戊")
    SearchEntry.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("search_rebuild", stdout=out, stderr=err)
    titles = set(SearchEntry.objects.values_list("title", flat=True))
    assert titles == {"政策甲", "指南乙", "新闻丙", "事项戊"}
    assert "4" in out.getvalue()
    assert "100%" in err.getvalue()  # the progress bar ran to the end
