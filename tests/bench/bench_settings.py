"""Settings of tests/bench/submit_bench.py: development settings without debug, on
a throwaway database and throwaway media folders, plus Wagtail's stock form
builder (wagtail.contrib.forms) and a one-model app to compare against.

BENCH_DIR (set by the bench) holds the SQLite file and the media folders;
DATABASE_URL switches to PostgreSQL, on a database named ``<name>_submit_bench``
that the bench creates and drops.
"""

import os
from pathlib import Path

import dj_database_url

from cms.settings.dev import *  # noqa: F403

DEBUG = False
BENCH_DIR = Path(os.environ["BENCH_DIR"])
_database = dj_database_url.config(
    env="DATABASE_URL", default=f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
)
if "sqlite" not in _database["ENGINE"]:
    _database["NAME"] = f"{_database['NAME']}_submit_bench"
else:
    # As shipped: WAL, IMMEDIATE transactions and a busy timeout (base settings).
    _database["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))  # noqa: F405
DATABASES = {"default": _database}

MEDIA_ROOT = BENCH_DIR / "media"
PRIVATE_MEDIA_ROOT = BENCH_DIR / "private"
STORAGES["private"] = {  # noqa: F405
    "BACKEND": "forms.applying.storage.PrivateFileStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
# Logins are set-up, not measured: a fast hasher keeps 200 of them short.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [  # noqa: F405
    *INSTALLED_APPS,  # noqa: F405
    "wagtail.contrib.forms",
    "tests.bench.stock_forms",
]
