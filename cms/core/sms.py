"""Pluggable SMS sending. settings.SMS_BACKEND names a class with `send(to, text)`.

The default writes to the log, so development needs no gateway; tests use the
memory backend and read `outbox`. Production names HTTPSMSBackend (an HTTP
gateway configured by the SMS_GATEWAY_* settings) or another subclass of
BaseSMSBackend. A backend raises when the message was not accepted, so the
caller can keep it and retry.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from cms.core.identifiers import mask_mobile

logger = logging.getLogger("harbor.sms")


class BaseSMSBackend:
    def send(self, to: str, text: str) -> None:
        raise NotImplementedError


class LogSMSBackend(BaseSMSBackend):
    """Writes the message to the log: the development default.

    The number is always masked. The text holds a working verification code, so
    it is logged only with DEBUG on, where a developer needs the code; anywhere
    else logs are read by more people than the phone's owner.
    """

    def send(self, to: str, text: str) -> None:
        if settings.DEBUG:
            logger.info("SMS to %s: %s", mask_mobile(to), text)
        else:
            logger.info("SMS to %s: %d characters", mask_mobile(to), len(text))


class MemorySMSBackend(BaseSMSBackend):
    """Keeps messages in memory for tests: `MemorySMSBackend.outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        self.outbox.append((to, text))


def send_sms(to: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(to, text)


class SMSDeliveryError(Exception):
    """The gateway did not take the message; the caller keeps it and retries."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would be replayed as a GET elsewhere: refuse it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HTTPSMSBackend(BaseSMSBackend):
    """Posts to an SMS gateway over HTTP(S) (settings.SMS_GATEWAY_*).

    The body is JSON ``{"mobile", "text", "sign"}``; the header
    ``X-Harbor-Signature: sha256=<hex>`` is the HMAC-SHA256 of the exact body
    bytes with SMS_GATEWAY_KEY, so the gateway can check who sent it. Any answer
    other than 2xx, a redirect, a timeout or a network error raises
    SMSDeliveryError. Neither the number nor the text is logged, nor put in the
    error message.
    """

    signature_header = "X-Harbor-Signature"

    def __init__(
        self,
        url: str | None = None,
        key: str | None = None,
        sign_name: str | None = None,
        timeout: float | None = None,
    ):
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.key = key if key is not None else settings.SMS_GATEWAY_KEY
        self.sign_name = (
            sign_name if sign_name is not None else settings.SMS_GATEWAY_SIGN_NAME
        )
        self.timeout = timeout if timeout is not None else settings.SMS_GATEWAY_TIMEOUT

    def signature(self, body: bytes) -> str:
        digest = hmac.new(self.key.encode(), body, hashlib.sha256).hexdigest()
        return f"sha256={digest}"

    def send(self, to: str, text: str) -> None:
        if urlsplit(self.url).scheme not in ("http", "https") or not self.key:
            raise ImproperlyConfigured(
                "HTTPSMSBackend needs SMS_GATEWAY_URL (http or https) and "
                "SMS_GATEWAY_KEY."
            )
        body = json.dumps(
            {"mobile": to, "text": text, "sign": self.sign_name}, ensure_ascii=False
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                self.signature_header: self.signature(body),
            },
        )
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise SMSDeliveryError(f"SMS gateway answered HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SMSDeliveryError(f"SMS gateway unreachable: {reason}") from None
        if not 200 <= status < 300:
            raise SMSDeliveryError(f"SMS gateway answered HTTP {status}")
        logger.info("SMS to %s handed to the gateway", mask_mobile(to))
