"""Submitting applications under load, against Wagtail's stock form page.

    python tests/bench/submit_bench.py                      # 200 from 20 clients
    python tests/bench/submit_bench.py --n 40 --concurrency 8 --workers 2
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/harbor python tests/bench/...

Builds a throwaway site (tests/bench/bench_settings.py: development settings,
DEBUG off, a temporary SQLite file or a ``<name>_submit_bench`` PostgreSQL
database, temporary media folders), with one application form of 20 fields, two
file fields and a consent on a single step, and N applicant accounts. Starts
gunicorn on a free port, signs every applicant in through the login page, then
from ``concurrency`` threads each applicant does what a browser does: open the
form page, start (303 to step 1), post the step with its 20 answers and two
200 KB PDFs (303 to the review page), submit (303 to the receipt page); every
tenth client posts "start" and "submit" twice, as a double click would.

Prints throughput (submissions per second), median and p95 latency of one whole
submission, and the applications lost (the client saw a receipt but no submitted
row exists) or duplicated (more submitted rows than receipts, a start token or a
receipt number twice), both of which must be 0, checked in the database. Then the
same 20 answers, without files, through a stock Wagtail form page
(wagtail.contrib.forms AbstractForm: one GET and one POST), and the ratio.
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.harness import free_port, percentile, start_gunicorn  # noqa: E402

PASSWORD = "Bench#Submit2026"  # noqa: S105 (throwaway accounts)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
START_TOKEN = re.compile(r'name="start_token" value="([0-9a-f-]{36})"')
RECEIPT = re.compile(r"\b[A-Z]{2,10}-\d{4}-\d{6}\b")
APPLICATION_UUID = re.compile(r"/applications/([0-9a-f-]{36})/")
FILE_SIZE = 200 * 1024
# Every tenth client posts "start" and "submit" twice, as a double click would.
DOUBLE_CLICK_EVERY = 10

# (key, our block type, extra, stock field type, stock choices)
FIELDS = [
    ("full_name", "short_text", {"prefill": "real_name"}, "singleline", ""),
    ("id_document", "personal_id", {"id_kinds": ["resident"]}, "singleline", ""),
    ("gender", "single_choice", {"choices": ["男", "女"]}, "radio", "男,女"),
    ("birth_date", "date", {"not_in_future": True}, "date", ""),
    ("nationality", "dropdown", {"choices": ["中国", "其他"]}, "dropdown", "中国,其他"),
    ("mobile", "mobile", {}, "singleline", ""),
    ("email", "email", {}, "email", ""),
    ("employer_name", "short_text", {}, "singleline", ""),
    ("employer_uscc", "uscc", {}, "singleline", ""),
    ("employer_region", "region", {"depth": "district"}, "singleline", ""),
    ("position", "short_text", {}, "singleline", ""),
    ("join_date", "date", {"not_in_future": True}, "date", ""),
    (
        "tier",
        "dropdown",
        {"choices": ["第一层次", "第二层次", "第三层次"]},
        "dropdown",
        "第一层次,第二层次,第三层次",
    ),
    ("category", "single_choice", {"choices": ["A", "B", "C"]}, "radio", "A,B,C"),
    ("skills", "multiple_choice", {"choices": ["x", "y", "z"]}, "checkboxes", "x,y,z"),
    ("has_patent", "yes_no", {}, "radio", "yes,no"),
    ("patents", "number", {"min_value": 0, "max_value": 1000}, "number", ""),
    ("salary", "number", {"min_value": 0, "max_value": 10000000}, "number", ""),
    ("address", "short_text", {"max_length": 150}, "singleline", ""),
    ("summary", "long_text", {}, "multiline", ""),
]


# --- the site under test ---


def create_postgres_database(drop_only: bool = False) -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')


def definition() -> list[dict]:
    items = [{"type": "step", "title": "申请信息", "description": ""}]
    for key, kind, extra, _stock, _choices in FIELDS:
        items.append(
            {
                "type": kind,
                "key": key,
                "label": key,
                "help_text": "",
                "required": True,
                "condition": None,
                **extra,
            }
        )
    for key in ("id_scan", "degree_certificate"):
        items.append(
            {
                "type": "file",
                "key": key,
                "label": key,
                "required": True,
                "condition": None,
                "file_types": ["pdf"],
                "max_size_mb": 1,
                "max_count": 1,
            }
        )
    items.append({"type": "consent", "key": "consent", "label": "同意", "notice": "."})
    return items


def build_site(n: int) -> tuple[str, str]:
    """Migrate, create both forms and the applicants; return the two form URLs."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from wagtail.models import Page

    from cms.accounts.models import User
    from cms.home.bootstrap import ensure_hall
    from cms.home.models import HomePage
    from forms.builder.definition import (
        stream_data_from_definition,
        validate_definition,
    )
    from forms.models import ApplicationFormPage
    from tests.bench.stock_forms.models import StockFormField, StockFormPage

    call_command("migrate", verbosity=0)
    ensure_hall()
    home = HomePage.objects.order_by("path").first()

    items = definition()
    validate_definition(items)
    page = ApplicationFormPage(
        title="基准测试申请表",
        slug="bench-form",
        applicant_kinds="talent",
        confirmation_text="我们将在 1 个工作日内完成受理。",
        form_fields=stream_data_from_definition(items),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    assert page.versions.count() == 1

    stock = StockFormPage(title="Stock form", slug="stock-form")
    Page.objects.get(pk=home.pk).add_child(instance=stock)
    for order, (key, _kind, _extra, stock_type, choices) in enumerate(FIELDS):
        StockFormField.objects.create(
            page=stock,
            sort_order=order,
            label=key,
            field_type=stock_type,
            required=True,
            choices=choices,
        )
    stock.save_revision().publish()
    names = [field.clean_name for field in stock.get_form_fields()]
    assert names == [key for key, *_rest in FIELDS], names

    hashed = make_password(PASSWORD)
    User.objects.bulk_create(
        User(
            username=f"bench-{index:04d}",
            email=f"bench-{index:04d}@example.com",
            real_name=f"测试{index:04d}",
            kind=User.Kind.TALENT,
            password=hashed,
        )
        for index in range(n)
    )
    return page.url, stock.url


# --- the clients ---


@dataclass
class Outcome:
    ok: bool
    seconds: float
    start_token: str = ""
    receipt: str = ""
    application: str = ""
    error: str = ""
    phases: dict = field(default_factory=dict)

    def lap(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.phases[name] = now - since
        return now


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def log_in(session, base: str, username: str) -> None:
    page = session.get(f"{base}/accounts/login/", timeout=60)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_of(page.text),
        },
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} failed: {response.status_code}")


