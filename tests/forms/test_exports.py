"""Exports of a form's applications (docs/security.md H1 formula injection, H2 rights,
masking and audit), through the admin's export view."""

import csv
import io
import uuid
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from forms.models import AccessRecord, Application, ApplicationStatus
from tests.cms.hall_admin import assert_refused, client_for, make_staff
from tests.factories import make_department
from tests.forms.admin_helpers import (
    ID_A,
    field,
    make_form,
    make_talent,
    publish_definition,
    sample_definition,
    sample_inputs,
    start_draft,
    submit_application,
)
from tests.forms.test_admin import grant

pytestmark = pytest.mark.django_db

SEEDS = [
    '=HYPERLINK("http://x","a")',
    "+1+1",
    "-1+2",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "+8613812341234",
]


def staff_with(*codenames):
    return grant(make_staff(make_department()), "view_application", *codenames)


def export(client, form, file_format, **post):
    url = reverse("applications_admin:export", args=[form.pk, file_format])
    post.setdefault("reason", "人才认定复核")
    return client.post(url, post)


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_sheet(response):
    data = body(response)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return xml, openpyxl.load_workbook(io.BytesIO(data)).active


@pytest.fixture
def seeded_form():
    """A form of seven text fields whose stored answers are formula-like."""
    definition = [
        field("short_text", f"text_{i}", f"问题{i}", required=False, max_length=100)
        for i in range(len(SEEDS))
    ]
    form = make_form(definition=definition)
    Application.objects.create(
        form=form,
        version=form.latest_version(),
        applicant=make_talent(),
        status=ApplicationStatus.SUBMITTED,
        receipt_number=f"QZRC-2026-{uuid.uuid4().int % 10**6:06d}",
        start_token=uuid.uuid4(),
        answers={f"text_{i}": seed for i, seed in enumerate(SEEDS)},
        submitted_at=timezone.now(),
    )
    return form


# --- H1: formula injection ---


def test_xlsx_cells_are_strings_never_formulas(seeded_form):
    client = client_for(staff_with("export_application"))
    xml, sheet = xlsx_sheet(export(client, seeded_form, "xlsx"))
    assert "<f>" not in xml and "<f " not in xml
    header, row = list(sheet.iter_rows(min_row=1, max_row=2))
    assert [cell.value for cell in header][-len(SEEDS) :] == [
        f"问题{i}" for i in range(len(SEEDS))
    ]
    answers = row[-len(SEEDS) :]
    assert all(cell.data_type == "s" for cell in row)
    assert [cell.value for cell in answers] == SEEDS  # unchanged, phone included


def test_csv_cells_that_start_a_formula_are_prefixed(seeded_form):
    client = client_for(staff_with("export_application"))
    header, row = csv_rows(export(client, seeded_form, "csv"))
    answers = row[-len(SEEDS) :]
    assert answers[:6] == [f"'{seed}" for seed in SEEDS[:6]]
    assert all(cell.startswith("'") for cell in answers[:6])
    assert row[0].startswith("QZRC-")  # ordinary values untouched


# --- H2: rights, masking, audit ---


def test_export_needs_the_export_permission(seeded_form):
    client = client_for(staff_with())
    for file_format in ("xlsx", "csv"):
        assert_refused(export(client, seeded_form, file_format))
    assert not AccessRecord.objects.filter(kind="export").exists()


def test_export_refuses_get_and_unknown_formats(seeded_form):
    client = client_for(staff_with("export_application"))
    url = reverse("applications_admin:export", args=[seeded_form.pk, "csv"])
    assert client.get(url).status_code == 405
    assert_refused(export(client, seeded_form, "html"))


def test_ids_and_mobiles_are_masked_by_default():
    form = make_form()
    submit_application(form)
    client = client_for(staff_with("export_application", "reveal_personal_data"))
    for file_format in ("csv", "xlsx"):
        data = body(export(client, form, file_format))
        text = data.decode("utf-8-sig") if file_format == "csv" else ""
        if file_format == "xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                text = archive.read("xl/worksheets/sheet1.xml").decode()
        assert ID_A not in text and "13912345678" not in text
        assert f"{ID_A[:4]}**********{ID_A[-4:]}" in text and "139****5678" in text


def test_reveal_needs_the_permission_and_is_audited():
    form = make_form()
    submit_application(form)
    without = staff_with("export_application")
    text = body(export(client_for(without), form, "csv", reveal="1")).decode()
    assert ID_A not in text and "13912345678" not in text
    revealer = staff_with("export_application", "reveal_personal_data")
    text = body(export(client_for(revealer), form, "csv", reveal="1")).decode()
    assert ID_A in text and "13912345678" in text
    events = AccessRecord.objects.filter(kind="export").order_by("pk")
    assert [(e.user_id, e.detail["revealed"]) for e in events] == [
        (without.pk, False),
        (revealer.pk, True),
    ]


def test_every_export_writes_one_audit_event_with_its_row_count():
    form = make_form()
    submit_application(form)
    submit_application(form)
    start_draft(form)  # drafts are never exported
    exporter = staff_with("export_application")
    header, *rows = csv_rows(export(client_for(exporter), form, "csv"))
    assert len(rows) == 2
    event = AccessRecord.objects.get(kind="export")
    assert event.user == exporter and event.client_ip
    assert (event.object_id, event.object_label) == (str(form.pk), form.title)
    assert event.reason == "人才认定复核"
    assert event.detail == {
        "rows": 2,
        "format": "csv",
        "revealed": False,
    }


# --- versions, groups, files ---


def test_each_application_is_exported_against_its_own_version():
    form = make_form()
    old = submit_application(form, inputs=sample_inputs(degree="硕士"))
    changed = sample_definition()
    changed[4] = {**changed[4], "label": "最高学位", "choices": ["博士", "硕士"]}
    changed.insert(
        2,
        field("short_text", "former_name", "曾用名", required=False, max_length=50),
    )
    form = publish_definition(form, changed)
    inputs = sample_inputs(name="李四")
    inputs["former_name"] = ["李小四"]
    new = submit_application(form, inputs=inputs)
    exporter = staff_with("export_application")
    header, *rows = csv_rows(export(client_for(exporter), form, "csv"))
    by_receipt = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    # Columns: fields of version 1 in order, then what version 2 added; the
    # newest label names a column.
    assert header.index("姓名") < header.index("身份证件") < header.index("曾用名")
    assert "最高学位" in header and "最高学历" not in header
    version = header[3]  # receipt, status, submitted, version, answers...
    assert by_receipt[old.receipt_number][version] == "1"
    assert by_receipt[old.receipt_number]["曾用名"] == ""
    assert by_receipt[old.receipt_number]["最高学位"] == "硕士"
    assert by_receipt[new.receipt_number][version] == "2"
    assert by_receipt[new.receipt_number]["曾用名"] == "李小四"


def test_group_answers_share_one_cell_and_files_are_listed_by_name():
    form = make_form()
    inputs = sample_inputs()
    inputs.update(
        {
            "education-rows": ["2"],
            "education-1-school": ["=cmd|' /C calc'!A0"],
            "education-1-abroad": ["yes"],
        }
    )
    submit_application(form, inputs=inputs, with_file=True)
    exporter = staff_with("export_application")
    header, row = csv_rows(export(client_for(exporter), form, "csv"))
    cells = dict(zip(header, row, strict=True))
    assert (
        cells["教育经历"]
        == "学校: 清华大学；境外: 否\n学校: =cmd|' /C calc'!A0；境外: 是"
    )
    assert cells["学历证书"] == "学位证书.pdf"
