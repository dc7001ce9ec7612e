"""Every look at personal data is on record (PIPL Art. 55-57;
docs/security.md G3, H2, I1, I2): opening a case or a talent record, downloading an
applicant's file, revealing, exporting and looking up by ID number each write
one access record (who, what, when, client IP, the reason where one is asked);
nobody changes or deletes one; administrators alone read, filter and export
them in the admin.
"""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from forms.models import AccessKind, AccessRecord, TalentProfile
from tests.cms.hall_admin import client_for, make_staff
from tests.forms.admin_helpers import ID_A
from tests.forms.test_case_admin import admin_staff, build_world

pytestmark = pytest.mark.django_db

INDEX = "applications_accessrecord_modeladmin_index"
IP = "203.0.113.9"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end;
    each test runs in its own savepoint, so what it records goes with it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            w.content_editor = make_staff(w.housing)
            w.admin_access_only = admin_staff()
            w.auditor = admin_staff(perms=("view_accessrecord",), real_name="审计员")
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def records(**filters):
    return list(AccessRecord.objects.filter(**filters).order_by("pk"))


def only_record(**filters) -> AccessRecord:
    found = records(**filters)
    assert len(found) == 1, found
    return found[0]


# --- what is recorded ---


def test_opening_a_case_is_recorded_with_who_what_when_and_ip(world):
    case = world.cases["approve"]
    client = client_for(world.reviewer, REMOTE_ADDR=IP)
    before = timezone.now()
    assert (
        client.get(reverse("applications_cases:case", args=[case.uuid])).status_code
        == 200
    )
    record = only_record()
    assert record.user == world.reviewer and record.kind == AccessKind.VIEW
    assert record.object_type.model_class() is type(case)
    assert (record.object_id, record.object_label) == (
        str(case.pk),
        case.receipt_number,
    )
    assert record.client_ip == IP and record.created_at >= before
    assert record.reason == ""


