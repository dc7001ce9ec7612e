"""Whole public pages cached for anonymous visitors, with exact invalidation
(cms/core/pagecache.py).

The cache is off in the test settings; every test here switches it on. A hit
says ``X-Page-Cache: hit``; a page that is never kept carries no such header.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.models import PageViewRestriction

import cms.urls
from cms.core import pagecache
from cms.core.models import HallSettings, ServiceCategory
from tests.factories import (
    make_department,
    make_form,
    make_guide,
    make_policy,
    make_user,
    tier,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


# --- Views that a public path could one day serve (this module is their URLconf) -


def _csrf_form(request):
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<button>go</button></form>'
    )
    return HttpResponse(template.render({}, request))


def _sets_cookie(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


@never_cache
def _never_cached(request):
    return HttpResponse("<p>personal</p>")


def _writes_session(request):
    request.session["visited"] = True
    return HttpResponse("<p>noted</p>")


def _varies_on_user_agent(request):
    response = HttpResponse(f"<p>{request.META.get('HTTP_USER_AGENT', '')}</p>")
    response["Vary"] = "User-Agent"
    return response


def _uses_token_without_rendering_it(request):
    get_token(request)
    return HttpResponse("<p>no form shown</p>")


def _plain(request):
    return HttpResponse("<p>the same for everyone</p>")


urlpatterns = [
    path("probe/csrf/", _csrf_form),
    path("probe/token/", _uses_token_without_rendering_it),
    path("probe/cookie/", _sets_cookie),
    path("probe/never/", _never_cached),
    path("probe/session/", _writes_session),
    path("probe/vary/", _varies_on_user_agent),
    path("probe/plain/", _plain),
    # cms.urls holds i18n_patterns, which cannot be included.
    *cms.urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def page_cache():
    caches[pagecache.CACHE_ALIAS].clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        yield
    caches[pagecache.CACHE_ALIAS].clear()


def cache_state(client, url, **headers):
    response = client.get(url, **headers)
    return response.status_code, response.get(pagecache.STATUS_HEADER)


def warm(client, url):
    """Requests until the page is served from the cache (a first render may
    create rows, such as the site's settings, that start a new generation)."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.get(pagecache.STATUS_HEADER) == "hit":
            return response
    raise AssertionError(f"{url} never came from the cache")


def republish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


# --- Hits and headers ------------------------------------------------------------


def test_a_repeated_anonymous_request_is_answered_from_the_cache(client):
    policy = make_policy()
    first = client.get(policy.url)
    assert first[pagecache.STATUS_HEADER] == "miss"
    hit = warm(client, policy.url)
    assert hit.content == first.content
    assert hit["ETag"] == first["ETag"]
    cache_control = hit["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control
    assert hit.has_header("Last-Modified")
    assert not hit.cookies


def test_a_matching_etag_or_date_gives_304_and_a_change_gives_the_new_page(client):
    policy = make_policy()
    cached = warm(client, policy.url)
    not_modified = client.get(policy.url, HTTP_IF_NONE_MATCH=cached["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == cached["ETag"]
    since = client.get(policy.url, HTTP_IF_MODIFIED_SINCE=cached["Last-Modified"])
    assert since.status_code == 304
    assert client.get(policy.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    republish(policy, title="关于人才住房补贴的修订办法")
    changed = client.get(policy.url, HTTP_IF_NONE_MATCH=cached["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != cached["ETag"]
    assert "关于人才住房补贴的修订办法" in changed.content.decode()


# --- Exact invalidation ------------------------------------------------------------


def test_a_published_change_is_visible_on_the_next_anonymous_request(
    client, django_capture_on_commit_callbacks
):
    policy = make_policy()
    warm(client, policy.url)
    warm(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        republish(policy, title="泉州市高层次人才购房补贴新办法")
    for url in (policy.url, "/"):
        response = client.get(url)
        assert response[pagecache.STATUS_HEADER] == "miss", url
        assert "泉州市高层次人才购房补贴新办法" in response.content.decode(), url


def test_unpublish_move_and_delete_reach_the_next_request(client):
    policy = make_policy()
    other = make_department()
    warm(client, policy.url)
    warm(client, "/policies/")
    assert policy.title in client.get("/policies/").content.decode()

    policy.move(other.module_page, pos="last-child")
    policy.refresh_from_db()
    assert policy.url.startswith(other.module_page.url)
    warm(client, policy.url)

    policy.unpublish()
    assert client.get(policy.url).status_code == 404
    assert policy.title not in client.get("/policies/").content.decode()

    policy.save_revision().publish()
    warm(client, policy.url)
    url = policy.url
    policy.delete()
    assert client.get(url).status_code == 404


def test_a_draft_save_keeps_the_cached_page(client):
    """Drafts do not change the live page: saving one is no reason to render
    everything again."""
    policy = make_policy()
    warm(client, policy.url)
    policy.title = "草稿标题"
    policy.save_revision()
    response = client.get(policy.url)
    assert response[pagecache.STATUS_HEADER] == "hit"
    assert "草稿标题" not in response.content.decode()


def test_making_a_page_private_takes_it_out_of_the_cache_at_once(client):
    policy = make_policy()
    warm(client, policy.url)
    PageViewRestriction.objects.create(
        page=policy, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(policy.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _rename_category():
    category = ServiceCategory.objects.get(slug="housing")
    category.name = "安居乐业专区"
    category.save()
    return "安居乐业专区"


def _rename_tier():
    talent_tier = tier()
    talent_tier.name = "顶尖人才层次"
    talent_tier.save()
    return "顶尖人才层次"


def _change_hall_settings():
    from wagtail.models import Site

    hall = HallSettings.for_site(Site.objects.get(is_default_site=True))
    hall.hotline = "0595-99998888"
    hall.save()
    return "0595-99998888"


def _rename_department(policy):
    department = policy.issuing_department
    department.name = "泉州市人才发展促进局"
    department.save()
    return "泉州市人才发展促进局"


@pytest.mark.parametrize(
    "change", ["category", "tier", "hall settings", "department", "category deleted"]
)
def test_settings_and_snippet_changes_reach_the_pages_that_show_them(client, change):
    policy = make_policy(tiers=[tier()])
    urls = [policy.url, "/"]
    for url in urls:
        warm(client, url)
    if change == "category deleted":
        category = ServiceCategory.objects.create(name="临时专区", slug="temporary")
        for url in urls:
            warm(client, url)
        assert "临时专区" in client.get("/").content.decode()
        category.delete()
        assert "临时专区" not in client.get("/").content.decode()
        return
    expected = {
        "category": _rename_category,
        "tier": _rename_tier,
        "hall settings": _change_hall_settings,
        "department": lambda: _rename_department(policy),
    }[change]()
    response = client.get(policy.url)
    assert response[pagecache.STATUS_HEADER] == "miss"
    assert expected in response.content.decode()


def test_a_search_index_change_reaches_search_pages_only(
    client, django_capture_on_commit_callbacks
):
    from search.indexing import index_object

    # Published outside a commit: the index task has not run yet.
    policy = make_policy(title="港湾人才专项扶持奖励办法")
    url = "/search/?q=专项扶持奖励"
    warm(client, url)
    warm(client, policy.url)
    assert policy.url not in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        index_object(policy)
    response = client.get(url)
    assert response[pagecache.STATUS_HEADER] == "miss"
    assert policy.url in response.content.decode()
    assert client.get(policy.url)[pagecache.STATUS_HEADER] == "hit"


def test_a_page_cached_under_an_old_generation_is_not_served(client):
    """What a process sharing the cache sees after another one's change."""
    policy = make_policy()
    warm(client, policy.url)
    pagecache.invalidate_pages()
    assert cache_state(client, policy.url) == (200, "miss")
    # An evicted generation starts a new one: nothing old matches it.
    caches[pagecache.CACHE_ALIAS].delete(pagecache.CONTENT_GENERATION_KEY)
    assert cache_state(client, policy.url) == (200, "miss")
    assert cache_state(client, policy.url) == (200, "hit")


# --- Keys ------------------------------------------------------------------------


def test_language_query_string_and_host_are_part_of_the_key(client):
    policy = make_policy()
    warm(client, policy.url)
    english = client.get("/en" + policy.url)
    assert english[pagecache.STATUS_HEADER] == "miss"
    assert '<html lang="en"' in english.content.decode()
    # A Chinese address is Chinese whatever the browser asks.
    browser_english = client.get(policy.url, HTTP_ACCEPT_LANGUAGE="en")
    assert browser_english[pagecache.STATUS_HEADER] == "hit"
    assert '<html lang="zh-hans"' in browser_english.content.decode()
    assert cache_state(client, policy.url + "?a=1") == (200, "miss")
    assert cache_state(client, policy.url, HTTP_HOST="localhost") == (200, "miss")
    chinese = client.get(policy.url)
    assert chinese[pagecache.STATUS_HEADER] == "hit"
    assert '<html lang="zh-hans"' in chinese.content.decode()


# --- Never cached ----------------------------------------------------------------


def test_a_signed_in_user_never_gets_a_cached_page_nor_fills_the_cache(client):
    policy = make_policy()
    user = make_user()
    warm(client, policy.url)

    signed_in = Client()
    signed_in.force_login(user)
    for _ in range(2):
        response = signed_in.get(policy.url)
        assert response.status_code == 200
        assert not response.has_header(pagecache.STATUS_HEADER)
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]

    # On an empty cache, their requests leave nothing behind for others.
    caches[pagecache.CACHE_ALIAS].clear()
    for _ in range(2):
        signed_in.get(policy.url)
        signed_in.get("/")
    assert cache_state(client, policy.url) == (200, "miss")
    assert cache_state(client, "/") == (200, "miss")


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_messages_gets_no_cached_page(client, cookie):
    policy = make_policy()
    warm(client, policy.url)
    client.cookies[cookie] = "anything"
    response = client.get(policy.url)
    assert response.status_code == 200
    assert not response.has_header(pagecache.STATUS_HEADER)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "probe", ["csrf", "token", "cookie", "never", "session", "vary"]
)
def test_responses_for_one_visitor_are_never_kept(client, probe):
    url = f"/probe/{probe}/"
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.has_header(pagecache.STATUS_HEADER), url
        assert "public" not in response.get("Cache-Control", "")
    if probe in ("csrf", "token", "cookie", "session", "never"):
        assert "no-store" in response["Cache-Control"]
    # A page without anything personal is kept (for a visitor who carries no
    # session, which the session probe just gave this client).
    fresh = Client()
    assert cache_state(fresh, "/probe/plain/") == (200, "miss")
    assert cache_state(fresh, "/probe/plain/") == (200, "hit")


def test_sign_in_and_registration_pages_are_never_kept(client):
    for url in ("/accounts/login/", "/accounts/register/"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert not response.has_header(pagecache.STATUS_HEADER), url
            assert "no-store" in response["Cache-Control"], url


def test_an_application_form_page_is_never_kept(client):
    form_page = make_form()
    for _ in range(3):
        response = client.get(form_page.url)
        assert response.status_code == 200
        assert not response.has_header(pagecache.STATUS_HEADER)


def test_only_get_and_head_use_the_cache(client):
    policy = make_policy()
    warm(client, policy.url)
    assert client.head(policy.url)[pagecache.STATUS_HEADER] == "hit"
    posted = client.post(policy.url, {"x": "1"})
    assert not posted.has_header(pagecache.STATUS_HEADER)


def test_not_found_and_redirects_are_not_kept(client):
    for _ in range(2):
        missing = client.get("/no-such-page/")
        assert missing.status_code == 404
        assert not missing.has_header(pagecache.STATUS_HEADER)


@override_settings(PAGE_CACHE_ENABLED=False)
def test_switched_off_nothing_is_kept(client):
    policy = make_policy()
    for _ in range(2):
        response = client.get(policy.url)
        assert not response.has_header(pagecache.STATUS_HEADER)
        assert "public" not in response.get("Cache-Control", "")


# --- Production: the front-end cache purge -------------------------------------


def _production_settings(extra_env: dict) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FRONTEND_CACHE_", "DJANGO_SETTINGS_MODULE"))
    }
    env.update(
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="hall.example.cn",
        DATA_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        CARD_SIGNING_KEYS="A" * 43,
        DATA_HASH_KEY="y" * 40,
        **extra_env,
    )
    code = (
        "import json; from cms.settings import production as s; "
        "print(json.dumps({'backends': s.WAGTAILFRONTENDCACHE, "
        "'installed': 'wagtail.contrib.frontend_cache' in s.INSTALLED_APPS}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_production_configures_the_front_end_cache_purge_from_the_environment():
    assert _production_settings({}) == {"backends": {}, "installed": False}
    configured = _production_settings(
        {
            "FRONTEND_CACHE_PURGE_URLS": "http://varnish-1:6081,http://varnish-2:6081",
            "FRONTEND_CACHE_CLOUDFLARE_ZONEID": "zone",
            "FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN": "token",
        }
    )
    assert configured["installed"] is True
    backends = configured["backends"]
    assert [
        b["LOCATION"] for k, b in sorted(backends.items()) if k != "cloudflare"
    ] == [
        "http://varnish-1:6081",
        "http://varnish-2:6081",
    ]
    assert backends["cloudflare"]["ZONEID"] == "zone"
    assert backends["cloudflare"]["BEARER_TOKEN"] == "token"


def test_publishing_purges_the_page_its_parent_and_the_home_page(monkeypatch):
    purged = []
    monkeypatch.setattr(
        "wagtail.contrib.frontend_cache.utils.purge_urls_from_cache",
        lambda urls, **kwargs: purged.extend(urls),
    )
    guide = make_guide()
    with override_settings(
        WAGTAILFRONTENDCACHE={
            "proxy": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": "http://proxy:6081",
            }
        }
    ):
        guide.save_revision().publish()
    full = guide.get_full_url()
    assert full in purged
    assert full + "notice/" in purged
    assert guide.get_parent().get_full_url() in purged
    assert guide.get_site().root_page.get_full_url() in purged


def test_a_cache_that_is_down_serves_pages_uncached(client, monkeypatch):
    policy = make_policy()

    def refuse(*args, **kwargs):
        raise ConnectionError("cache server gone")

    monkeypatch.setattr(caches[pagecache.CACHE_ALIAS], "get_many", refuse)
    response = client.get(policy.url)
    assert response.status_code == 200
    assert policy.title in response.content.decode()
    assert not response.has_header(pagecache.STATUS_HEADER)