def answers(index: int) -> dict[str, str | list[str]]:
    from cms.core.identifiers import resident_id_check_char
    from cms.demo.people import build_uscc

    birth = f"19{70 + index % 30:02d}0{1 + index % 9}1{index % 9}"
    first17 = f"350503{birth}{index % 1000:03d}"
    return {
        "full_name": f"测试{index:04d}",
        "id_document-kind": "resident",
        "id_document-number": first17 + resident_id_check_char(first17),
        "gender": "男" if index % 2 else "女",
        "birth_date": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
        "nationality": "中国",
        "mobile": f"139{index:08d}",
        "email": f"bench-{index:04d}@example.com",
        "employer_name": "泉州清源新材料科技有限公司",
        "employer_uscc": build_uscc("91", "350503", "MA2Y8K3L"),
        "employer_region-province": "350000",
        "employer_region-city": "350500",
        "employer_region-district": "350503",
        "position": "研发工程师",
        "join_date": "2021-03-01",
        "tier": "第二层次",
        "category": "B",
        "skills": ["x", "z"],
        "has_patent": "yes",
        "patents": str(index % 50),
        "salary": "360000",
        "address": f"丰泽区东海街道通港西街 {index} 号",
        "summary": "长期从事高分子复合材料研究。" * 10,
    }


def stock_answers(index: int) -> dict[str, str | list[str]]:
    ours = answers(index)
    stock = {key: ours.get(key) for key, *_rest in FIELDS}
    stock["id_document"] = ours["id_document-number"]
    stock["employer_region"] = "福建省 泉州市 丰泽区"
    return stock


