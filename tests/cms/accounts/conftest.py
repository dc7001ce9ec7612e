"""Helpers for the account tests: reading SMS codes and signing in through forms."""

import re

import pytest
from django.contrib.auth import SESSION_KEY

from cms.core.identifiers import phone_key
from cms.core.sms import MemorySMSBackend

CODE_IN_SMS = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def sent_codes(mobile: str) -> list[str]:
    """The codes texted to `mobile` (in any spelling: SMS go to E.164), oldest
    first (notices without one are skipped)."""
    number = phone_key(mobile)
    found = [
        CODE_IN_SMS.search(text) for to, text in MemorySMSBackend.outbox if to == number
    ]
    return [match.group(1) for match in found if match]


def last_code(mobile: str) -> str:
    codes = sent_codes(mobile)
    assert codes, f"no SMS was sent to {mobile}"
    return codes[-1]


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def talent(db):
    from tests.factories import make_user

    return make_user()


@pytest.fixture
def staff_user(db):
    from cms.accounts.models import User
    from tests.factories import make_user

    return make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
