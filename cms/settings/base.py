"""Settings shared by every environment.

Everything here works with no environment at all (the embedded default: SQLite,
Wagtail database search, immediate background tasks, local-memory cache, private
media folder, console e-mail and SMS). Environment variables switch engines; they
are read in this package only.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


# Development-only key; production.py refuses to start without SECRET_KEY.
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "dev-only-insecure-key-change-me-talent-harbor"
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours
    "cms.core",
    "cms.accounts",
    "cms.departments",
    "cms.home",
    "cms.policies",
    "cms.services",
    "cms.news",
    "cms.api",
    "forms",
    "search",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    # English versions of pages and snippets: copies in the "en" locale edited
    # in the ordinary editor, under the same rights and workflow (docs/content.md).
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with staff fields in its user forms (cms/accounts/admin_users.py).
    "cms.accounts.apps.HarborUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    # Only for the static files of the application API's docs page (/api/v1/docs).
    "ninja",
    # Third party
    "guardian",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "import_export",
    "django_tasks",
    # Django. contrib.admin is installed for the list filters that wagtail-modeladmin
    # borrows from it; its URLs are never mounted (docs/security.md A5).
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the cache: inside the HTTPS redirect and the
    # security headers, before everything a cached page does not need
    # (cms/core/pagecache.py).
    "cms.core.pagecache.PageCacheMiddleware",
    # Before anything reads a request body (sessions do not, CSRF does).
    "forms.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware with the hall's rule for unprefixed page paths
    # (cms/core/i18n.py).
    "cms.core.i18n.HallLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    "cms.accounts.middleware.SessionTimeoutMiddleware",
    # Before the password expiry check, so the second factor comes first.
    "cms.accounts.otp.StaffSecondFactorMiddleware",
    "cms.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

# Widgets render through TEMPLATES, so site/templates can hold the form engine's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite by default, DATABASE_URL switches (e.g. to PostgreSQL) ---
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers writing at once (a deadline day): WAL lets readers go on,
    # IMMEDIATE takes the write lock at BEGIN instead of failing mid-transaction
    # with "database is locked", and the timeout lets writers queue.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory by default, REDIS_URL switches to Redis ---
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "harbor",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole pages for anonymous visitors (cms/core/pagecache.py) in a cache of their
# own, so that many pages never evict the rate-limit counters of "default".
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "harbor-pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "harbor-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
# On by default; PAGE_CACHE_ENABLED=0 switches it off. Entries are invalidated
# exactly by signals; the timeout only bounds what no signal reports (the live
# figures on the home page) and, with a local-memory cache and several
# processes, how long another process may serve a page from before a change.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = 5 * 60
# Cache-Control max-age of cached pages, for browsers, proxies and CDNs, which no
# signal reaches unless a front-end cache purge is configured (production.py).
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
PAGE_CACHE_MAX_BYTES = 2 * 1024 * 1024
# Routes of paths and rendered parts of pages (cms/core/fragments.py), for
# every visitor, exact by the same generation as the page cache: what keeps an
# uncached page fast. FRAGMENT_CACHE_ENABLED=0 switches them off.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
# Never cached, whoever asks: personal, staff and form paths, files.
PAGE_CACHE_EXCLUDED_PATHS = (
    "/admin/",
    "/accounts/",
    "/applications/",
    "/documents/",
    "/i18n/",
    "/_util/",
    "/performance/",
    "/publicity/",
    "/static/",
    "/media/",
)
PAGE_CACHE_EXCLUDED_PAGE_MODELS = ("applications.ApplicationFormPage",)
# Pages that also follow the search index; paths whose format follows Accept.
PAGE_CACHE_SEARCH_PATHS = ("/search/", "/api/search/")
PAGE_CACHE_ACCEPT_PATHS = ("/api/",)

# --- Search: Wagtail's own search (admin, choosers) is its database backend with
# Chinese text segmented by the hall's analyser (search/wagtail_backend.py).
# ELASTICSEARCH_URL enables the Elasticsearch engine of search/ (its own
# documents and mappings). ---
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_ENGINE = "elasticsearch" if ELASTICSEARCH_URL else "database"
# The alias searches read; rebuilds fill a new index behind it and swap.
ELASTICSEARCH_INDEX_ALIAS = os.environ.get(
    "ELASTICSEARCH_INDEX_ALIAS", "harbor-content"
)
# HTTPS with the cluster's own CA (an Elasticsearch 8 default install): the CA
# file or its SHA-256 fingerprint; an API key instead of user:password in the
# URL. See docs/search.md.
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_SSL_FINGERPRINT = os.environ.get("ELASTICSEARCH_SSL_FINGERPRINT", "")
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")

# --- Background tasks (index sync, notifications) ---
# "immediate" runs a task inline after commit: the embedded default. "database"
# queues it in the database for `python manage.py db_worker` (production).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {
    "default": {"BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "immediate")]}
}

# --- Users, authentication, passwords (docs/security.md B1, B2) ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials on every login path.
    "axes.backends.AxesStandaloneBackend",
    "cms.accounts.backends.MobileOrEmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian would otherwise create an "AnonymousUser" account; object rights
# are never granted to anonymous visitors here.
ANONYMOUS_USER_NAME = None
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "real_name", "email", "mobile")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cms.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "cms.accounts.passwords.CharacterClassValidator"},
    {"NAME": "cms.accounts.passwords.ContextWordValidator"},
]
# Staff passwords expire (MLPS 8.1.4.1 a; the ASVS deviation is recorded in README).
STAFF_PASSWORD_MAX_AGE = timedelta(days=90)
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour (docs/security.md B4)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Keyed on username and IP together, so an attacker cannot lock out arbitrary users.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "cms.accounts.backends.axes_username"
# Reverse proxies in front of the site that append to X-Forwarded-For; 0 means
# none, and the header is ignored (a client could write anything in it).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "cms.core.client_ip.client_ip"

# --- Second factor for staff (django-otp: TOTP, recovery codes) ---
# On: everyone who can reach the admin must pass a verified device (a TOTP app or
# a recovery code) before any page; production always sets it. Tests switch it
# on where they test it.
STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", False)
OTP_TOTP_ISSUER = "人才港湾 Talent Harbor"
RECOVERY_CODE_COUNT = 10

# --- Sessions (docs/security.md C1, C2) ---
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)

# --- Verification codes and SMS (pluggable; the default writes to the log) ---
SMS_BACKEND = os.environ.get("SMS_BACKEND", "cms.core.sms.LogSMSBackend")
# cms.core.sms.HTTPSMSBackend: the city's SMS gateway (JSON, HMAC-SHA256 signed).
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = os.environ.get("SMS_GATEWAY_KEY", "")
SMS_GATEWAY_SIGN_NAME = os.environ.get("SMS_GATEWAY_SIGN_NAME", "")
SMS_GATEWAY_TIMEOUT = 10
VERIFICATION_CODE_TTL = timedelta(minutes=10)
VERIFICATION_CODE_SEND_LIMIT = 5  # per mobile number per hour (docs/security.md B2)
VERIFICATION_CODE_IP_SEND_LIMIT = 20  # per client IP per hour
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@talent-harbor.local")

# --- Internationalisation: Chinese first, English available ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# site/locale_upstream fills only the msgids Wagtail, its companions and Django use but
# ship untranslated or fuzzy (tests/i18n/upstream_gaps.py lists them); it comes after
# site/locale so the project's own catalogue wins, and it outranks the apps' catalogues
# only where they have nothing, which tests/i18n/test_upstream_overlay.py enforces.
LOCALE_PATHS = [SITE_DIR / "locale", SITE_DIR / "locale_upstream"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Content in both languages: a page's address carries its locale ("/en/..." for
# English, no prefix for Chinese); cms/core/i18n.py has the rules.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [SITE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Public media: Wagtail images and policy documents only.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# Applicant files: outside MEDIA_ROOT and never served by URL (docs/security.md F5).
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private")
)
STORAGES["private"] = {
    "BACKEND": "forms.applying.storage.PrivateFileStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 30
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- Applications (forms/) ---
# Receipt numbers read PREFIX-YEAR-NNNNNN, e.g. QZRC-2026-000123.
APPLICATION_RECEIPT_PREFIX = os.environ.get("APPLICATION_RECEIPT_PREFIX", "QZRC")
# Drafts untouched for this many days are deleted with their files (purge_drafts).
APPLICATION_DRAFT_RETENTION_DAYS = int(
    os.environ.get("APPLICATION_DRAFT_RETENTION_DAYS", "30")
)
# The largest request an applicant may send, files included (every upload also has
# its field's own limit); the proxy in front should refuse bigger bodies first.
APPLICATION_MAX_REQUEST_SIZE = 60 * 1024 * 1024
# App sign-ins (forms/api/tokens.py): a stolen access token works minutes only;
# the refresh token keeps the app signed in at most this long since sign-in.
API_ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
API_REFRESH_TOKEN_LIFETIME = timedelta(days=30)
# Fernet keys for personal data at rest, newest first (rotation: prepend a new key,
# run `rotate_data_keys`, then drop the old one). Without it, development and tests
# derive a key from SECRET_KEY; production refuses to start (docs/security.md G2).
DATA_ENCRYPTION_KEYS = env_list("DATA_ENCRYPTION_KEYS")
# Key of the blind index (HMAC-SHA256) used to look up ID numbers without storing them.
DATA_HASH_KEY = os.environ.get("DATA_HASH_KEY", "")
# Ed25519 keys that sign the digital talent card (港湾卡), newest first: each is the
# base64url 32-byte private seed. Rotation: prepend a new key (new cards use it),
# drop the old one once its cards have expired. Without it, development and tests
# derive a key from SECRET_KEY; production refuses to start (docs/cards.md).
CARD_SIGNING_KEYS = env_list("CARD_SIGNING_KEYS")
# Stored files no application refers to are left by crashes; purge_drafts removes
# them once they are this old (docs/security.md F7).
APPLICATION_ORPHAN_FILE_HOURS = 24

# --- Casework (forms/): limits of the public side, notifications, records ---
PROGRESS_LOOKUP_IP_LIMIT = 10  # progress lookups per address per 10 minutes
PROGRESS_LOOKUP_RECEIPT_LIMIT = 5  # wrong tries per receipt number per hour
PUBLICITY_OBJECTION_LIMIT = 5  # objections per address per hour
NOTIFICATION_MAX_ATTEMPTS = 5  # e-mail/SMS tries before a delivery stays failed
NOTIFICATION_RETRY_MINUTES = 5  # first retry delay, doubled each time
NOTIFICATION_DIGEST_LIST_LIMIT = 50  # receipt numbers listed per digest section
RATING_FOLLOW_UP_DAYS = 5  # working days to follow up a poor rating
SERVICE_PERFORMANCE_CACHE_SECONDS = 300  # public performance pages
TALENT_CERTIFICATE_PREFIX = "RC"  # talent certificates RC-YYYY-NNNNN
TALENT_CERTIFICATE_VALID_YEARS = 5

# --- Wagtail ---
WAGTAIL_SITE_NAME = "人才港湾"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Policy documents only; no archives, whose contents cannot be checked (F6).
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Private pages and collections by login or group only, never a shared password.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Private pages and documents send visitors to our own login page (mobile, e-mail,
# reset links) instead of Wagtail's bare one at /_util/login/, which stays mounted.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# The admin's own account page checks the current password without counting
# failures; staff change theirs at /accounts/password/change/ (locked out like a
# login after five wrong ones).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# Staff use the public, rate-limited reset at /accounts/password/reset/ (same
# accounts); Wagtail's own reset form has no limit on the e-mails it sends.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILAPI_LIMIT_MAX = 50
# Rich text in the API as display HTML (links resolved to page and document
# URLs), not Wagtail's stored format, which an app cannot follow; a client may
# still ask for ?rich_text_format=markdown.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_DOCS_ENABLED = DEBUG
WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: it would send staff e-mail hashes abroad (PIPL).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security headers that hold everywhere (production.py adds HTTPS-only ones) ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Old browsers' fallback; where CSP frame-ancestors is understood it takes over.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (docs/security.md A3), django-csp. Enforced: only directives
# that cannot break the Wagtail admin (no plugins, no <base> hijack, framing by
# this site only, which Wagtail's preview panel needs, forms post here only).
# The full policy runs report-only until the admin is walked clean under it.
_csp_report_uri = os.environ.get("CSP_REPORT_URI", "")
_csp_reporting = {"report-uri": [_csp_report_uri]} if _csp_report_uri else {}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": None,  # django-csp would otherwise add default-src 'self'
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        **_csp_reporting,
    }
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        **_csp_reporting,
    }
}

# --- Demo city: `load_demo` creates accounts with a published password ---
DEMO_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "harbor": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
        },
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}
