"""The demo's data files (cms/demo/data/), read as plain Python values.

The files are in the formats of the importers that load them: departments.csv
for import_departments, calendar.csv for import_calendar, forms/*.json for
import_form. The page content (guides, policies, news, the about page) and the
people are JSON in the shape the demo's writers take.
"""

import csv
import datetime
import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


class DemoDataError(RuntimeError):
    """A demo data file that an importer or a form refused: the file is wrong,
    not the database, and nothing of that step is written."""


def path(name: str) -> Path:
    return DATA / name


@cache
def read_json(name: str):
    return json.loads(path(name).read_text(encoding="utf-8"))


@cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    with path(name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def dates(record: dict, *keys: str) -> dict:
    """A copy of the record with the ISO dates under `keys` as dates."""
    return {
        key: datetime.date.fromisoformat(value)
        if key in keys and isinstance(value, str)
        else value
        for key, value in record.items()
    }


def blocks(items: list) -> list[tuple[str, object]]:
    """StreamField items as the (type, value) pairs Wagtail takes; JSON has
    only lists."""
    return [(block_type, value) for block_type, value in items]
