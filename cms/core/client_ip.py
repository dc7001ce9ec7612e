"""The address a request came from, for rate limits, lockouts and the audit trail.

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, so every visitor
would share one lockout and one SMS limit. X-Forwarded-For, on the other hand, is
whatever the client chose to send, except for the entries our own proxies
appended on the right. TRUSTED_PROXY_COUNT says how many such proxies there are:
the address that many hops from the right is the last one a trusted proxy saw.
With no trusted proxy (the default) the header is never read.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address; also django-axes' AXES_CLIENT_IP_CALLABLE."""
    remote_addr = request.META.get("REMOTE_ADDR", "") or ""
    trusted_hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted_hops <= 0:
        return remote_addr
    forwarded = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(forwarded) < trusted_hops:
        # The request did not pass through all our proxies (or one of them does
        # not append): nothing in the header can be trusted.
        return remote_addr
    return _valid_ip(forwarded[-trusted_hops]) or remote_addr
