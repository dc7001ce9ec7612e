"""Writes the demo employers, the review role groups and the demo accounts."""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password

from cms.accounts.models import Employer, User
from cms.departments.models import Department, District

from . import DEMO_PASSWORD
from .people import (
    ACCOUNTS,
    BACK_OFFICE_REVIEWERS,
    DEPARTMENT_HANDLERS,
    DISTRICT_PRE_REVIEWERS,
    ROLE_GROUPS,
    WINDOW_CLERKS,
    employer_rows,
)
from .progress import Progress


def write_employers(
    progress: Progress, districts: dict[str, District]
) -> dict[str, Employer]:
    employers = {}
    for row in employer_rows():
        employer, created = Employer.objects.get_or_create(
            uscc=row["uscc"],
            defaults={**row, "district": districts[row["district"]]},
        )
        progress.record("employers", created)
        employers[employer.name] = employer
    return employers


# Model permissions on applications per role. Window clerks and back-office
# reviewers see every case; pre-reviewers and department handlers see only what
# reaches their district or department (object rights, forms/rights.py).
ROLE_PERMISSIONS = {
    WINDOW_CLERKS: ["view_application", "change_application"],
    BACK_OFFICE_REVIEWERS: [
        "view_application",
        "change_application",
        "export_application",
        "view_formversion",
    ],
    DISTRICT_PRE_REVIEWERS: [],
    DEPARTMENT_HANDLERS: [],
}


def write_role_groups(progress: Progress) -> dict[str, Group]:
    """The review path's groups: admin access and their rights on applications."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name in ROLE_GROUPS:
        group, created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="applications",
                codename__in=ROLE_PERMISSIONS[name],
            )
        )
        progress.record("role groups", created)
        groups[name] = group
    return groups


def _new_user(spec: dict, employers, departments, districts) -> User:
    username = spec["username"]
    fields = {
        "username": username,
        "email": f"{username}@example.com",
        "real_name": spec["real_name"],
        "kind": spec["kind"],
        "mobile": spec.get("mobile"),
        "employer": employers.get(spec.get("employer")),
        "department": departments.get(spec.get("department")),
        "district": districts.get(spec.get("district")),
        "is_staff": spec["kind"] == User.Kind.STAFF,
    }
    # Fail loudly if the settings' validators ever reject the documented password.
    validate_password(DEMO_PASSWORD, User(**fields))
    if spec.get("superuser"):
        return User.objects.create_superuser(password=DEMO_PASSWORD, **fields)
    return User.objects.create_user(password=DEMO_PASSWORD, **fields)


def write_accounts(
    progress: Progress,
    employers: dict[str, Employer],
    departments: dict[str, Department],
    districts: dict[str, District],
    role_groups: dict[str, Group],
) -> list[dict]:
    """One account per role; returns the rows of the table the command prints."""
    rows = []
    for spec in ACCOUNTS:
        user = User.objects.filter(username=spec["username"]).first()
        progress.record("accounts", user is None)
        if user is None:
            user = _new_user(spec, employers, departments, districts)
        groups = [role_groups[name] for name in spec.get("groups", [])]
        if spec.get("unit_group"):
            department = departments[spec["department"]]
            groups.append(getattr(department, f"{spec['unit_group']}_group"))
        user.groups.add(*groups)
        rows.append(
            {
                "username": user.username,
                "role": spec["role"],
                "mobile": user.mobile or "",
                "password": DEMO_PASSWORD,
            }
        )
    return rows
