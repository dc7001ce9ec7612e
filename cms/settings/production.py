"""Production: refuses to start without SECRET_KEY and ALLOWED_HOSTS, HTTPS only.

`DJANGO_SETTINGS_MODULE=cms.settings.production python manage.py check --deploy
--fail-level WARNING` passes with nothing silenced
(tests/cms/test_security_settings.py runs it). docs/security.md A1, A2.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable to a random value of at least 50 "
        "characters (not a 'django-insecure' key), e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(60))'."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the ALLOWED_HOSTS environment variable to the site's host names, "
        "comma-separated, e.g. hall.example.cn ('*' is refused)."
    )

# Never from the environment: one stray DEBUG=1 would show tracebacks and
# settings to the public.
DEBUG = False
WAGTAILAPI_DOCS_ENABLED = False
# Links in moderation e-mails point at the public host, not at 127.0.0.1.
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
)

# HTTPS only (docs/security.md A2). Behind a proxy that sets X-Forwarded-Proto, set
# SECURE_PROXY_SSL_HEADER_ENABLED=1; only do so when the proxy overwrites the header.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Every cookie Secure, host-only (__Host- forbids Domain= and needs Path=/).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_NAME = "__Host-language"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "private": {
        "BACKEND": "forms.applying.storage.PrivateFileStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},  # noqa: F405
    },
}
# Read here, like SECRET_KEY: production must not inherit base's development keys.
DATA_ENCRYPTION_KEYS = env_list("DATA_ENCRYPTION_KEYS")
DATA_HASH_KEY = os.environ.get("DATA_HASH_KEY", "")
if not DATA_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "Set the DATA_ENCRYPTION_KEYS environment variable (Fernet keys, "
        "comma-separated, newest first): personal data is encrypted at rest with them."
    )
if len(DATA_HASH_KEY) < 32:
    raise ImproperlyConfigured(
        "Set the DATA_HASH_KEY environment variable (at least 32 random characters): "
        "ID numbers are looked up through a keyed hash made with it."
    )
CARD_SIGNING_KEYS = env_list("CARD_SIGNING_KEYS")
if not CARD_SIGNING_KEYS:
    raise ImproperlyConfigured(
        "Set the CARD_SIGNING_KEYS environment variable (base64url Ed25519 private "
        "keys, comma-separated, newest first): talent cards are signed with them."
    )
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
# Staff sessions need a verified second factor, whatever the environment says.
STAFF_OTP_REQUIRED = True
# Nothing silenced: a check that fires is fixed, or this list gets a written reason.
DEMO_ENABLED = False
SILENCED_SYSTEM_CHECKS: list[str] = []

# Tasks wait in the database for `python manage.py db_worker` unless told otherwise.
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")]  # noqa: F405
    }
}

# Wagtail's front-end cache purge, for a reverse proxy or CDN that keeps pages
# (cms/core/pagecache.py sends them public for PAGE_CACHE_MAX_AGE seconds): a
# published, unpublished or moved page is purged with its parent, the home page
# and its fixed sub-pages. FRONTEND_CACHE_PURGE_URLS: comma-separated addresses
# that accept HTTP PURGE (Varnish, nginx with a purge module, a CDN edge);
# FRONTEND_CACHE_CLOUDFLARE_ZONEID with FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN:
# Cloudflare. Neither set: nothing is purged and the app is not installed.
WAGTAILFRONTENDCACHE = {
    f"http{index}": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": location,
    }
    for index, location in enumerate(env_list("FRONTEND_CACHE_PURGE_URLS"))
}
if os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["FRONTEND_CACHE_CLOUDFLARE_ZONEID"],
        "BEARER_TOKEN": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", ""),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
