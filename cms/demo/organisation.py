"""Writes the districts and departments, then fills in their module pages.

Creating a District or Department row provisions its module page, groups and
workflow (cms/departments/signals.py); this module only creates the rows and
describes the service window on the module.
"""

from cms.departments.models import Department, District

from .progress import Progress
from .units import (
    CITY_DEPARTMENTS,
    DISTRICT_DEPARTMENTS,
    DISTRICT_INTRODUCTION,
    DISTRICTS,
    HALL_ADDRESS,
    HALL_HOURS,
)


def write_districts(progress: Progress) -> dict[str, District]:
    districts = {}
    for order, (name, code, phone, address) in enumerate(DISTRICTS):
        district, created = District.objects.get_or_create(
            name=name,
            defaults={
                "code": code,
                "phone": phone,
                "address": address,
                "sort_order": order,
            },
        )
        progress.record("districts", created)
        districts[name] = district
    return districts


def write_departments(
    progress: Progress, districts: dict[str, District]
) -> dict[str, Department]:
    departments = {}
    specs = [*CITY_DEPARTMENTS, *DISTRICT_DEPARTMENTS]
    for order, spec in enumerate(specs):
        district = districts.get(spec.get("district", ""))
        department, created = Department.objects.get_or_create(
            name=spec["name"],
            defaults={
                "short_name": spec["short_name"],
                "phone": spec["phone"],
                "address": spec.get("address", HALL_ADDRESS),
                "district": district,
                "sort_order": order,
            },
        )
        progress.record("departments", created)
        departments[spec["name"]] = department
    return departments


def _fill_module(unit, fields: dict) -> bool:
    """Describe the module once; an editor's later changes are left alone.

    Works on the unit's own cached `module_page`, reloaded before and after:
    the loader reads the module through the unit afterwards (guides copy its
    window, address, phone and hours), so that instance must hold what was
    published, not what provisioning created.
    """
    page = unit.module_page
    page.refresh_from_db()
    if page.introduction:
        return False
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    # publish() saves a copy built from the revision, not this instance.
    page.refresh_from_db()
    return True


def fill_modules(
    progress: Progress,
    districts: dict[str, District],
    departments: dict[str, Department],
) -> None:
    for name, _code, phone, address in DISTRICTS:
        filled = _fill_module(
            districts[name],
            {
                "introduction": DISTRICT_INTRODUCTION.format(name=name),
                "address": address,
                "service_window": "高层次人才服务窗口",
                "phone": phone,
                "office_hours": HALL_HOURS,
            },
        )
        progress.record("module pages filled in", filled)
    for spec in [*CITY_DEPARTMENTS, *DISTRICT_DEPARTMENTS]:
        filled = _fill_module(
            departments[spec["name"]],
            {
                "introduction": spec["introduction"],
                "address": spec.get("address", HALL_ADDRESS),
                "service_window": spec["window"],
                "phone": spec["phone"],
                "office_hours": HALL_HOURS,
            },
        )
        progress.record("module pages filled in", filled)
