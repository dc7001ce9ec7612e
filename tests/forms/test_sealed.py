"""Sensitive answers sealed like ID numbers (docs/security.md G2): bank accounts,
addresses, mobile numbers and answers the builder flags as personal data are
encrypted one by one at rest, masked on every page and export, and shown in
full only to a revealer who asks."""

import importlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from cms.core import crypto
from cms.core.identifiers import (
    luhn_valid,
    mask_address,
    mask_bank_account,
    validate_bank_account,
)
from forms.builder.definition import definition_from_stream
from forms.builder.engine import display, seal_answers
from forms.models import Application, ApplicationFormPage, ApplicationStatus
from tests.cms.hall_admin import client_for, make_superuser
from tests.factories import make_user
from tests.forms.admin_helpers import ID_A, field, make_form
from tests.forms.flow import start, step_url

pytestmark = pytest.mark.django_db

BANK = "6222021408001234560"  # a UnionPay number with a valid Luhn digit
BANK_TYPED = "6222 0214 0800 1234 560"
MOBILE = "13712340001"
ADDRESS = "福建省泉州市丰泽区东海街道泉州大道318号海景花园12栋1503室"
STREET = "泉州大道318号"
SPOUSE = "王芳芳"
SPOUSE_MOBILE = "15912340002"
PLAIN = [BANK, MOBILE, STREET, SPOUSE, SPOUSE_MOBILE]


def definition() -> list[dict]:
    text = {"pattern": "", "pattern_message": "", "prefill": ""}
    return [
        field("short_text", "full_name", "姓名", max_length=50, **text),
        field("personal_id", "id_number", "身份证件", id_kinds=["resident"]),
        field("mobile", "phone", "手机号码", prefill=""),
        field("bank_account", "payee_account", "收款银行账号"),
        field("address", "home_address", "家庭住址", max_length=120),
        field(
            "short_text",
            "spouse_name",
            "配偶姓名",
            max_length=50,
            personal=True,
            **text,
        ),
        field("short_text", "employer", "工作单位", max_length=50, **text),
        field(
            "group",
            "family",
            "家庭成员",
            required=False,
            min_rows=0,
            max_rows=3,
            fields=[field("mobile", "member_phone", "联系电话", prefill="")],
        ),
    ]


def step_data() -> dict:
    return {
        "full_name": "张三",
        "id_number-kind": "resident",
        "id_number-number": ID_A,
        "phone": MOBILE,
        "payee_account": BANK_TYPED,
        "home_address": ADDRESS,
        "spouse_name": SPOUSE,
        "employer": "泉州市某研究院",
        "family-rows": "1",
        "family-0-member_phone": SPOUSE_MOBILE,
        "action": "next",
    }


@pytest.fixture
def submitted(client):
    """Applied for through the applicant's pages, as a browser does."""
    applicant = make_user(real_name="张三")  # profile mobile differs from MOBILE
    assert applicant.mobile not in PLAIN
    client.force_login(applicant)
    form = make_form(definition=definition())
    application = start(client, form)
    response = client.post(step_url(application, 1), step_data())
    assert response.status_code == 303, response.content.decode()[:3000]
    response = client.post(f"/applications/{application.uuid}/review/")
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    return application


def database_bytes() -> bytes:
    """The SQLite database file's bytes: every page, as the file would hold
    them (the test database lives in memory; serialize() copies its pages)."""
    connection.ensure_connection()
    return connection.connection.serialize()


