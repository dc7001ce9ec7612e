"""Production settings hold the security baseline (docs/security.md A1, A2, A3, A5, C4).

The production module is checked three ways: `manage.py check --deploy` in a
subprocess (as an operator would run it), the module's values imported with a
production-like environment, and its security settings applied to real requests
through the test client.
"""

import importlib
import os
import re
import secrets
import subprocess
import sys
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import Resolver404, path, resolve, reverse

import cms.urls
from tests.cms.hall_admin import (
    ZHUJIAN,
    admin_url,
    client_for,
    make_department_with_content,
    make_staff,
)
from tests.factories import PASSWORD, make_policy, make_user

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_HOST = "hall.example.cn"
SECURITY_SETTING_PREFIXES = (
    "SECURE_",
    "SESSION_COOKIE_",
    "CSRF_COOKIE_",
    "LANGUAGE_COOKIE_",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
)
INHERITED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def random_secret_key() -> str:
    return secrets.token_urlsafe(45)  # 60 characters


def random_card_key() -> str:
    """A base64url Ed25519 seed, as docs/cards.md makes one."""
    return secrets.token_urlsafe(32)  # 32 bytes


def production_env(**overrides: str | None) -> dict[str, str]:
    """A clean operator's environment with the production variables: nothing the
    test run itself set (DJANGO_SETTINGS_MODULE, or DJANGO_ALLOW_ASYNC_UNSAFE from
    the browser tests) leaks in."""
    env = {key: os.environ[key] for key in INHERITED_ENV if key in os.environ}
    env.update(
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS=PRODUCTION_HOST,
        DATA_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        CARD_SIGNING_KEYS=random_card_key(),
        DATA_HASH_KEY=random_secret_key(),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=cms.settings.production"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def production_module(**env_overrides: str | None):
    """Import cms.settings.production afresh under a production-like environment."""
    name = "cms.settings.production"
    with mock.patch.dict(os.environ, production_env(**env_overrides), clear=True):
        sys.modules.pop(name, None)
        try:
            yield importlib.import_module(name)
        finally:
            sys.modules.pop(name, None)


def production_security_settings() -> dict:
    with production_module() as production:
        return {
            name: getattr(production, name)
            for name in dir(production)
            if name.startswith(SECURITY_SETTING_PREFIXES)
        }


# --- A1: refuses to start unconfigured; check --deploy is clean ---


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
        ("DATA_ENCRYPTION_KEYS", "DATA_ENCRYPTION_KEYS"),
        ("DATA_HASH_KEY", "DATA_HASH_KEY"),
        ("CARD_SIGNING_KEYS", "CARD_SIGNING_KEYS"),
    ],
)
def test_production_refuses_to_start_without_its_environment(missing, message):
    result = manage("check", env=production_env(**{missing: None}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {message} environment variable" in result.stderr


def test_check_deploy_passes_with_no_warning_and_nothing_silenced():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    ["", "short-key", "django-insecure-" + "x" * 60, "x" * 49],
    ids=["empty", "short", "django-insecure", "49-characters"],
)
def test_production_refuses_weak_secret_keys(secret_key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        with production_module(SECRET_KEY=secret_key):
            pass


@pytest.mark.parametrize("hosts", ["", "*", f"{PRODUCTION_HOST},*", " , "])
def test_production_refuses_missing_or_wildcard_hosts(hosts):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        with production_module(ALLOWED_HOSTS=hosts):
            pass


def test_production_settings_values():
    with production_module(DEBUG="1") as production:
        assert production.DEBUG is False  # even with DEBUG=1 in the environment
        assert len(production.SECRET_KEY) >= 50
        assert not production.SECRET_KEY.startswith("django-insecure")
        assert production.ALLOWED_HOSTS == [PRODUCTION_HOST]
        assert "*" not in production.ALLOWED_HOSTS
        assert production.SILENCED_SYSTEM_CHECKS == []
        assert production.SECURE_SSL_REDIRECT is True
        assert production.WAGTAILAPI_DOCS_ENABLED is False
        assert production.WAGTAILADMIN_BASE_URL == f"https://{PRODUCTION_HOST}"
        assert production.WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS is True


# --- A1: error pages reveal nothing ---

LEAK_MARKER = "leaked-internal-detail-7f3a"


def raising_view(request):
    raise RuntimeError(f"{LEAK_MARKER} {settings.DATABASES['default']['NAME']}")


urlpatterns = [path("__boom__/", raising_view), *cms.urls.urlpatterns]


def settings_names() -> list[str]:
    return [name for name in dir(settings) if name.isupper() and "_" in name]


def assert_reveals_nothing(body: str) -> None:
    assert "Traceback" not in body
    assert LEAK_MARKER not in body
    assert settings.SECRET_KEY not in body
    leaked = [name for name in settings_names() if name in body]
    assert leaked == []


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_reveals_no_traceback_or_settings():
    client = Client(raise_request_exception=False)
    response = client.get("/__boom__/")
    assert response.status_code == 500
    assert_reveals_nothing(response.content.decode())


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_uses_the_halls_own_template():
    """site/templates/500.html: the hall's page, not Django's bare fallback."""
    client = Client(raise_request_exception=False)
    response = client.get("/__boom__/")
    assert "500.html" in [template.name for template in response.templates]


@pytest.mark.django_db
def test_not_found_page_reveals_nothing(client):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    assert_reveals_nothing(response.content.decode())


# --- A2: transport, headers and cookies under the production settings ---


@pytest.fixture
def production_security():
    with override_settings(**production_security_settings()):
        yield


@pytest.mark.django_db
def test_https_responses_carry_the_security_headers(client, production_security):
    response = client.get("/", secure=True)
    assert response.status_code == 200

    hsts = re.fullmatch(
        r"max-age=(\d+); includeSubDomains(; preload)?",
        response["Strict-Transport-Security"],
    )
    assert hsts and int(hsts.group(1)) >= 365 * 24 * 60 * 60
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production_security):
    response = client.get("/policies/?page=2", secure=False)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/policies/?page=2"
    assert "Strict-Transport-Security" not in response  # only sent over HTTPS


def set_cookie_lines(response) -> list[str]:
    """The Set-Cookie headers exactly as the WSGI handler sends them."""
    return [morsel.output(header="").strip() for morsel in response.cookies.values()]


def cookie_attributes(line: str) -> tuple[str, set[str], dict[str, str]]:
    """A Set-Cookie line's name, its flags (secure, httponly) and its valued
    attributes (path, samesite, ...), attribute names lower-cased."""
    name = SimpleCookie(line.split(";", 1)[0]).popitem()[0]
    flags, values = set(), {}
    for part in line.split(";")[1:]:
        key, has_value, value = part.strip().partition("=")
        if has_value:
            values[key.lower()] = value
        else:
            flags.add(key.lower())
    return name, flags, values


@pytest.mark.django_db
def test_login_cookies_are_secure_host_only_and_samesite(production_security):
    user = make_user()
    client = Client()
    form = client.get(reverse("accounts:login"), secure=True)
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302

    lines = set_cookie_lines(form) + set_cookie_lines(response)
    names = {cookie_attributes(line)[0] for line in lines}
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= names
    for line in lines:
        name, flags, values = cookie_attributes(line)
        assert name.startswith("__Host-"), line
        assert "secure" in flags, line
        assert "domain" not in values, line
        assert values.get("path") == "/", line
        assert values.get("samesite") in ("Lax", "Strict"), line
        if name == settings.SESSION_COOKIE_NAME:
            assert "httponly" in flags, line


@pytest.mark.django_db
def test_language_cookie_is_secure_too(production_security):
    client = Client()
    responses = [
        client.post(
            reverse("set_language"), {"language": "en", "next": "/"}, secure=True
        ),
        client.get(reverse("switch_language", args=["en"]), {"next": "/"}, secure=True),
    ]
    for response in responses:
        assert response.status_code == 302
        [line] = [
            line
            for line in set_cookie_lines(response)
            if cookie_attributes(line)[0] == settings.LANGUAGE_COOKIE_NAME
        ]
        name, flags, values = cookie_attributes(line)
        assert name.startswith("__Host-") and "secure" in flags and "httponly" in flags
        assert values.get("samesite") == "Lax" and "domain" not in values
        assert values.get("path") == "/"


# --- A3: Content-Security-Policy ---

REQUIRED_CSP = ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'")


def assert_csp(response) -> None:
    policy = response["Content-Security-Policy"]
    for directive in REQUIRED_CSP:
        assert directive in policy, policy
    assert "Content-Security-Policy-Report-Only" in response


@pytest.mark.django_db
def test_public_pages_send_the_content_security_policy(client):
    policy = make_policy()
    for url in ("/", policy.url, reverse("accounts:login"), "/admin/login/"):
        with_header = client.get(url)
        assert with_header.status_code == 200, url
        assert_csp(with_header)


@pytest.mark.django_db
def test_wagtail_admin_edit_page_renders_under_the_policy():
    zhujian = make_department_with_content("cspmarker", **ZHUJIAN)
    client = client_for(make_staff(zhujian.department))
    response = client.get(admin_url("edit", zhujian.policy.pk))
    assert response.status_code == 200
    assert 'id="page-edit-form"' in response.content.decode()
    assert_csp(response)
    # The enforced policy leaves scripts and styles alone: the admin needs them
    # inline until the report-only policy comes back clean.
    enforced = response["Content-Security-Policy"]
    assert "script-src" not in enforced and "default-src" not in enforced


# --- A5: only the surfaces the hall uses are mounted ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/django-admin/", "/api/v3-preview/openapi.json", "/api/v2/openapi.json"]
)
def test_unused_admin_and_api_surfaces_are_not_mounted(client, url):
    assert client.get(url).status_code == 404