def submit_ours(session, base: str, form_url: str, index: int, pdfs) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(False, 0.0)
    try:
        lap = started
        landing = session.get(base + form_url, timeout=120)
        landing.raise_for_status()
        lap = outcome.lap("form page", lap)
        token = START_TOKEN.search(landing.text)
        if not token:
            raise RuntimeError("no start token on the form page")
        outcome.start_token = token.group(1)
        step = session.post(
            f"{base}{form_url}start/",
            data={
                "start_token": outcome.start_token,
                "csrfmiddlewaretoken": csrf_of(landing.text),
            },
            timeout=120,
        )
        if "/step/1/" not in step.url or step.status_code != 200:
            raise RuntimeError(f"start led to {step.status_code} {step.url}")
        lap = outcome.lap("start + step page", lap)
        outcome.application = APPLICATION_UUID.search(step.url).group(1)
        double_click = index % DOUBLE_CLICK_EVERY == 0
        if double_click:
            again = session.post(
                f"{base}{form_url}start/",
                data={
                    "start_token": outcome.start_token,
                    "csrfmiddlewaretoken": csrf_of(landing.text),
                },
                timeout=120,
            )
            if outcome.application not in again.url:
                raise RuntimeError("the same start token opened another draft")
        data = {
            **answers(index),
            "consent": "on",
            "action": "next",
            "csrfmiddlewaretoken": csrf_of(step.text),
        }
        files = {
            "id_scan": ("身份证.pdf", pdfs[0], "application/pdf"),
            "degree_certificate": ("学位证书.pdf", pdfs[1], "application/pdf"),
        }
        review = session.post(step.url, data=data, files=files, timeout=120)
        if not review.url.endswith("/review/") or review.status_code != 200:
            raise RuntimeError(f"the step led to {review.status_code} {review.url}")
        lap = outcome.lap("post step + review page", lap)
        receipt = session.post(
            review.url,
            data={"csrfmiddlewaretoken": csrf_of(review.text)},
            timeout=120,
        )
        number = RECEIPT.search(receipt.text)
        if not receipt.url.endswith("/receipt/") or not number:
            raise RuntimeError(f"submit led to {receipt.status_code} {receipt.url}")
        outcome.receipt = number.group(0)
        if double_click:
            again = session.post(
                review.url,
                data={"csrfmiddlewaretoken": csrf_of(review.text)},
                timeout=120,
            )
            if again.status_code != 200 or outcome.receipt not in again.text:
                raise RuntimeError(f"a repeated submit answered {again.status_code}")
        outcome.lap("submit + receipt page", lap)
        outcome.ok = True
    except Exception as error:  # noqa: BLE001 - every failure is counted
        outcome.error = f"{type(error).__name__}: {error}"[:300]
    outcome.seconds = time.perf_counter() - started
    return outcome


def submit_stock(session, base: str, stock_url: str, index: int) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(False, 0.0)
    try:
        page = session.get(base + stock_url, timeout=120)
        page.raise_for_status()
        data = {**stock_answers(index), "csrfmiddlewaretoken": csrf_of(page.text)}
        landing = session.post(base + stock_url, data=data, timeout=120)
        found = re.search(r"Submission (\d+)\.", landing.text)
        if landing.status_code != 200 or not found:
            raise RuntimeError(f"the stock form answered {landing.status_code}")
        outcome.receipt = found.group(1)
        outcome.ok = True
    except Exception as error:  # noqa: BLE001
        outcome.error = f"{type(error).__name__}: {error}"[:300]
    outcome.seconds = time.perf_counter() - started
    return outcome


