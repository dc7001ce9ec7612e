"""Public pages under gunicorn, against a stock Wagtail project serving the same bodies.

    python tests/bench/page_bench.py                     # 3 rounds, 4 s per run
    python tests/bench/page_bench.py --rounds 5 --seconds 6 --concurrency 8
    REDIS_URL=redis://127.0.0.1:6379/10 DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \\
        python tests/bench/page_bench.py

Builds everything in a temporary folder:

- **ours**: the production settings (DEBUG off, manifest static files, the
  security middleware, database tasks) on a throwaway database (SQLite, or
  ``<name>_page_bench`` on the server of DATABASE_URL) with the demo city
  loaded, served twice by gunicorn (2 workers each): once with the full-page
  cache on and once with PAGE_CACHE_ENABLED=0. REDIS_URL, when set, is the
  cache of both, as in production.
- **stock**: a minimal project as ``wagtail start`` makes it (its apps and
  middleware, DEBUG off, the same database engine), with one page model whose
  template prints a stored HTML body. For each of our pages it holds a page at
  the same depth whose body is exactly what our page sent, so both sides send
  the same bytes and only the work behind them differs. Its page API is
  Wagtail's stock ``PagesAPIViewSet``, listing as many pages as ours.

Then, for ``--rounds`` rounds, every page is measured with ``ab -c
CONCURRENCY -t SECONDS`` (apache2-utils) on the three servers in turn, the
order rotating each round, so that other work on the machine weighs on all of
them alike. Prints requests per second (median over rounds) and, per round,
the ratios ours / stock, as ranges.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.harness import free_port, start_gunicorn  # noqa: E402

PAGES = ["home", "policy", "guide", "notice", "services", "search", "api"]
API_QUERY = "/api/v2/pages/?limit=20"

OURS_SETTINGS = """
import os
from pathlib import Path

import dj_database_url

from cms.settings.production import *  # noqa: F403

BENCH_DIR = Path(os.environ["BENCH_DIR"])
_database = dj_database_url.config(
    env="DATABASE_URL", default=f"sqlite:///{BENCH_DIR / 'ours.sqlite3'}"
)
if "sqlite" in _database["ENGINE"]:
    _database["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
else:
    _database["NAME"] = f"{_database['NAME']}_page_bench"
    _database["CONN_MAX_AGE"] = 60
DATABASES = {"default": _database}
# Served over plain HTTP on 127.0.0.1: no redirect to HTTPS.
SECURE_SSL_REDIRECT = False
MEDIA_ROOT = BENCH_DIR / "media"
PRIVATE_MEDIA_ROOT = BENCH_DIR / "private"
STATIC_ROOT = BENCH_DIR / "static"
STORAGES["private"]["OPTIONS"] = {"location": PRIVATE_MEDIA_ROOT}
# Hashed names from a manifest, as in production, without compressing every
# file of the admin first (which changes nothing for a page).
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}
# The demo loads with its index built inline; serving is unaffected.
DEMO_ENABLED = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
"""

STOCK_SETTINGS = """
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "stock-bench-" + "x" * 50
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "stockpages",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
ROOT_URLCONF = "stock_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
_database = dj_database_url.config(
    env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'stock.sqlite3'}"
)
if "sqlite" not in _database["ENGINE"]:
    _database["NAME"] = f"{_database['NAME']}_page_bench_stock"
    _database["CONN_MAX_AGE"] = 60
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
WAGTAIL_SITE_NAME = "stock"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
"""

STOCK_URLS = """
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
urlpatterns = [path("api/v2/", api_router.urls), path("", include(wagtail_urls))]
"""

STOCK_MODELS = """
from django.db import models
from wagtail.models import Page


class BodyPage(Page):
    body = models.TextField(blank=True)
"""

STOCK_TEMPLATE = "{{ page.body|safe }}"

STOCK_BUILD = """
import json
import sys

import django

django.setup()
from wagtail.models import Page, Site

from stockpages.models import BodyPage

bodies = json.load(open(sys.argv[1], encoding="utf-8"))
root = Page.objects.get(depth=1)
for page in Page.objects.filter(depth=2):
    page.delete()
home = root.add_child(instance=BodyPage(title="home", slug="home", body=bodies["home"]))
Site.objects.update_or_create(
    is_default_site=True,
    defaults={"hostname": "127.0.0.1", "port": 80, "root_page": home},
)
module = home.add_child(instance=BodyPage(title="module", slug="module", body=""))
for name in ("policy", "guide", "services", "search"):
    parent = module if name in ("policy", "guide") else home
    page = parent.add_child(instance=BodyPage(title=name, slug=name, body=bodies[name]))
    if name == "guide":
        page.add_child(
            instance=BodyPage(title="notice", slug="notice", body=bodies["notice"])
        )
