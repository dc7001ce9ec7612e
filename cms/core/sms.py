"""Pluggable SMS sending. settings.SMS_BACKEND names a class with `send(to, text)`.

The default writes to the log, so development needs no gateway; tests use the
memory backend and read `outbox`. A production gateway adapter subclasses
BaseSMSBackend and is named in settings.
"""

import logging

from django.conf import settings
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