def test_a_case_refused_is_not_recorded_as_seen(world):
    case = world.cases["accept"]
    client = client_for(world.other_handler)
    assert (
        client.get(reverse("applications_cases:case", args=[case.uuid])).status_code
        == 404
    )
    assert records() == []


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_address_is_the_projects_client_ip_behind_a_proxy(world):
    case = world.cases["approve"]
    client = client_for(
        world.reviewer, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    client.get(reverse("applications_cases:case", args=[case.uuid]))
    assert only_record().client_ip == "198.51.100.7"


def test_staff_downloading_a_file_is_recorded_the_applicant_is_not(world):
    case = world.cases["department"]
    stored = case.files.get()
    url = reverse("applications:file", args=[stored.uuid])
    assert client_for(world.owner).get(url).status_code == 200
    assert records() == []
    assert client_for(world.handler).get(url).status_code == 200
    record = only_record()
    assert (record.user, record.kind) == (world.handler, AccessKind.FILE)
    assert record.object_id == str(stored.pk)
    # The case and the field, never the file's own name (it may carry a name).
    assert record.object_label == f"{case.receipt_number} {stored.field_key}"
    assert stored.original_name not in record.object_label


def test_a_reveal_is_recorded_with_its_reason(world):
    case = world.cases["approve"]
    url = reverse("applications_cases:reveal", args=[case.uuid])
    client = client_for(world.reviewer)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert records() == []
    assert client.post(url, {"reason": "核对社保记录"}).status_code == 200
    record = only_record()
    assert (record.kind, record.reason) == (AccessKind.REVEAL, "核对社保记录")
    assert record.object_label == case.receipt_number


def test_an_export_asks_for_a_reason_and_records_it(world):
    url = reverse("applications_admin:export", args=[world.form.pk, "csv"])
    client = client_for(world.reviewer)
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 302 and not hasattr(refused, "streaming_content")
    assert records() == []
    response = client.post(url, {"reason": "年度复核"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    record = only_record()
    assert (record.kind, record.reason) == (AccessKind.EXPORT, "年度复核")
    assert (record.object_id, record.object_label) == (
        str(world.form.pk),
        world.form.title,
    )
    assert record.detail == {"rows": 4, "format": "csv", "revealed": False}


def test_an_id_lookup_names_what_it_found_never_the_number(world):
    client = client_for(world.reviewer)
    client.post(reverse("applications_admin:find_by_id"), {"id_number": ID_A})
    record = only_record()
    assert record.kind == AccessKind.ID_LOOKUP
    assert record.detail["matches"] == 4
    assert sorted(record.detail["found"]) == sorted(
        case.receipt_number for case in world.cases.values()
    )
    stored = " ".join(
        str(value)
        for value in (
            record.object_label,
            record.reason,
            record.detail,
            record.object_id,
        )
    )
    assert ID_A not in stored and ID_A[6:14] not in stored


def test_opening_a_talent_record_is_recorded(world):
    profile = TalentProfile.objects.create(name="张三", certificate_number="RC-1")
    url = reverse("applications_talentprofile_modeladmin_inspect", args=[profile.pk])
    assert client_for(world.superuser).get(url).status_code == 200
    record = only_record()
    assert (record.kind, record.object_label) == (AccessKind.VIEW, "RC-1")


# --- nobody changes or deletes a record ---


def make_record(user, **fields) -> AccessRecord:
    fields.setdefault("kind", AccessKind.VIEW)
    return AccessRecord.objects.create(user=user, **fields)


def test_records_cannot_be_changed_or_deleted_through_the_orm(world):
    record = make_record(world.reviewer, object_label="QZRC-1")
    record.reason = "改写"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()
    with pytest.raises(ValueError):
        AccessRecord.objects.filter(pk=record.pk).update(reason="改写")
    with pytest.raises(ValueError):
        AccessRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(ValueError):
        AccessRecord.objects.update(reason="改写")
    assert AccessRecord.objects.get(pk=record.pk).reason == ""


def test_no_role_can_be_given_the_right_to_change_or_delete_records():
    codenames = set(
        Permission.objects.filter(
            content_type__app_label="applications", codename__endswith="accessrecord"
        ).values_list("codename", flat=True)
    )
    assert codenames == {"view_accessrecord"}


# --- the admin: who sees the records (every cell written out) ---


ROLES = (
    "anonymous",
    "owner",
    "clerk",
    "reviewer",
    "handler",
    "prereviewer",
    "content_editor",
    "admin_access_only",
    "auditor",
    "superuser",
)
ACTIONS = ("menu", "list", "inspect", "export", "create", "edit", "delete", "history")
MATRIX = {
    # role: actions allowed; every other cell is refused.
    "anonymous": set(),
    "owner": set(),
    "clerk": set(),
    "reviewer": set(),  # every permission on cases, none on the records
    "handler": set(),
    "prereviewer": set(),
    "content_editor": set(),
    "admin_access_only": set(),
    "auditor": {"menu", "list", "inspect", "export"},
    "superuser": {"menu", "list", "inspect", "export"},
}


@pytest.fixture
def matrix_world(world):
    world.record = make_record(
        world.reviewer,
        object_label=world.cases["approve"].receipt_number,
        reason="核对",
    )
    return world


def observe(world, role: str, action: str) -> bool:
    client = Client() if role == "anonymous" else client_for(getattr(world, role))
    index = reverse(INDEX)
    pk = world.record.pk
    if action == "menu":
        response = client.get(reverse("wagtailadmin_home"))
        return response.status_code == 200 and index in response.content.decode()
    if action == "list":
        response = client.get(index)
        return response.status_code == 200 and "核对" in response.content.decode()
    if action == "inspect":
        response = client.get(f"{index}inspect/{pk}/")
        return response.status_code == 200 and "核对" in response.content.decode()
    if action == "export":
        response = client.post(
            reverse("access_records_export", args=["csv"]), {"reason": "季度审计"}
        )
        if response.status_code != 200:
            return False
        return "核对".encode() in b"".join(response.streaming_content)
    before = AccessRecord.objects.count()
    if action == "create":
        response = client.post(f"{index}create/", {"kind": "view"})
    elif action == "edit":
        response = client.post(f"{index}edit/{pk}/", {"reason": "改写"})
    elif action == "delete":
        response = client.post(f"{index}delete/{pk}/")
    elif action == "history":
        response = client.get(f"{index}history/{pk}/")
        return response.status_code == 200
    else:
        raise AssertionError(action)
    unchanged = (
        AccessRecord.objects.count() == before
        and AccessRecord.objects.get(pk=pk).reason == "核对"
    )
    assert unchanged, (role, action)
    return response.status_code == 200


CELLS = [(role, action) for role in ROLES for action in ACTIONS]


@pytest.mark.parametrize(("role", "action"), CELLS)
def test_access_record_rights_matrix(matrix_world, role, action):
    assert observe(matrix_world, role, action) == (action in MATRIX[role])


# --- the admin: filters and export ---


@pytest.fixture
def filled(world):
    """Records of two people, three kinds, over three days."""
    w = world
    first, second = w.cases["approve"], w.cases["accept"]
    case_type = ContentType.objects.get_for_model(first)
    w.old = make_record(
        w.reviewer,
        kind=AccessKind.VIEW,
        object_type=case_type,
        object_label=first.receipt_number,
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 9)),
    )
    w.file = make_record(
        w.handler,
        kind=AccessKind.FILE,
        object_label=f"{first.receipt_number} diploma",
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 23, 30)),
    )
    w.reveal = make_record(
        w.reviewer,
        kind=AccessKind.REVEAL,
        object_type=case_type,
        object_label=second.receipt_number,
        reason='=HYPERLINK("http://x","a")',
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 3, 8)),
    )
    return w