def run_clients(task, count: int, concurrency: int) -> tuple[list[Outcome], float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = list(pool.map(task, range(count)))
    return outcomes, time.perf_counter() - started


def summary(name: str, outcomes: list[Outcome], wall: float) -> dict:
    ok = [o for o in outcomes if o.ok]
    latencies = [o.seconds for o in ok] or [0.0]
    figures = {
        "throughput": len(ok) / wall if wall else 0.0,
        "median": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "ok": len(ok),
        "failed": len(outcomes) - len(ok),
    }
    print(
        f"{name}\n"
        f"  {len(ok)}/{len(outcomes)} succeeded in {wall:.1f} s: "
        f"{figures['throughput']:.2f} submissions/s, "
        f"median {figures['median'] * 1000:.0f} ms, p95 {figures['p95'] * 1000:.0f} ms"
    )
    phases = ok[0].phases if ok else {}
    if phases:
        print(
            "  median by stage: "
            + ", ".join(
                f"{phase} {statistics.median(o.phases[phase] for o in ok) * 1000:.0f} ms"
                for phase in phases
            )
        )
    errors = Counter(
        re.sub(r"[0-9a-f-]{36}|:\d+/", "…", o.error) for o in outcomes if o.error
    )
    for error, count in errors.most_common(5):
        print(f"  {count} x {error}")
    return figures


# --- checking the database afterwards ---


def check_ours(outcomes: list[Outcome]) -> tuple[int, int, list[str]]:
    """(lost, duplicated, other problems) of our submissions."""
    from django.conf import settings

    from forms.models import Application, ApplicationFile, ApplicationStatus

    submitted = Application.objects.filter(status=ApplicationStatus.SUBMITTED)
    rows = {str(a.start_token): a for a in submitted}
    ok = [o for o in outcomes if o.ok]
    lost = sum(
        1
        for o in ok
        if o.start_token not in rows or rows[o.start_token].receipt_number != o.receipt
    )
    tokens = Counter(o.start_token for o in ok)
    receipts = Counter(o.receipt for o in ok)
    per_applicant = Counter(submitted.values_list("applicant_id", flat=True))
    duplicated = (
        max(submitted.count() - len(ok), 0)
        + sum(n - 1 for n in tokens.values() if n > 1)
        + sum(n - 1 for n in receipts.values() if n > 1)
        + sum(n - 1 for n in per_applicant.values() if n > 1)
    )
    problems = []
    files = ApplicationFile.objects.filter(application__in=submitted)
    if files.count() != 2 * submitted.count():
        problems.append(
            f"{files.count()} file rows for {submitted.count()} applications"
        )
    stored = {
        path.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix()
        for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")
        if path.is_file()
    }
    referenced = set(ApplicationFile.objects.values_list("file", flat=True))
    if stored - referenced:
        problems.append(f"{len(stored - referenced)} orphan files in private storage")
    if referenced - stored:
        problems.append(f"{len(referenced - stored)} file rows without their file")
    drafts = Application.objects.filter(status=ApplicationStatus.DRAFT).count()
    if drafts:
        problems.append(f"{drafts} applications left as drafts (failed clients)")
    return lost, duplicated, problems


def check_stock(outcomes: list[Outcome]) -> tuple[int, int]:
    from wagtail.contrib.forms.models import FormSubmission

    ok = {int(o.receipt) for o in outcomes if o.ok}
    rows = set(FormSubmission.objects.values_list("pk", flat=True))
    return len(ok - rows), max(len(rows) - len(ok), 0)


# --- main ---


def measure(args, workdir: Path) -> bool:
    """Build, serve, submit, check; True when something went wrong."""
    import requests
    from django.db import connection, connections

    from cms.demo.applications import demo_pdf

    started = time.perf_counter()
    form_url, stock_url = build_site(args.n)
    print(
        f"site built in {time.perf_counter() - started:.1f} s "
        f"({connection.vendor}, {args.workers} gunicorn workers, "
        f"{args.n} submissions, {args.concurrency} clients, {os.cpu_count()} CPUs)"
    )
    connections.close_all()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = (workdir / "gunicorn.log").open("wb")
    gunicorn = start_gunicorn("cms.wsgi", port, args.workers, env, ROOT, log)
    try:
        sessions = [requests.Session() for _ in range(args.n)]
        local = threading.local()

        def login(index: int) -> None:
            log_in(sessions[index], base, f"bench-{index:04d}")

        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(login, range(args.n)))
        print(f"{args.n} applicants signed in\n")

        def ours(index: int) -> Outcome:
            if not hasattr(local, "pdfs"):
                local.pdfs = (
                    demo_pdf(f"ID scan {uuid.uuid4()}", FILE_SIZE),
                    demo_pdf(f"Degree {uuid.uuid4()}", FILE_SIZE),
                )
            return submit_ours(sessions[index], base, form_url, index, local.pdfs)

        def stock(index: int) -> Outcome:
            return submit_stock(sessions[index], base, stock_url, index)

        our_outcomes, our_wall = run_clients(ours, args.n, args.concurrency)
        mine = summary(
            "Our engine (7 requests each: form page, start, step 1, post step with "
            "2 x 200 KB PDFs, review, submit, receipt)",
            our_outcomes,
            our_wall,
        )
        stock_outcomes, stock_wall = run_clients(stock, args.n, args.concurrency)
        theirs = summary(
            "Stock Wagtail form page (wagtail.contrib.forms AbstractForm, same 20 "
            "fields without files: GET, POST)",
            stock_outcomes,
            stock_wall,
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        log.close()

    lost, duplicated, problems = check_ours(our_outcomes)
    stock_lost, stock_duplicated = check_stock(stock_outcomes)
    print(
        f"\nDatabase check, our engine: {lost} lost, {duplicated} duplicated"
        + "".join(f"; {problem}" for problem in problems)
    )
    print(
        f"Database check, stock form: {stock_lost} lost, {stock_duplicated} duplicated"
    )
    if theirs["throughput"] and mine["throughput"]:
        print(
            "\nRatio ours / stock: "
            f"throughput {mine['throughput'] / theirs['throughput']:.2f}, "
            f"median latency {mine['median'] / theirs['median']:.1f}x, "
            f"p95 latency {mine['p95'] / theirs['p95']:.1f}x"
        )
    if mine["failed"]:
        print("Server errors are in gunicorn.log (run with --keep to read it).")
    return bool(lost or duplicated or mine["failed"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="submissions (200)")
    parser.add_argument("--concurrency", type=int, default=20, help="clients (20)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="submit-bench-"))
    os.environ["BENCH_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.bench_settings"
    failed = True
    postgres = False
    try:
        import django

        django.setup()
        from django.db import connection, connections

        postgres = connection.vendor == "postgresql"
        if postgres:
            create_postgres_database()
        failed = measure(args, workdir)
    finally:
        if postgres:
            connections.close_all()
            create_postgres_database(drop_only=True)
        if args.keep:
            print(f"\nkept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
