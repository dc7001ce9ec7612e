"""Codes, passwords and typed identifiers stay out of logs and error reports
(docs/security.md G4; PIPL)."""

import logging

import pytest
from django.test import Client
from django.views.debug import SafeExceptionReporterFilter

from cms.core.sms import LogSMSBackend
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
TEXT = "Your Talent Harbor verification code is 493817."
CLEANSED = SafeExceptionReporterFilter.cleansed_substitute


def test_the_log_sms_backend_logs_the_text_only_in_debug(settings, caplog):
    settings.DEBUG = True
    with caplog.at_level(logging.INFO, logger="harbor.sms"):
        LogSMSBackend().send(MOBILE, TEXT)
    assert "493817" in caplog.text
    assert MOBILE not in caplog.text


def test_the_log_sms_backend_hides_the_code_outside_debug(settings, caplog):
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="harbor.sms"):
        LogSMSBackend().send(MOBILE, TEXT)
    assert "493817" not in caplog.text
    assert MOBILE not in caplog.text
    assert "138****5678" in caplog.text
    assert str(len(TEXT)) in caplog.text


@pytest.mark.parametrize(
    ("url", "data", "secret_fields"),
    [
        (
            "/accounts/register/",
            {
                "kind": "talent",
                "real_name": "林晓明",
                "mobile": MOBILE,
                "code": "123456",
                "password1": "Lz8#qWm4!pRt",
                "password2": "Lz8#qWm4!pRt",
            },
            {"mobile", "code", "password1", "password2"},
        ),
        (
            "/accounts/password/reset/mobile/",
            {
                "mobile": MOBILE,
                "code": "123456",
                "password1": "Lz8#qWm4!pRt",
                "password2": "Lz8#qWm4!pRt",
            },
            {"mobile", "code", "password1", "password2"},
        ),
        ("/accounts/password/reset/", {"email": "a@example.com"}, {"email"}),
    ],
)
def test_error_reports_leave_out_passwords_codes_and_numbers(
    client, url, data, secret_fields
):
    response = client.post(url, data)
    shown = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert {name for name in data if shown[name] == CLEANSED} == secret_fields


def lock_out(identifier: str) -> None:
    for _ in range(5):
        Client(REMOTE_ADDR="203.0.113.9").post(
            "/accounts/login/", {"username": identifier, "password": "wrong-guess"}
        )


@pytest.mark.parametrize(
    ("typed", "logged"),
    [
        ("13987654321", "139****4321"),
        ("Somebody.Else@Example.com", "s***@example.com"),
        ("wangxiaoer", "w********r"),
    ],
)
def test_lockouts_of_unknown_accounts_log_the_identifier_masked(caplog, typed, logged):
    with caplog.at_level(logging.WARNING, logger="harbor.security"):
        lock_out(typed)
    lines = [r.getMessage() for r in caplog.records if r.name == "harbor.security"]
    assert len(lines) == 1
    assert f"username={logged} " in lines[0]
    assert typed.lower() not in caplog.text.lower()


def test_lockouts_of_known_accounts_log_the_account_id(caplog):
    user = make_user()
    with caplog.at_level(logging.WARNING, logger="harbor.security"):
        lock_out(user.mobile)
    lines = [r.getMessage() for r in caplog.records if r.name == "harbor.security"]
    assert lines and f"username=account:{user.pk} " in lines[0]
    assert user.mobile not in caplog.text