# As many pages as our API lists.
for index in range(int(sys.argv[2])):
    module.add_child(instance=BodyPage(title=f"filler {index}", slug=f"f{index}"))
for page in BodyPage.objects.all():
    page.save_revision().publish()
"""


# load_demo, with the region files found where the repository keeps them
# (forms/data/) should forms.builder.fields still look beside itself.
LOAD_DEMO = """
from pathlib import Path

import django

django.setup()
import forms.builder.fields as fields
from django.core.management import call_command

data = Path(fields.__file__).resolve().parents[1] / "data"
for name in ("REGIONS_FILE", "REGION_HISTORY_FILE"):
    path = getattr(fields, name, None)
    if path is not None and not path.exists() and (data / path.name).exists():
        setattr(fields, name, data / path.name)
call_command("load_demo")
"""


def run(command: list[str], env: dict, cwd: Path = ROOT) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True)  # noqa: S603


def postgres_database(env: dict, suffix: str, drop_only: bool = False) -> None:
    """Create (or drop) ``<name><suffix>`` on the server of DATABASE_URL."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(env["DATABASE_URL"])
    name = f"{config['NAME']}{suffix}"
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
        assert response.status == 200, (url, response.status)
        return response.read()


AB_RATE = re.compile(r"Requests per second:\s+([\d.]+)")
AB_NON_2XX = re.compile(r"Non-2xx responses:\s+(\d+)")
AB_FAILED = re.compile(r"Failed requests:\s+(\d+)")


def ab(url: str, concurrency: int, seconds: float = 0, requests: int = 0) -> float:
    """Requests per second of ``ab`` over ``seconds`` (or ``requests`` requests)."""
    limit = ["-t", str(seconds), "-n", "1000000"] if seconds else ["-n", str(requests)]
    output = subprocess.run(  # noqa: S603
        ["ab", "-q", "-c", str(concurrency), *limit, "-s", "60", url],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    non_2xx = AB_NON_2XX.search(output)
    failed = AB_FAILED.search(output)
    rate = AB_RATE.search(output)
    if rate is None or non_2xx or (failed and int(failed.group(1))):
        raise SystemExit(f"ab failed on {url}:\n{output}")
    return float(rate.group(1))


def build_ours(env: dict) -> dict[str, str]:
    """Migrate, load the demo, collect static files; our page addresses."""
    run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], env)
    started = time.monotonic()
    run([sys.executable, "-c", LOAD_DEMO], env)
    print(f"demo loaded in {time.monotonic() - started:.0f} s")
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    code = textwrap.dedent(
        """
        import json, django
        django.setup()
        from tests.bench.page_queries import page_addresses
        print(json.dumps(page_addresses()))
        """
    )
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(output.strip().splitlines()[-1])
    # ab and urllib want the search words percent-encoded.
    return {
        name: quote(found[name], safe="/?=&%") for name in PAGES if name in found
    } | {"api": API_QUERY}


def build_stock(workdir: Path, env: dict, bodies: dict[str, str], api_count: int):
    stock = workdir / "stock"
    app = stock / "stockpages"
    (app / "templates" / "stockpages").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(STOCK_MODELS)
    (app / "templates" / "stockpages" / "body_page.html").write_text(STOCK_TEMPLATE)
    (stock / "stock_settings.py").write_text(STOCK_SETTINGS)
    (stock / "stock_urls.py").write_text(STOCK_URLS)
    (stock / "build.py").write_text(STOCK_BUILD)
    (stock / "bodies.json").write_text(json.dumps(bodies), encoding="utf-8")
    django_admin = [sys.executable, "-m", "django"]
    run([*django_admin, "makemigrations", "stockpages", "-v", "0"], env, cwd=stock)
    run([*django_admin, "migrate", "-v", "0"], env, cwd=stock)
    run(
        [sys.executable, "build.py", "bodies.json", str(max(api_count - 7, 0))],
        env,
        cwd=stock,
    )
    return stock


