"""The talent database (人才库): profiles from completed approvals, the admin list,
the masked export and the roster import (docs/security.md G2, G3,
H1, H2, H3)."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from cms.core import crypto
from cms.core.models import TalentTier
from forms.casework import actions
from forms.models import AccessRecord, TalentProfile
from forms.talents.profiles import profile_from_application
from tests.factories import make_employer, make_user
from tests.forms.test_publicity import (
    MONDAY,
    TIER,
    in_publicity,
    pii_findings,
    resident_id,
)
from tests.forms.test_publicity import form as form  # noqa: F401 (fixture)
from tests.forms.test_publicity import tier as tier  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.forms.test_publicity"),
]

ID_1 = resident_id("35050219880101231")
ID_2 = resident_id("11010119900307447")


def complete(application, capture):
    """End the publicity, running the after-commit receivers as production does."""
    with capture(execute=True):
        return actions.end_publicity(application)


# --- profiles from approvals ---


@freeze_time(MONDAY)
def test_a_completed_approval_creates_a_profile(
    form, tier, django_capture_on_commit_callbacks
):
    employer = make_employer(name="泉州市港湾科技有限公司", industry="新材料")
    talent = make_user(kind="talent", real_name="张小三")
    application = in_publicity(form, id_number=ID_1, employer=employer)
    application.talent = talent
    application.save()
    complete(application, django_capture_on_commit_callbacks)
    profile = TalentProfile.objects.get()
    assert profile.name == "张小三"
    assert profile.user == talent
    assert profile.tier == tier
    assert (profile.employer, profile.employer_name) == (employer, employer.name)
    assert profile.industry == "新材料"  # the employer's, with no answer for it
    assert profile.certificate_number == "RC-2026-00001"
    assert str(profile.valid_from) == "2026-03-02"
    assert str(profile.valid_until) == "2031-03-01"
    assert profile.id_masked == ID_1[:4] + "*" * 10 + ID_1[-4:]
    assert crypto.decrypt(profile.id_cipher) == ID_1
    assert profile.id_digest == crypto.blind_index(ID_1)
    assert profile.source_application == application
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM applications_talentprofile WHERE id = %s", [profile.pk]
        )
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert ID_1 not in raw and ID_1[6:14] not in raw


@freeze_time(MONDAY)
def test_a_second_approval_updates_the_profile(
    form, tier, django_capture_on_commit_callbacks
):
    complete(in_publicity(form, id_number=ID_1), django_capture_on_commit_callbacks)
    first = TalentProfile.objects.get()
    second_tier = TalentTier.objects.get_or_create(
        name="第二层次人才", defaults={"code": "t2"}
    )[0]
    later = in_publicity(form, id_number=ID_1, tier="第二层次人才", industry="集成电路")
    with freeze_time("2027-05-10 10:00:00+08:00"):
        later.decided_at = None
        complete(later, django_capture_on_commit_callbacks)
    assert TalentProfile.objects.count() == 1
    profile = TalentProfile.objects.get()
    assert profile.certificate_number == first.certificate_number
    assert profile.tier == second_tier
    assert profile.industry == "集成电路"
    assert profile.source_application == later
    other = in_publicity(form, id_number=ID_2)
    complete(other, django_capture_on_commit_callbacks)
    assert TalentProfile.objects.count() == 2
    assert (
        TalentProfile.objects.get(source_application=other).certificate_number
        == "RC-2026-00002"
    )


@freeze_time(MONDAY)
def test_a_tier_that_matches_no_talent_tier_is_kept_as_text(form):
    application = in_publicity(form, id_number=ID_1, tier="特聘人才")
    actions.end_publicity(application)
    application.refresh_from_db()
    profile = profile_from_application(application)
    assert profile.tier is None and profile.tier_label == "特聘人才"


@freeze_time(MONDAY)
def test_rejected_cases_make_no_profile(form, django_capture_on_commit_callbacks):
    application = in_publicity(form, id_number=ID_1)
    assert profile_from_application(application) is None  # still in publicity
    assert not TalentProfile.objects.exists()


def test_the_profile_receiver_is_connected_at_start_up():
    """The receiver must not depend on someone importing forms.talents.profiles first."""
    script = (
        "import django; django.setup(); "
        "from forms.casework.workflow import case_event; "
        "print(any('completed_profile' in repr(r[1]) or 'talents' in repr(r[0]) "
        "for r in case_event.receivers))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={"DJANGO_SETTINGS_MODULE": "cms.settings.test", "PATH": ""},
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == "True", result.stderr[-2000:]


# --- the admin list and the export ---


def staff_with(*codenames):
    user = make_user(kind="staff")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="applications", codename__in=codenames
        ),
        Permission.objects.get(codename="access_admin"),
    )
    return user


def profile(name, number, **fields):
    tier = TalentTier.objects.get_or_create(name=TIER, defaults={"code": "t3"})[0]
    from cms.core.identifiers import mask_identifier

    return TalentProfile.objects.create(
        name=name,
        id_digest=crypto.blind_index(number),
        id_cipher=crypto.encrypt(number),
        id_masked=mask_identifier(number),
        tier=tier,
        **fields,
    )


SEEDS = ['=HYPERLINK("http://x","a")', "+1+1", "-1+2", "@SUM(1)"]


@freeze_time(MONDAY)
def test_the_admin_list_is_masked_and_searches_ids_by_keyed_hash(client):
    profile("张小三", ID_1, industry="新材料")
    profile("李四", ID_2, industry="集成电路")
    client.force_login(staff_with("view_talentprofile"))
    index = reverse("applications_talentprofile_modeladmin_index")
    page = client.get(index)
    assert page.status_code == 200
    html = page.content.decode()
    assert pii_findings(html) == []
    assert "张*三" in html and "张小三" not in html
    assert (
        client.get(index, {"industry": "新材料"}).content.decode().count("RC-2026-")
        == 1
    )
    # An ID typed into the search box never stays in an address.
    assert client.get(index, {"q": ID_1}).status_code == 302
    found = client.post(reverse("talents_admin:find_by_id"), {"id_number": ID_1})
    assert ID_1 not in found["Location"]
    listing = client.get(found["Location"]).content.decode()
    assert "张*三" in listing and "李*" not in listing
    lookup = AccessRecord.objects.get(kind="id_lookup")
    assert lookup.object_type.model_class() is TalentProfile
    assert lookup.detail["matches"] == 1 and ID_1 not in str(lookup.detail)
    # Unknown lookups are not applied (no oracle on the ciphertext).
    assert (
        client.get(index, {"id_cipher__startswith": "gAAAA"})
        .content.decode()
        .count("RC-2026-")
        == 2
    )


@freeze_time(MONDAY)
def test_the_export_is_masked_formula_safe_and_audited(client):
    profile("张小三", ID_1, industry=SEEDS[0], employer_name=SEEDS[1])
    profile("李四", ID_2, industry=SEEDS[2], employer_name=SEEDS[3])
    user = staff_with("view_talentprofile", "export_talentprofile")
    client.force_login(user)
    response = client.post(
        reverse("talents_admin:export", args=["csv"]),
        # Without the reveal permission: masked.
        {"filters": "", "reveal": "1", "reason": "年度人才统计"},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[0]) == 8  # certificate, name, ID, tier, field, employer, dates
    assert len(rows) == 3
    assert pii_findings(text) == []
    assert {row[2] for row in rows[1:]} == {
        ID_1[:4] + "*" * 10 + ID_1[-4:],
        ID_2[:4] + "*" * 10 + ID_2[-4:],
    }
    assert all(row[4].startswith("'") and row[5].startswith("'") for row in rows[1:])
    event = AccessRecord.objects.get(kind="export")
    assert event.user == user and event.reason == "年度人才统计"
    assert (event.detail["rows"], event.detail["format"]) == (2, "csv")
    assert event.detail["revealed"] is False

    response = client.post(
        reverse("talents_admin:export", args=["xlsx"]),
        {"filters": "industry__exact=" + SEEDS[0], "reason": "年度人才统计"},
    )
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    values = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    assert len(values) == 2 and values[1][4] == SEEDS[0]
    assert AccessRecord.objects.filter(kind="export").count() == 2


@freeze_time(MONDAY)
def test_revealing_in_the_export_needs_the_permission(client):
    profile("张小三", ID_1)
    client.force_login(
        staff_with("view_talentprofile", "export_talentprofile", "reveal_personal_data")
    )
    response = client.post(
        reverse("talents_admin:export", args=["csv"]),
        {"reveal": "1", "reason": "核对身份"},
    )
    assert ID_1 in b"".join(response.streaming_content).decode("utf-8-sig")
    assert AccessRecord.objects.get(kind="export").detail["revealed"] is True
    client.force_login(staff_with("view_talentprofile"))
    refused = client.post(
        reverse("talents_admin:export", args=["csv"]), {"reason": "核对身份"}
    )
    assert refused.status_code in (302, 403)
    assert AccessRecord.objects.filter(kind="export").count() == 1
    client.force_login(staff_with("view_talentprofile", "export_talentprofile"))
    assert client.get(reverse("talents_admin:export", args=["csv"])).status_code in (
        302,
        405,
    )


# --- the roster import ---

HEADER = ["姓名", "身份证号", "层次", "领域", "工作单位", "证书编号", "有效期至"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def roster(tmp_path, rows, name="roster.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run(path, *extra) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_talents", str(path), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *extra) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_talents", str(path), *extra, stdout=io.StringIO(), stderr=err
        )
    return err.getvalue() + str(raised.value)


GOOD = [
    ["张小三", ID_1, TIER, "新材料", "泉州市港湾科技有限公司", "", "2030-12-31"],
    ["李四", ID_2, "tier-3", "", "", "QZ-2019-0007", ""],
]


@freeze_time(MONDAY)
def test_a_dry_run_writes_nothing(tmp_path, tier):
    out, err = run(roster(tmp_path, GOOD), "--dry-run")
    assert "Dry run: 2 created" in out
    assert not TalentProfile.objects.exists()
    assert pii_findings(out + err) == []


@freeze_time(MONDAY)
def test_a_roster_imports_and_a_second_run_changes_nothing(tmp_path, tier):
    make_employer(name="泉州市港湾科技有限公司")
    path = roster(tmp_path, GOOD)
    out, _err = run(path)
    assert "2 created" in out
    first = TalentProfile.objects.get(id_digest=crypto.blind_index(ID_1))
    assert first.certificate_number == "RC-2026-00001"
    assert first.tier == tier and first.employer.name == "泉州市港湾科技有限公司"
    assert str(first.valid_until) == "2030-12-31"
    assert crypto.decrypt(first.id_cipher) == ID_1
    second = TalentProfile.objects.get(id_digest=crypto.blind_index(ID_2))
    assert second.certificate_number == "QZ-2019-0007"
    out, _err = run(path)
    assert "0 created, 0 updated, 2 unchanged" in out
    changed = [list(GOOD[0]), GOOD[1]]
    changed[0][3] = "集成电路"
    out, _err = run(roster(tmp_path, changed, "changed.csv"))
    assert "0 created, 1 updated, 1 unchanged" in out
    assert TalentProfile.objects.count() == 2


@freeze_time(MONDAY)
def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(tmp_path, tier):
    bad_checksum = ID_1[:-1] + ("0" if ID_1[-1] != "0" else "1")
    rows = [
        GOOD[0],
        ["王五", bad_checksum, TIER, "", "", "", ""],
        ["赵六", ID_2, "第九层次人才", "", "", "", "明年"],
        ["", resident_id("35050219900101123"), TIER, "", "", "", ""],
        ["张小三", ID_1, TIER, "", "", "", ""],
    ]
    report = refused(roster(tmp_path, rows))
    assert not TalentProfile.objects.exists()
    assert "Row 3 (王五)" in report and "check digit" in report
    assert "Row 4 (赵六)" in report and "第九层次人才" in report and "明年" in report
    assert "Row 5" in report and "name is missing" in report
    assert "Row 6 (张小三)" in report and "row 2" in report
    assert "Row 2 " not in report
    # The ID numbers never come back, except masked.
    assert pii_findings(report) == []
    assert bad_checksum not in report and ID_1 not in report
    assert ID_1[:4] + "*" * 10 + ID_1[-4:] in report


@freeze_time(MONDAY)
def test_a_certificate_number_of_someone_else_is_refused(tmp_path, tier):
    profile("张小三", ID_1, certificate_number="QZ-2019-0007")
    report = refused(
        roster(tmp_path, [["李四", ID_2, TIER, "", "", "QZ-2019-0007", ""]])
    )
    assert "Row 2 (李四)" in report and "QZ-2019-0007" in report
    assert TalentProfile.objects.count() == 1


@freeze_time(MONDAY)
def test_generated_numbers_skip_imported_ones(tmp_path, tier):
    run(roster(tmp_path, [["李四", ID_2, TIER, "", "", "RC-2026-00001", ""]]))
    created = profile("张小三", ID_1)
    assert created.certificate_number == "RC-2026-00002"


@freeze_time(MONDAY)
def test_xlsx_and_json_rosters_read_the_same(tmp_path, tier):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(GOOD[0])
    workbook.save(tmp_path / "roster.xlsx")
    out, _err = run(tmp_path / "roster.xlsx", "--dry-run")
    assert "Dry run: 1 created" in out
    (tmp_path / "roster.json").write_text(
        json.dumps([dict(zip(HEADER, GOOD[1], strict=True))], ensure_ascii=False),
        encoding="utf-8",
    )
    out, _err = run(tmp_path / "roster.json")
    assert "1 created" in out
