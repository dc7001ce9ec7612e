"""The client address behind a reverse proxy, for lockouts and SMS limits
(cms/core/client_ip.py; docs/security.md B2)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from cms.core.client_ip import client_ip
from tests.factories import make_user

PROXY = "10.0.0.2"
VISITOR = "203.0.113.50"
SPOOFED = "198.51.100.77"


def request_with(forwarded_for: str | None = None, remote_addr: str = PROXY):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(f"{SPOOFED}, {VISITOR}")) == PROXY


def test_one_trusted_proxy_gives_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote SPOOFED itself; our proxy appended what it saw.
    assert client_ip(request_with(f"{SPOOFED}, {VISITOR}")) == VISITOR


def test_two_trusted_proxies_skip_the_inner_one(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with(f"{SPOOFED}, {VISITOR}, 10.0.0.1")) == VISITOR


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address"])
def test_a_missing_or_broken_header_falls_back_to_the_peer(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_with(forwarded_for)) == PROXY


def test_a_header_shorter_than_the_proxy_chain_is_not_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with(VISITOR)) == PROXY


@pytest.mark.django_db
@pytest.mark.parametrize(("trusted_proxies", "recorded"), [(0, PROXY), (1, VISITOR)])
def test_failed_logins_are_recorded_under_the_client_address(
    settings, trusted_proxies, recorded
):
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    user = make_user()
    Client(REMOTE_ADDR=PROXY).post(
        "/accounts/login/",
        {"username": user.username, "password": "wrong-password"},
        HTTP_X_FORWARDED_FOR=f"{SPOOFED}, {VISITOR}",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [
        recorded
    ]


def send_code_via_proxy(mobile: str, visitor: str):
    return Client(REMOTE_ADDR=PROXY).post(
        "/accounts/password/reset/mobile/",
        {"mobile": mobile, "action": "send_code"},
        HTTP_X_FORWARDED_FOR=visitor,
    )


@pytest.mark.django_db
def test_sms_limits_count_visitors_behind_the_proxy_apart(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.VERIFICATION_CODE_IP_SEND_LIMIT = 1
    statuses = [
        send_code_via_proxy("13900000001", VISITOR).status_code,
        send_code_via_proxy("13900000002", "203.0.113.51").status_code,
        send_code_via_proxy("13900000003", VISITOR).status_code,
    ]
    assert statuses == [200, 200, 429]