def stock_addresses() -> dict[str, str]:
    return {
        "home": "/",
        "policy": "/module/policy/",
        "guide": "/module/guide/",
        "notice": "/module/guide/notice/",
        "services": "/services/",
        "search": "/search/",
        "api": API_QUERY,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0, help="per ab run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()
    if not shutil.which("ab"):
        raise SystemExit("ab not found: apt-get install -y apache2-utils")

    workdir = Path(tempfile.mkdtemp(prefix="page-bench-"))
    (workdir / "ours_bench_settings.py").write_text(OURS_SETTINGS)
    from cryptography.fernet import Fernet

    base_env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "PAGE_CACHE_ENABLED")
    }
    ours_env = {
        **base_env,
        "BENCH_DIR": str(workdir),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{workdir}",
        "DJANGO_SETTINGS_MODULE": "ours_bench_settings",
        "SECRET_KEY": "page-bench-" + "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "CARD_SIGNING_KEYS": "A" * 43,
        "DATA_HASH_KEY": "h" * 40,
        "TASKS_BACKEND": "immediate",
    }
    stock_env = {
        **base_env,
        "PYTHONPATH": str(workdir / "stock"),
        "DJANGO_SETTINGS_MODULE": "stock_settings",
    }
    postgres = "postgres" in base_env.get("DATABASE_URL", "")
    servers: dict[str, subprocess.Popen] = {}
    logs = []
    try:
        if postgres:
            postgres_database(base_env, "_page_bench")
            postgres_database(base_env, "_page_bench_stock")
        if base_env.get("REDIS_URL"):
            run(
                [
                    sys.executable,
                    "-c",
                    "import django; django.setup(); from django.core.cache import"
                    " caches; caches['pages'].clear()",
                ],
                ours_env,
            )
        ours = build_ours(ours_env)

        ports = {name: free_port() for name in ("stock", "ours", "ours+cache")}
        for name, enabled in (("ours", "0"), ("ours+cache", "1")):
            log = (workdir / f"{name}.log").open("wb")
            logs.append(log)
            servers[name] = start_gunicorn(
                "cms.wsgi",
                ports[name],
                args.workers,
                {**ours_env, "PAGE_CACHE_ENABLED": enabled},
                ROOT,
                log,
            )
        base = f"http://127.0.0.1:{ports['ours']}"
        bodies = {
            name: fetch(base + address).decode()
            for name, address in ours.items()
            if name != "api"
        }
        api_count = len(json.loads(fetch(base + API_QUERY))["items"])
        stock_dir = build_stock(workdir, stock_env, bodies, api_count)
        log = (workdir / "stock.log").open("wb")
        logs.append(log)
        servers["stock"] = start_gunicorn(
            "django.core.wsgi:get_wsgi_application()",
            ports["stock"],
            args.workers,
            stock_env,
            stock_dir,
            log,
        )
        stock = stock_addresses()
        for name in PAGES:
            if name == "api":
                continue
            mine = fetch(base + ours[name])
            theirs = fetch(f"http://127.0.0.1:{ports['stock']}{stock[name]}")
            assert mine == theirs, f"{name}: the stock page does not send our body"

        urls = {
            (server, page): f"http://127.0.0.1:{ports[server]}"
            + (stock if server == "stock" else ours)[page]
            for server in ports
            for page in PAGES
        }
        print(
            f"\n{os.cpu_count()} CPUs, {args.workers} gunicorn workers per server, "
            f"ab -c {args.concurrency} -t {args.seconds:g}, {args.rounds} rounds, "
            f"database {'PostgreSQL' if postgres else 'SQLite'}, cache "
            f"{'Redis' if base_env.get('REDIS_URL') else 'local memory'}"
        )
        for url in urls.values():
            ab(url, args.concurrency, requests=4 * args.concurrency)  # warm up
        rates: dict[tuple[str, str], list[float]] = {key: [] for key in urls}
        order = list(ports)
        for round_index in range(args.rounds):
            for page in PAGES:
                for server in order:
                    rates[(server, page)].append(
                        ab(urls[(server, page)], args.concurrency, seconds=args.seconds)
                    )
            order = order[1:] + order[:1]
            print(f"round {round_index + 1} done")
        report(rates, ours)
    finally:
        for process in servers.values():
            process.send_signal(signal.SIGTERM)
        for process in servers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
        if postgres:
            postgres_database(base_env, "_page_bench", drop_only=True)
            postgres_database(base_env, "_page_bench_stock", drop_only=True)
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(rates: dict[tuple[str, str], list[float]], ours: dict[str, str]) -> None:
    def span(values: list[float]) -> str:
        low, high = min(values), max(values)
        return (
            f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}–{high:.2f}"
        )

    print(
        f"\n{'page':<10}{'stock r/s':>10}{'ours r/s':>10}{'cached r/s':>11}"
        f"{'ours/stock':>14}{'cached/stock':>15}   address"
    )
    for page in PAGES:
        stock = rates[("stock", page)]
        mine = rates[("ours", page)]
        cached = rates[("ours+cache", page)]
        plain = [m / s for m, s in zip(mine, stock, strict=True)]
        fast = [c / s for c, s in zip(cached, stock, strict=True)]
        print(
            f"{page:<10}{statistics.median(stock):>10.1f}"
            f"{statistics.median(mine):>10.1f}{statistics.median(cached):>11.1f}"
            f"{span(plain):>14}{span(fast):>15}   {ours[page]}"
        )


if __name__ == "__main__":
    main()