def listed(client, **params) -> set[int]:
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200, response.status_code
    return {record.pk for record in response.context["object_list"]}


def test_records_filter_by_person_kind_dates_and_object(filled):
    w = filled
    client = client_for(w.superuser)
    assert listed(client) == {w.old.pk, w.file.pk, w.reveal.pk}
    assert listed(client, user=w.handler.pk) == {w.file.pk}
    assert listed(client, kind__exact="reveal") == {w.reveal.pk}
    assert listed(client, date_from="2026-03-02", date_to="2026-03-02") == {w.file.pk}
    assert listed(client, date_from="2026-03-02") == {w.file.pk, w.reveal.pk}
    # An object, with the records of its files.
    receipt = w.cases["approve"].receipt_number
    assert listed(client, object=receipt) == {w.old.pk, w.file.pk}
    assert listed(client, object=receipt[:-1]) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-01"},
        {"date_to": "9999-12-31"},
        {"date_from": "yesterday"},
        {"user": "abc"},
        {"user": "9" * 40},
        {"object_type": "-1"},
        {"object": "x" * 300},
        {"object": "QZRC\x00"},
        {"q": "\x00"},
    ],
)
def test_a_bad_filter_value_answers_400_not_500(filled, params):
    response = client_for(filled.superuser).get(reverse(INDEX), params)
    assert response.status_code == 400


def test_an_undeclared_lookup_is_ignored(filled):
    client = client_for(filled.superuser)
    everything = listed(client)
    assert listed(client, user__password__startswith="md5$") == everything
    assert listed(client, reason__startswith="nothing") == everything


def test_the_export_follows_the_filters_is_formula_safe_and_recorded(filled):
    auditor = filled.auditor
    client = client_for(auditor)
    url = reverse("access_records_export", args=["csv"])
    assert client.post(url, {"filters": "kind__exact=reveal"}).status_code == 302
    assert records(kind=AccessKind.EXPORT) == []
    response = client.post(url, {"filters": "kind__exact=reveal", "reason": "季度审计"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][7] == '\'=HYPERLINK("http://x","a")'
    export = only_record(kind=AccessKind.EXPORT)
    assert (export.user, export.reason) == (auditor, "季度审计")
    assert export.object_type.model_class() is AccessRecord
    assert export.detail["rows"] == 1
    assert export.detail["filters"] == {"kind__exact": "reveal"}

    xlsx = client.post(
        reverse("access_records_export", args=["xlsx"]), {"reason": "季度审计"}
    )
    data = b"".join(xlsx.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    # Header, three records and both exports: an export is on record before it runs.
    assert sheet.max_row == 6


@pytest.mark.parametrize(
    "filters", ["date_from=2026-02-31", "object=QZRC%00", "user=x"]
)
def test_an_export_with_bad_filters_is_refused_politely(filled, filters):
    client = client_for(filled.superuser)
    url = reverse("access_records_export", args=["csv"])
    response = client.post(url, {"filters": filters, "reason": "审计"})
    assert response.status_code == 302
    assert records(kind=AccessKind.EXPORT) == []
