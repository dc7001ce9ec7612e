"""The staff queue at 100,000 applications, on demand (never collected by pytest).

    python tests/bench/queue_bench.py [--small 1000] [--large 100000]
                                      [--requests 10] [--keep-db PATH]

Uses cms.settings.test and a fresh temporary SQLite database (or DATABASE_URL if
set, e.g. a PostgreSQL database you can drop). Builds one form with five review
steps (accept → review → two departments in parallel → approve → publicity),
staff, applicants in eleven districts, and applications in every state, written
with bulk_create in batches (no files, answers kept small). Then, for a
back-office reviewer through Django's test Client, requests the applications
list of the Wagtail admin (wagtail-modeladmin, /admin/applications/application/)
as "All visible" and as "My work", and prints the query count and the median
time of ``--requests`` requests at ``--small`` and at ``--large`` applications.
The query count must be the same at both sizes: PASS or FAIL.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.harness import setup_django  # noqa: E402

QUEUES = {"all visible": "", "my work": "?queue=mine", "overdue": "?queue=overdue"}
BATCH = 5_000


class World:
    """The form, its staff and applicants."""

    def __init__(self):
        from django.contrib.auth.models import Group, Permission

        from cms.home.bootstrap import ensure_hall
        from forms.casework.workflow import workflow_of
        from tests.factories import (
            make_department,
            make_district,
            make_employer,
            make_guide,
            make_user,
        )
        from tests.forms.casework_helpers import form_with_steps

        ensure_hall()
        reviewers = Group.objects.create(name="后台审核")
        reviewers.permissions.add(
            Permission.objects.get(codename="access_admin"),
            *Permission.objects.filter(
                content_type__app_label="applications",
                codename__in=["view_application", "change_application"],
            ),
        )
        self.departments = [make_department(), make_department()]
        self.form = form_with_steps(
            ("accept", 2, {"group": reviewers}),
            ("review", 5, {"group": reviewers}),
            ("department", 5, {"departments": self.departments}),
            ("approve", 3, {"group": reviewers}),
            ("publicity", 5, {}),
            parent=make_guide(),
        )
        self.version = self.form.ensure_version()
        self.workflow = workflow_of(self.form)
        self.reviewer = make_user(kind="staff", groups=[reviewers], real_name="郑雅琴")
        self.officers = [
            make_user(kind="staff", groups=[reviewers]) for _n in range(5)
        ] + [self.reviewer]
        self.districts = [make_district() for _n in range(11)]
        self.applicants = []
        for n in range(200):
            employer = make_employer(district=self.districts[n % 11])
            self.applicants.append(make_user(employer=employer))
        self.created = 0


def add_applications(world: World, count: int) -> None:
    """``count`` more applications in every state, in batches."""
    import datetime

    from django.utils import timezone

    from forms.casework.actions import sync_steps
    from forms.models import Application, ApplicationStatus, DepartmentTask

    rng = random.Random(world.created)  # noqa: S311 (repeatable bench data)
    today = timezone.localdate()
    now = timezone.now()
    statuses = [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUPPLEMENT,
        ApplicationStatus.PUBLICITY,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    ]
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        rows, tasks_for = [], []
        for _n in range(size):
            number = world.created + done + len(rows) + 1
            applicant = world.applicants[number % len(world.applicants)]
            status = rng.choice(statuses)
            step = {
                ApplicationStatus.SUBMITTED: rng.randint(0, 3),
                ApplicationStatus.SUPPLEMENT: rng.randint(0, 1),
                ApplicationStatus.PUBLICITY: 4,
            }.get(status, 5)
            started = today - datetime.timedelta(days=rng.randint(0, 20))
            submitted = now - datetime.timedelta(days=rng.randint(1, 365))
            rows.append(
                Application(
                    form=world.form,
                    version=world.version,
                    applicant=applicant,
                    employer_id=applicant.employer_id,
                    status=status,
                    receipt_number=f"BENCH-{number:08d}",
                    start_token=uuid.uuid4(),
                    subject_name=f"申请人{number}",
                    answers={"full_name": f"申请人{number}"},
                    workflow=world.workflow,
                    step_index=step,
                    step_started_on=started,
                    step_due=started + datetime.timedelta(days=7),
                    district_id=applicant.employer.district_id,
                    officer=rng.choice(world.officers) if rng.random() < 0.3 else None,
                    submitted_at=submitted,
                    created_at=submitted,
                    decided_at=submitted + datetime.timedelta(days=20)
                    if step >= 4
                    else None,
                )
            )
            if status == ApplicationStatus.SUBMITTED and step == 2:
                tasks_for.append(len(rows) - 1)
        created = Application.objects.bulk_create(rows)
        if any(row.pk is None for row in created):
            tokens = [row.start_token for row in created]
            pks = dict(
                Application.objects.filter(start_token__in=tokens).values_list(
                    "start_token", "pk"
                )
            )
            for row in created:
                row.pk = pks[row.start_token]
        DepartmentTask.objects.bulk_create(
            [
                DepartmentTask(
                    application_id=created[index].pk,
                    step_index=2,
                    department=department,
                    due=created[index].step_due,
                )
                for index in tasks_for
                for department in world.departments
            ]
        )
        # Written directly, so the step columns the queues filter on are
        # filled here, as the workflow would on every move.
        sync_steps(created)
        done += size
    world.created += count


def measure(world: World, requests: int) -> dict[str, tuple[int, float]]:
    """Per queue: (queries of one request, median milliseconds)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(world.reviewer)
    index = reverse("applications_application_modeladmin_index")
    results = {}
    for name, query in QUEUES.items():
        client.get(index + query)  # warm caches (site, locale, permissions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(index + query)
        assert response.status_code == 200, response.status_code
        # Now: every request_started resets the log (django.db.reset_queries).
        count = len(queries)
        times = []
        for _n in range(requests):
            started = time.perf_counter()
            client.get(index + query)
            times.append((time.perf_counter() - started) * 1000)
        results[name] = (count, statistics.median(times))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--keep-db", help="SQLite file instead of a temporary one")
    args = parser.parse_args()

    setup_django(args.keep_db, "queue-bench")
    from django.db import connection

    print(f"database engine: {connection.vendor}")
    world = World()
    started = time.monotonic()
    add_applications(world, args.small)
    print(f"{args.small} applications in {time.monotonic() - started:.1f} s")
    small = measure(world, args.requests)

    started = time.monotonic()
    add_applications(world, args.large - args.small)
    print(f"{args.large} applications in {time.monotonic() - started:.1f} s")
    large = measure(world, args.requests)

    print()
    print(f"{'queue':<12} {'size':>8} {'queries':>8} {'median ms':>10}")
    ok = True
    for name in QUEUES:
        for size, result in ((args.small, small), (args.large, large)):
            queries, median = result[name]
            print(f"{name:<12} {size:>8} {queries:>8} {median:>10.1f}")
        same = small[name][0] == large[name][0]
        ok &= same
        print(f"{name:<12} query count {'same' if same else 'GREW'}")
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
