"""Test settings: fast and isolated. DATABASE_URL and REDIS_URL still switch engines,
so the same suite runs on SQLite and on PostgreSQL."""

import os
import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "cms.core.sms.MemorySMSBackend"
_TMP = Path(tempfile.mkdtemp(prefix="harbor-test-"))
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "forms.applying.storage.PrivateFileStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Admin tests sign staff in with force_login; the second factor's own tests
# switch the requirement on (tests/cms/accounts/test_second_factor.py).
STAFF_OTP_REQUIRED = False
LANGUAGE_CODE = "zh-hans"
# Off unless a test switches them on (tests/cms/test_page_cache.py,
# tests/cms/test_fragment_cache.py): query budgets
# and tests that change rows without signals measure the pages themselves.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", False)

# Serve static files straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each pytest-xdist worker gets its own Redis database: tests clear the cache, and
# Redis clears a whole database at once, whatever the key prefix.
if REDIS_URL:  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _database = int(_url.path.strip("/") or 0) + _worker
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_database}"))  # noqa: F405
    CACHES["pages"]["LOCATION"] = CACHES["default"]["LOCATION"]  # noqa: F405

# Never a real cluster's alias: with ELASTICSEARCH_URL exported, each test run
# (each xdist worker) rebuilds and deletes the indices of its own alias only.
ELASTICSEARCH_INDEX_ALIAS = f"harbor-test-{uuid.uuid4().hex[:12]}"
