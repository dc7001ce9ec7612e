"""The city's districts and the departments that serve talents, with their modules.

Read from data/departments.csv (the file import_departments takes) and
data/modules.csv (how each unit's module page describes its service window).
Division codes are the real GB/T 2260 codes of Quanzhou's county-level divisions;
phone numbers are invented for the demo.
"""

from .files import read_csv, read_json

UNITS_FILE = "departments.csv"
MODULES_FILE = "modules.csv"

_HALL = read_json("hall.json")["settings"]
HALL_ADDRESS = _HALL["address"]
HALL_HOURS = _HALL["opening_hours"]

_MODULES = {row["name"]: row for row in read_csv(MODULES_FILE)}
_DISTRICT_ROWS = [row for row in read_csv(UNITS_FILE) if row["kind"] == "县区"]
_DEPARTMENT_ROWS = [row for row in read_csv(UNITS_FILE) if row["kind"] == "部门"]

# (name, division code, phone, address of the district's talent service window)
DISTRICTS = [
    (row["name"], row["code"], row["phone"], row["address"]) for row in _DISTRICT_ROWS
]


def _department(row: dict) -> dict:
    module = _MODULES[row["name"]]
    spec = {
        "name": row["name"],
        "short_name": row["short_name"],
        "window": module["service_window"],
        "phone": row["phone"],
        "address": row["address"],
        "introduction": module["introduction"],
    }
    if row["parent"]:
        spec["district"] = row["parent"]
    return spec


# City departments sit in the hall; a district's own departments in its module.
CITY_DEPARTMENTS = [_department(row) for row in _DEPARTMENT_ROWS if not row["parent"]]
DISTRICT_DEPARTMENTS = [_department(row) for row in _DEPARTMENT_ROWS if row["parent"]]


def module_description(name: str) -> dict[str, str]:
    """The service window and introduction of a unit's module page."""
    return _MODULES[name]