def test_django_admin_is_not_routed():
    """contrib.admin is installed for wagtail-modeladmin's list filters only."""
    assert "admin.site.urls" not in Path(cms.urls.__file__).read_text()
    for url in ("/django-admin/", "/admin/auth/user/", "/admin/auth/group/"):
        try:
            view_module = resolve(url).func.__module__
        except Resolver404:
            continue
        assert not view_module.startswith("django.contrib.admin"), url


# --- C4: no personal data in caches, no cookies on public pages ---


@pytest.mark.django_db
def test_admin_pages_are_not_cached():
    zhujian = make_department_with_content("cachemarker", **ZHUJIAN)
    client = client_for(make_staff(zhujian.department))
    response = client.get(admin_url("edit", zhujian.policy.pk))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_anonymous_public_pages_set_no_cookie(client):
    """A cookie on a public page would be cached and shared by a proxy (Django
    CVE-2026-48588 class)."""
    policy = make_policy()
    for url in ("/", policy.url, "/policies/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert set_cookie_lines(response) == [], url


@pytest.mark.django_db
def test_the_admin_sends_no_staff_e_mail_hashes_to_gravatar(client):
    """PIPL: avatars would otherwise be fetched from gravatar.com by e-mail hash."""
    from cms.accounts.models import User
    from tests.factories import make_user

    client.force_login(
        make_user(kind=User.Kind.STAFF, is_superuser=True, is_staff=True)
    )
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode()
