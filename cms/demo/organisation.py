"""Writes the districts and departments, then fills in their module pages.

The units come from data/departments.csv through the importer a city uses to
onboard its own (import_departments, cms/departments/importing.py). Creating a
District or Department row provisions its module page, groups and workflow
(cms/departments/signals.py); this module then describes the service window on
each module, once.
"""

from cms.core.tabular import Table, read_table
from cms.departments.importing import (
    DEPARTMENT_KINDS,
    DISTRICT_KINDS,
    UNIT_COLUMNS,
    UNIT_REQUIRED_COLUMNS,
    import_units,
)
from cms.departments.models import Department, District

from .files import DemoDataError, path
from .progress import Progress
from .units import (
    CITY_DEPARTMENTS,
    DISTRICT_DEPARTMENTS,
    DISTRICTS,
    HALL_HOURS,
    UNITS_FILE,
    module_description,
)


def _import(progress: Progress, kind: str, kinds: set[str]) -> list[str]:
    """Import the rows of departments.csv of one kind; returns their names."""
    table = read_table(path(UNITS_FILE), UNIT_COLUMNS, UNIT_REQUIRED_COLUMNS)
    rows = [(number, row) for number, row in table.rows if row["kind"] in kinds]
    report = import_units(Table(columns=table.columns, rows=rows))
    if report.failures:
        raise DemoDataError(
            "; ".join(
                f"{UNITS_FILE} row {o.row_number}: {o.message}" for o in report.failures
            )
        )
    for outcome in report.outcomes:
        progress.record(kind, outcome.status == "created")
    return [outcome.name for outcome in report.outcomes]


def write_districts(progress: Progress) -> dict[str, District]:
    names = _import(progress, "districts", DISTRICT_KINDS)
    return {
        district.name: district for district in District.objects.filter(name__in=names)
    }


def write_departments(
    progress: Progress, districts: dict[str, District]
) -> dict[str, Department]:
    """The departments; `districts` must hold their parents (write_districts)."""
    names = _import(progress, "departments", DEPARTMENT_KINDS)
    return {
        department.name: department
        for department in Department.objects.filter(name__in=names)
    }


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
    specs = [
        (districts, name, phone, address) for name, _code, phone, address in DISTRICTS
    ]
    specs += [
        (departments, spec["name"], spec["phone"], spec["address"])
        for spec in [*CITY_DEPARTMENTS, *DISTRICT_DEPARTMENTS]
    ]
    for units, name, phone, address in specs:
        module = module_description(name)
        filled = _fill_module(
            units[name],
            {
                "introduction": module["introduction"],
                "address": address,
                "service_window": module["service_window"],
                "phone": phone,
                "office_hours": HALL_HOURS,
            },
        )
        progress.record("module pages filled in", filled)
