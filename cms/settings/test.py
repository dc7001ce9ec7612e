"""Test settings: fast and isolated. DATABASE_URL and REDIS_URL still switch engines,
so the same suite runs on SQLite and on PostgreSQL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

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
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LANGUAGE_CODE = "zh-hans"

# Serve static files straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
