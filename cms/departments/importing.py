"""Onboarding a city's districts and departments from a file (import_departments)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms.core.tabular import CellValue, Table

from .models import Department, District

UNIT_COLUMNS = {
    "name": ("名称", "全称"),
    "kind": ("类型", "类别"),
    "parent": ("上级", "所属县区"),
    "short_name": ("简称",),
    "phone": ("电话", "联系电话"),
    "address": ("地址",),
    "code": ("区划代码", "division_code"),
}
UNIT_REQUIRED_COLUMNS = ("name", "kind")
DISTRICT_KINDS = {"县区", "县(市、区)", "县（市、区）", "区县", "district"}
DEPARTMENT_KINDS = {"部门", "职能部门", "department"}
UNIT_DETAIL_FIELDS = ("short_name", "phone", "address")


class RowError(Exception):
    """One row cannot be imported; the message says why, in words for the importer."""


@dataclass
class RowOutcome:
    row_number: int
    name: str
    status: str  # "created", "updated", "unchanged" or "failed"
    message: str = ""


@dataclass
class UnitImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def committed(self) -> bool:
        return not self.dry_run and not self.failures


def import_units(
    table: Table, dry_run: bool = False, on_row: Callable[[], object] | None = None
) -> UnitImportReport:
    """Create or update the districts and departments listed in `table`, in order.

    All or nothing: one transaction, rolled back for a dry run or when any row
    failed, so a file is fixed and imported again rather than half-applied. Each row
    runs in its own savepoint so that one failure does not stop the others from
    being checked and reported. Creating a unit provisions its module page, groups
    and workflow (signals.py).
    """
    report = UnitImportReport(dry_run=dry_run)
    with transaction.atomic():
        for row_number, row in table.rows:
            name = str(row.get("name", ""))
            try:
                with transaction.atomic():
                    status = _import_unit_row(row, row_number)
            except RowError as error:
                report.outcomes.append(
                    RowOutcome(row_number, name, "failed", str(error))
                )
            except ValidationError as error:
                report.outcomes.append(
                    RowOutcome(row_number, name, "failed", _validation_message(error))
                )
            else:
                report.outcomes.append(RowOutcome(row_number, name, status))
            if on_row is not None:
                on_row()
        if not report.committed:
            transaction.set_rollback(True)
    return report


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _import_unit_row(row: dict[str, CellValue], row_number: int) -> str:
    name = str(row.get("name", ""))
    if not name:
        raise RowError(_("The name is missing."))
    kind = str(row.get("kind", "")).lower()
    parent = str(row.get("parent", ""))
    if kind in DISTRICT_KINDS:
        if parent:
            raise RowError(_("A district has no parent: leave “parent” empty."))
        if Department.objects.filter(name=name).exists():
            raise RowError(
                _("“%(name)s” already exists as a department.") % {"name": name}
            )
        code = str(row.get("code", ""))
        # isdigit() alone takes "²" and other non-ASCII digits.
        if code and not (code.isascii() and code.isdigit() and len(code) == 6):
            raise RowError(
                _("The division code “%(code)s” is not six digits.") % {"code": code}
            )
        return _save_unit(District, name, row, row_number, extra={"code": code})
    if kind in DEPARTMENT_KINDS:
        district = _parent_district(parent) if parent else None
        if District.objects.filter(name=name).exists():
            raise RowError(
                _("“%(name)s” already exists as a district.") % {"name": name}
            )
        existing = Department.objects.filter(name=name).first()
        if existing is not None and existing.district_id != (
            district.pk if district else None
        ):
            raise RowError(
                _(
                    "“%(name)s” already exists under another parent; move it in the admin."
                )
                % {"name": name}
            )
        return _save_unit(
            Department, name, row, row_number, extra={"district": district}
        )
    raise RowError(
        _("Unknown kind “%(kind)s”: use 县区 for a district or 部门 for a department.")
        % {"kind": row.get("kind", "")}
    )


def _parent_district(parent: str) -> District:
    district = District.objects.filter(name=parent).first()
    if district is not None:
        return district
    if Department.objects.filter(name=parent).exists():
        raise RowError(
            _("The parent “%(parent)s” is a department, not a district.")
            % {"parent": parent}
        )
    raise RowError(
        _("Unknown parent district “%(parent)s”: list the district in an earlier row.")
        % {"parent": parent}
    )


def _save_unit(
    model, name: str, row: dict[str, CellValue], row_number: int, extra: dict
) -> str:
    """Create the unit, or fill in what the row gives for an existing one.

    An empty cell leaves an existing value alone: an onboarding file states what is
    known, it does not erase what an administrator has entered since.
    """
    values = {key: str(row.get(key, "")) for key in UNIT_DETAIL_FIELDS}
    values.update(
        {key: value for key, value in extra.items() if key != "code" or value}
    )
    unit = model.objects.filter(name=name).first()
    if unit is None:
        unit = model(name=name, sort_order=row_number, **values)
        unit.full_clean()
        unit.save()
        return "created"
    changed = [
        key
        for key, value in values.items()
        if value not in ("", None) and getattr(unit, key) != value
    ]
    if not changed:
        return "unchanged"
    for key in changed:
        setattr(unit, key, values[key])
    unit.full_clean()
    unit.save(update_fields=changed)
    return "updated"
