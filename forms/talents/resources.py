"""Loading an existing talent roster through django-import-export.

One row is one person: 姓名, 身份证号, 层次, 领域, 工作单位, 证书编号, 有效期至. A row
is matched to a profile by the blind index of the ID number, so importing the
same file twice updates rather than duplicates. The number is checked against GB
11643, stored encrypted with its masked form, and never appears in a message:
errors name the row and the column, and at most the masked number (G2, H3).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from cms.core import crypto
from cms.core.identifiers import mask_identifier, normalize_code, validate_resident_id
from cms.core.import_cells import DateWidget, cell_text
from forms.models import TalentProfile
from forms.talents.profiles import find_employer, find_tier

TALENT_COLUMNS = {
    "name": ("姓名",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码"),
    "tier": ("层次", "人才层次", "认定层次"),
    "industry": ("领域", "行业", "领域/行业"),
    "employer": ("工作单位", "用人单位"),
    "certificate_number": ("证书编号",),
    "valid_until": ("有效期至", "有效期"),
}
TALENT_REQUIRED_COLUMNS = ("name", "id_number", "tier")
COLUMN_LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "id_digest": "身份证号",
    "tier": "层次",
    "industry": "领域",
    "employer": "工作单位",
    "employer_name": "工作单位",
    "certificate_number": "证书编号",
    "valid_until": "有效期至",
}


class NameWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(_("The name is missing."))
        if len(text) > 50:
            raise ValueError(_("The name is longer than 50 characters."))
        return text


class TextWidget(widgets.CharWidget):
    def __init__(self, max_length: int, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if len(text) > self.max_length:
            raise ValueError(
                _("Longer than %(max)d characters.") % {"max": self.max_length}
            )
        return text


class TierWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(_("The tier is missing."))
        tier = find_tier(text)
        if tier is None:
            raise ValueError(_("Unknown talent tier “%(value)s”.") % {"value": text})
        return tier

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class IdNumberField(fields.Field):
    """Reads the plain number; writes digest, cipher and mask; shows the mask."""

    def clean(self, row, **kwargs):
        number = normalize_code(cell_text(row.get(self.column_name)))
        if not number:
            raise ValueError(_("The ID number is missing."))
        try:
            validate_resident_id(number)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        return number

    def save(self, instance, row, is_m2m=False, **kwargs):
        number = self.clean(row)
        digest = crypto.blind_index(number)
        if instance.id_digest != digest:
            instance.id_digest = digest
            instance.id_cipher = crypto.encrypt(number)
            instance.id_masked = mask_identifier(number)
            instance.id_kind = "resident"

    def get_value(self, instance):
        return instance.id_masked


class EmployerField(fields.Field):
    def save(self, instance, row, is_m2m=False, **kwargs):
        name = self.clean(row, **kwargs)
        instance.employer_name = name
        instance.employer = find_employer(name)

    def get_value(self, instance):
        return instance.employer_name


class CertificateField(fields.Field):
    """Kept as written; an empty cell keeps the profile's number or, for a new
    profile, draws the next one on saving."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        number = self.clean(row, **kwargs)
        if number:
            instance.certificate_number = number


class TalentResource(resources.ModelResource):
    name = fields.Field("name", "name", NameWidget())
    id_number = IdNumberField("id_digest", "id_number")
    tier = fields.Field("tier", "tier", TierWidget())
    industry = fields.Field("industry", "industry", TextWidget(60))
    employer = EmployerField("employer_name", "employer", TextWidget(120))
    certificate_number = CertificateField(
        "certificate_number", "certificate_number", TextWidget(40)
    )
    valid_until = fields.Field("valid_until", "valid_until", DateWidget())

    class Meta:
        model = TalentProfile
        fields = tuple(TALENT_COLUMNS)
        import_order = tuple(TALENT_COLUMNS)
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True

    def __init__(self, on_row=None, file_rows: list[int] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.on_row = on_row
        # import-export counts data rows from 1; these are the rows people see.
        self.file_rows = file_rows or []
        self.seen: dict[str, int] = {}

    def file_row(self, number: int) -> int:
        if 0 < number <= len(self.file_rows):
            return self.file_rows[number - 1]
        return number

    def get_instance(self, instance_loader, row):
        try:
            number = self.fields["id_number"].clean(row)
        except ValueError:
            return None  # reported when the field is imported
        return TalentProfile.objects.filter(
            id_digest=crypto.blind_index(number)
        ).first()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        if "id_number" not in errors and instance.id_digest:
            number = kwargs.get("row_number") or 0
            first = self.seen.setdefault(instance.id_digest, number)
            if first != number:
                errors["id_digest"] = [
                    ValidationError(
                        _("The same person as row %(row)d (%(masked)s).")
                        % {"row": self.file_row(first), "masked": instance.id_masked}
                    )
                ]
        certificate = instance.certificate_number
        if certificate and (
            TalentProfile.objects.filter(certificate_number=certificate)
            .exclude(pk=instance.pk)
            .exists()
        ):
            errors["certificate_number"] = [
                ValidationError(
                    _("Certificate number %(number)s belongs to another person.")
                    % {"number": certificate}
                )
            ]
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        try:
            return super().import_row(row, instance_loader, **kwargs)
        finally:
            if self.on_row is not None:
                self.on_row()


def describe_failures(result, row_numbers: list[int]) -> list[tuple[int | None, str]]:
    """(file row number, reason) for every failure, with Chinese column names.

    Only our own messages are shown: a base error's text (an exception raised
    while saving) could carry row values, so it is reduced to its type.
    """

    def file_row(number: int) -> int:
        return row_numbers[number - 1] if 0 < number <= len(row_numbers) else number

    failures: list[tuple[int | None, str]] = [
        (None, _("Import failed: %(error)s") % {"error": type(error.error).__name__})
        for error in result.base_errors
    ]
    for number, errors in result.row_errors():
        failures.extend(
            (
                file_row(number),
                _("The row could not be saved (%(error)s).")
                % {"error": type(error.error).__name__},
            )
            for error in errors
        )
    for invalid in result.invalid_rows:
        reasons = []
        for name, messages in invalid.error_dict.items():
            column = COLUMN_LABELS.get(name, "" if name == NON_FIELD_ERRORS else name)
            text = " ".join(str(message) for message in messages)
            reasons.append(f"{column}: {text}" if column else text)
        failures.append((file_row(invalid.number), "; ".join(reasons)))
    return sorted(failures, key=lambda failure: failure[0] or 0)


HELP = gettext_lazy(
    "Create or update talent profiles from a CSV, XLSX or JSON roster with the "
    "columns 姓名, 身份证号, 层次, 领域, 工作单位, 证书编号, 有效期至. Profiles are "
    "matched by ID number. Nothing is written if any row fails."
)
