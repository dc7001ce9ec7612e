"""Loading policy documents from spreadsheets through django-import-export.

One row is one policy: it becomes (or updates) a published PolicyPage under its
issuing department's module page. A row is matched to an existing policy on
(department, document number) when it has a number, else on (department, title),
so importing the same file twice updates rather than duplicates. Every lookup
failure is a row error in words for the person importing: a department that does
not exist yet is an error, never a silent creation.
"""

import re

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import RowResult
from wagtail.coreutils import find_available_slug

from cms.core.import_cells import DateWidget, cell_text
from cms.core.pinyin import lazy_pinyin
from cms.departments.models import DepartmentPage

from .columns import (
    SLUG_MAX_LENGTH,
    BodyField,
    BodyFormatWidget,
    BodyWidget,
    CategoryWidget,
    DepartmentWidget,
    RelatedGuidesWidget,
    RequiredTextWidget,
    SlugField,
    SlugWidget,
    StatusWidget,
    SuccessorField,
    TextWidget,
    TiersWidget,
    find_department,
    find_policy,
)
from .models import PolicyPage, PolicyStatus

POLICY_COLUMNS = {
    "title": ("标题", "文件名称"),
    "department": ("发文部门", "部门"),
    "document_number": ("文号", "发文字号"),
    "issued_on": ("发文日期", "成文日期"),
    "category": ("类别", "服务类别"),
    "body": ("正文",),
    "status": ("状态", "效力状态"),
    "tiers": ("人才层次", "适用层次"),
    # Optional columns for what a full policy page carries (docs/content.md).
    "slug": ("网址名",),
    "effective_from": ("施行日期", "生效日期"),
    "effective_until": ("有效期至", "失效日期"),
    "superseded_by": ("替代文件", "新文件"),
    "summary": ("摘要", "政策解读"),
    "guides": ("相关办事指南", "办事指南"),
    "body_format": ("正文格式",),
}
POLICY_REQUIRED_COLUMNS = ("title", "department", "issued_on")