def table_text() -> str:
    """Every row of every table as text (PostgreSQL's row-to-text cast)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT CAST(t AS text) FROM {quoted} t")  # noqa: S608
            chunks.extend(row[0] for row in cursor.fetchall())
    return "\n".join(chunks)


def assert_nowhere_plain(*values: str) -> None:
    if connection.vendor == "sqlite":
        data = database_bytes()
        for value in values:
            # JSON columns hold non-ASCII text as \\uXXXX escapes.
            escaped = json.dumps(value)[1:-1].encode()
            for encoded in (value.encode(), value.encode("utf-16-le"), escaped):
                assert encoded not in data, value
    else:
        text = table_text()
        for value in values:
            assert value not in text, value


# --- at rest ---


def test_the_draft_holds_no_plain_value(client):
    applicant = make_user()
    client.force_login(applicant)
    form = make_form(definition=definition())
    application = start(client, form)
    response = client.post(step_url(application, 1), step_data())
    assert response.status_code == 303
    assert_nowhere_plain(*PLAIN)


def test_submitted_answers_are_sealed_and_nowhere_in_the_database(submitted):
    answers = submitted.answers
    for key in ("phone", "payee_account", "home_address", "spouse_name"):
        assert set(answers[key]) == {"masked", "cipher"}, key
    assert crypto.decrypt(answers["payee_account"]["cipher"]) == BANK
    assert crypto.decrypt(answers["phone"]["cipher"]) == MOBILE
    assert answers["payee_account"]["masked"] == "6222 **** **** 4560"
    assert answers["phone"]["masked"] == "137****0001"
    assert answers["home_address"]["masked"] == "福建省泉州市丰泽区****"
    assert answers["spouse_name"]["masked"] == "王***"
    member = answers["family"][0]["member_phone"]
    assert crypto.decrypt(member["cipher"]) == SPOUSE_MOBILE
    assert answers["employer"] == "泉州市某研究院"  # not flagged: stays plain
    assert_nowhere_plain(*PLAIN)
    # The scan can find a plain value: the unflagged answer is there.
    assert_nowhere_plain_fails("泉州市某研究院")


def assert_nowhere_plain_fails(value: str) -> None:
    with pytest.raises(AssertionError):
        assert_nowhere_plain(value)


# --- shown masked; revealed on request ---


def test_the_applicant_sees_their_answers_masked(client, submitted):
    html = client.get(f"/applications/{submitted.uuid}/").content.decode()
    assert "6222 **** **** 4560" in html and "137****0001" in html
    assert "福建省泉州市丰泽区****" in html
    for value in PLAIN:
        assert value not in html


def test_case_view_masked_until_a_revealer_asks(submitted):
    case = submitted
    admin = client_for(make_superuser())
    url = reverse("applications_cases:case", args=[case.uuid])
    html = admin.get(url).content.decode()
    assert "6222 **** **** 4560" in html and "137****0001" in html
    for value in PLAIN:
        assert value not in html
    response = admin.post(
        reverse("applications_cases:reveal", args=[case.uuid]),
        {"reason": "核对收款账户"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "6222 0214 0800 1234 560" in html  # grouped as on the card
    for value in (MOBILE, ADDRESS, SPOUSE, SPOUSE_MOBILE):
        assert value in html
    # The next page is masked again.
    html = admin.get(url).content.decode()
    assert "6222 **** **** 4560" in html and "6222 0214 0800 1234 560" not in html


def test_export_is_masked_unless_revealed(submitted):
    case = submitted
    admin = client_for(make_superuser())
    url = reverse("applications_admin:export", args=[case.form_id, "csv"])
    purpose = {"reason": "住房补贴发放核对"}  # every export states its purpose
    text = b"".join(admin.post(url, purpose).streaming_content).decode("utf-8-sig")
    assert "6222 **** **** 4560" in text and "137****0001" in text
    for value in PLAIN:
        assert value not in text
    text = b"".join(
        admin.post(url, {**purpose, "reveal": "1"}).streaming_content
    ).decode("utf-8-sig")
    assert "6222 0214 0800 1234 560" in text
    for value in (MOBILE, ADDRESS, SPOUSE, SPOUSE_MOBILE):
        assert value in text


def test_display_masks_sealed_and_unsealed_values():
    definition_items = definition()
    answers, _digest = seal_answers(
        definition_items,
        {"phone": MOBILE, "payee_account": BANK, "home_address": ADDRESS},
    )
    items = {item["key"]: item for item in definition_items}
    assert display(items["phone"], answers["phone"]) == "137****0001"
    assert display(items["phone"], answers["phone"], reveal=True) == MOBILE
    assert display(items["payee_account"], BANK) == "6222 **** **** 4560"  # unsealed


# --- the field types ---


@pytest.mark.parametrize(
    "number",
    ["6222021408001234560", "6222 0214 0800 1234 560", "１２３４５６７８９０１２"],
)
def test_bank_account_numbers_accepted(number):
    validate_bank_account(number)


@pytest.mark.parametrize(
    "number",
    [
        "6222021408001234567",  # UnionPay card, wrong Luhn digit
        "4111111111111112",  # Visa, wrong Luhn digit
        "12345678901",  # 11 digits
        "12345678901234567890",  # 20 digits
        "6222abcd08001234",
        "",
    ],
)
def test_bank_account_numbers_refused(number):
    with pytest.raises(ValidationError):
        validate_bank_account(number)


def test_luhn_and_masks():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert mask_bank_account("6222020200112233445") == "6222 **** **** 3445"
    assert mask_address("泉州市丰泽区城东街道东海大街888号") == "泉州市丰泽区****"
    assert mask_address("东海大街888号") == "东海****"


def test_the_builder_flag_is_kept_only_when_set():
    form = make_form(definition=definition())
    page = ApplicationFormPage.objects.get(pk=form.pk)
    items = {item["key"]: item for item in definition_from_stream(page.form_fields)}
    assert items["spouse_name"]["personal"] is True
    assert "personal" not in items["employer"]  # old definitions keep their digest


def test_messages_are_translated():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_bank_account("123")
    assert "位数字" in caught.value.messages[0]


# --- the migration that seals what is already there ---


def test_the_migration_seals_mobiles_and_flagged_answers_of_old_applications(
    submitted,
):
    migration = importlib.import_module("forms.migrations.0006_personal_data_sealed")
    from django.apps import apps

    # As the old code stored them: plain.
    plain = {
        "phone": MOBILE,
        "payee_account": BANK,
        "home_address": ADDRESS,
        "spouse_name": SPOUSE,
        "employer": "泉州市某研究院",
        "family": [{"member_phone": SPOUSE_MOBILE}],
    }
    Application.objects.filter(pk=submitted.pk).update(
        answers={**submitted.answers, **plain}
    )
    migration.seal_existing_answers(apps, None)
    answers = Application.objects.get(pk=submitted.pk).answers
    assert answers["phone"]["masked"] == "137****0001"
    assert crypto.decrypt(answers["family"][0]["member_phone"]["cipher"]) == (
        SPOUSE_MOBILE
    )
    assert answers["employer"] == "泉州市某研究院"
    assert answers["id_number"]["masked"].startswith(ID_A[:4])  # left as it was
    assert_nowhere_plain(*PLAIN)
    migration.unseal_answers(apps, None)
    assert Application.objects.get(pk=submitted.pk).answers["phone"] == MOBILE


def test_notification_texts_mask_bank_accounts_too():
    from forms.notifications.texts import scrub

    text = scrub(
        f"请核对账号 {BANK_TYPED} 和 {BANK}，回执 QZRC-2026-000123，电话 {MOBILE}"
    )
    assert BANK not in text and BANK_TYPED not in text and MOBILE not in text
    assert text.count("6222 **** **** 4560") == 2
    assert "QZRC-2026-000123" in text and "137****0001" in text


def test_statistics_never_count_a_sealed_answer_as_a_category():
    from forms.reporting.statistics import _values_of

    assert _values_of('{"masked": "王***", "cipher": "gAAAA"}') == []
    assert _values_of("第三层次") == ["第三层次"]
