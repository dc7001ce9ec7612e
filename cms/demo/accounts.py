"""Writes the demo employers, the city's casework roles and the demo accounts."""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from cms.accounts.models import Employer, User
from cms.departments.models import Department, District
from forms.casework.roles import CITY_ROLES, ensure_city_roles

from . import DEMO_PASSWORD
from .people import ACCOUNTS, employer_rows
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


def write_role_groups(progress: Progress) -> dict[str, Group]:
    """The city's casework roles (a migration creates them; the demo makes sure)."""
    existing = set(
        Group.objects.filter(name__in=CITY_ROLES).values_list("name", flat=True)
    )
    roles = ensure_city_roles(Group, Permission)
    for name in roles:
        progress.record("role groups", name not in existing)
    return roles


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
        # A number outside the mainland, proved by e-mail (docs/accounts.md).
        "mobile_verified": spec.get("mobile_verified", True),
        "email_verified_at": timezone.now() if spec.get("email_verified") else None,
    }
    # Fail loudly if the settings' validators ever reject the documented password.
    validate_password(DEMO_PASSWORD, User(**fields))
    if spec.get("superuser"):
        return User.objects.create_superuser(password=DEMO_PASSWORD, **fields)
    user = User(**fields)
    user.set_password(DEMO_PASSWORD)
    if spec.get("id_kind"):
        user.set_identity(spec["id_kind"], spec["id_number"])
    user.save()
    return user


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
            unit = (
                departments[spec["department"]]
                if spec.get("department")
                else districts[spec["district"]]
            )
            groups.append(getattr(unit, f"{spec['unit_group']}_group"))
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