class PolicyResource(resources.ModelResource):
    title = fields.Field(
        "title", "title", RequiredTextWidget(gettext_lazy("The title is missing."))
    )
    department = fields.Field("issuing_department", "department", DepartmentWidget())
    document_number = fields.Field("document_number", "document_number", TextWidget())
    issued_on = fields.Field(
        "issued_on", "issued_on", DateWidget(gettext_lazy("The issue date is missing."))
    )
    category = fields.Field("category", "category", CategoryWidget())
    body = BodyField("body", "body", BodyWidget())
    status = fields.Field("status", "status", StatusWidget())
    tiers = fields.Field("tiers", "tiers", TiersWidget())
    slug = SlugField("slug", "slug", SlugWidget())
    effective_from = fields.Field("effective_from", "effective_from", DateWidget())
    effective_until = fields.Field("effective_until", "effective_until", DateWidget())
    superseded_by = SuccessorField("superseded_by", "superseded_by", TextWidget())
    summary = fields.Field("summary", "summary", TextWidget())
    guides = fields.Field("related_guides", "guides", RelatedGuidesWidget())
    body_format = fields.Field(None, "body_format", BodyFormatWidget())

    class Meta:
        model = PolicyPage
        fields = tuple(POLICY_COLUMNS)
        import_order = tuple(POLICY_COLUMNS)
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True

    def __init__(self, on_row=None, **kwargs):
        super().__init__(**kwargs)
        self.on_row = on_row
        # Rows naming a successor: published once it is found (after_import).
        self.pending_successors: list[tuple[PolicyPage, str, int, dict]] = []

    def get_instance(self, instance_loader, row):
        """The policy this row updates: by number when it has one, else by title."""
        try:
            department = find_department(cell_text(row.get("department")))
        except ValueError:
            return None  # reported when the department field is imported
        policies = PolicyPage.objects.filter(issuing_department=department)
        number = cell_text(row.get("document_number"))
        if number:
            return policies.filter(document_number=number).first()
        title = cell_text(row.get("title"))
        return policies.filter(title=title).first() if title else None

    def import_instance(self, instance, row, **kwargs):
        """Also check the tiers now: the base class only reads many-to-many columns
        after saving, where a bad value would surface as a crash, not a row error."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        for name in ("tiers", "guides"):
            if name in row:
                try:
                    self.fields[name].clean(row)
                except ValueError as error:
                    errors[name] = [str(error)]
        if (
            cell_text(row.get("superseded_by"))
            and instance.status == PolicyStatus.IN_FORCE
            and "status" not in errors
        ):
            errors["superseded_by"] = [
                _(
                    "A policy in force has no successor: set its status to "
                    "已修订 or 已废止, or leave the successor empty."
                )
            ]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, **kwargs):
        """An update never overwrites what editors have not published yet: a
        draft, a page in moderation or a page they unpublished. Reached only
        for rows that change something (unchanged rows are skipped before)."""
        errors = dict(import_validation_errors or {})
        if instance.pk:
            pending = pending_editor_work(instance)
            if pending:
                errors.setdefault(NON_FIELD_ERRORS, []).append(pending)
        if instance.slug and "slug" not in errors and instance.issuing_department_id:
            parent = DepartmentPage.objects.filter(
                department_id=instance.issuing_department_id
            ).first()
            taken = (
                parent is not None
                and parent.get_children()
                .filter(slug=instance.slug)
                .exclude(pk=instance.pk)
                .exists()
            )
            if taken:
                errors["slug"] = [
                    _("Another page of the department already has the slug “%(slug)s”.")
                    % {"slug": instance.slug}
                ]
        super().validate_instance(instance, errors, **kwargs)

    def do_instance_save(self, instance, is_create):
        instance.draft_title = instance.title
        if is_create:
            # Fresh from the database: treebeard computes the new path from the
            # parent's child count, which a cached parent would have stale.
            parent = DepartmentPage.objects.get(department=instance.issuing_department)
            instance.slug = instance.slug or find_available_slug(
                parent, policy_slug(instance)
            )
            # Live only once published, as when an editor publishes in the admin.
            instance.live = False
            parent.add_child(instance=instance)
        else:
            instance.save()

    def save_m2m(self, instance, row, **kwargs):
        """Set the tiers, then publish: the revision must carry the tiers with it."""
        super().save_m2m(instance, row, **kwargs)
        successor_key = getattr(instance, "_successor_key", "")
        if successor_key:
            # One revision per import: published with its successor, after all rows.
            self.pending_successors.append(
                (instance, successor_key, kwargs.get("row_number", 0), dict(row))
            )
            return
        revision = instance.save_revision()
        # In a dry run the transaction is rolled back anyway; not publishing keeps
        # the publish signal (search indexing, possibly outside the database)
        # from acting on a page that will never exist.
        if not kwargs.get("dry_run"):
            revision.publish()

    def after_import(self, dataset, result, **kwargs):
        """Link each row to its successor, now that every row is in, and publish
        it. A successor that cannot be found is that row's error, and so the
        whole file is rolled back."""
        super().after_import(dataset, result, **kwargs)
        failed = []
        for instance, key, number, row in self.pending_successors:
            try:
                successor = find_policy(key)
            except ValueError as error:
                failed.append((number, row, str(error)))
                continue
            if successor is None:
                failed.append(
                    (
                        number,
                        row,
                        _(
                            "Unknown successor “%(value)s”: give the document number "
                            "or slug of a policy in this file or already imported."
                        )
                        % {"value": key},
                    )
                )
                continue
            instance.superseded_by = successor
            # Checked below for the whole file at once: one row's successor may
            # be linked only after it.
            instance.save(clean=False, update_fields=["superseded_by"])
        failed_numbers = {number for number, _row, _message in failed}
        for instance, key, number, row in self.pending_successors:
            if number in failed_numbers:
                continue
            if instance.superseded_by_id and (
                instance.superseded_by_id == instance.pk
                or instance._successor_chain_reaches_self()
            ):
                failed.append(
                    (
                        number,
                        row,
                        _(
                            "The successor “%(value)s” is superseded, directly or "
                            "further down, by this policy."
                        )
                        % {"value": key},
                    )
                )
        for number, row, message in failed:
            result.append_invalid_row(
                number, row, ValidationError({"superseded_by": [message]})
            )
            # Counted as failed in the summary, not as created or updated.
            row_result = result.rows[number - 1] if number <= len(result.rows) else None
            if row_result is not None and row_result.import_type in result.totals:
                result.totals[row_result.import_type] -= 1
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
        if failed:
            return  # everything is rolled back: publishing would only index ghosts
        for instance, _key, _number, _row in self.pending_successors:
            revision = instance.save_revision()
            if not kwargs.get("dry_run"):
                revision.publish()

    def import_row(self, row, instance_loader, **kwargs):
        try:
            return super().import_row(row, instance_loader, **kwargs)
        finally:
            if self.on_row is not None:
                self.on_row()


def pending_editor_work(policy: PolicyPage) -> str:
    """Why an import must leave this policy alone, or "" if it may update it."""
    if policy.workflow_in_progress:
        return _(
            "The policy is in moderation in the admin. Let the moderator "
            "finish, then import the row again."
        )
    if policy.has_unpublished_changes and policy.live:
        return _(
            "The policy has a draft in the admin that is not published. "
            "Publish or discard it there, then import the row again."
        )
    if not policy.live:
        return _(
            "The policy was unpublished in the admin. Publish it there, or "
            "leave it out of the file."
        )
    return ""


def policy_slug(policy: PolicyPage) -> str:
    """An ASCII slug from the pinyin of the document number (short, distinctive)
    or, without one, of the title: 泉人社〔2026〕12号 → quan-ren-she-2026-12-hao."""
    # Punctuation becomes a separator first, so 〔2025〕3 gives 2025-3, not 20253.
    source = re.sub(r"[^\w]+", " ", policy.document_number or policy.title)
    slug = slugify("-".join(lazy_pinyin(source)))[:SLUG_MAX_LENGTH].strip("-")
    return slug or "policy"


def import_table(table, *, dry_run: bool = False, on_row=None):
    """Import a read Table (cms/core/tabular.py) of policy rows; the import-export
    Result. Shared by import_policies and the demo, which loads its policies so."""
    dataset = tablib.Dataset(headers=table.columns)
    for _number, row in table.rows:
        dataset.append([row.get(column, "") for column in table.columns])
    return PolicyResource(on_row=on_row).import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        # All or nothing (docs/security.md H3): a file is corrected and imported
        # again, never left half-applied.
        rollback_on_validation_errors=True,
    )


def describe_failures(result, row_numbers: list[int]) -> list[tuple[int | None, str]]:
    """(file row number, reason) for every failure in an import-export Result.

    import-export counts data rows from 1; `row_numbers` maps them back to the row
    numbers the person who prepared the file sees. Field names become column names.
    """
    column_of = {"issuing_department": "department", NON_FIELD_ERRORS: ""}

    def file_row(number: int) -> int:
        return row_numbers[number - 1] if 0 < number <= len(row_numbers) else number

    failures: list[tuple[int | None, str]] = [
        (None, str(error.error)) for error in result.base_errors
    ]
    for number, errors in result.row_errors():
        failures.extend((file_row(number), str(error.error)) for error in errors)
    for invalid in result.invalid_rows:
        reasons = []
        for name, messages in invalid.error_dict.items():
            column = column_of.get(name, name)
            text = " ".join(str(message) for message in messages)
            reasons.append(f"{column}: {text}" if column else text)
        failures.append((file_row(invalid.number), "; ".join(reasons)))
    return sorted(failures, key=lambda failure: failure[0] or 0)
