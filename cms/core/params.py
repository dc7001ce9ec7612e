"""Whole numbers from outside: request parameters, form fields, command options.

``str.isdigit()`` and ``int()`` accept more than ASCII digits: "²".isdigit() is
true while int("²") raises, and int() takes Arabic-Indic digits, signs, spaces and
underscores. A thousand-digit number passes both and then overflows the database
driver. Every integer a visitor, a page or an operator hands us goes through
``parse_int`` instead, so a bad one is refused in one place.
"""

import re
from typing import overload

# Eighteen digits fit a 64-bit database integer with room to spare.
_ASCII_INT = re.compile(r"[0-9]{1,18}")


@overload
def parse_int(
    value, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int: ...


@overload
def parse_int(
    value,
    default: None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None: ...


def parse_int(
    value, default: int | None = None, *, minimum: int | None = None, maximum=None
) -> int | None:
    """The value as a non-negative int, or ``default`` when it is not one.

    Only ASCII digits are accepted (surrounding spaces are ignored); a number
    outside ``minimum``..``maximum`` also gives ``default``.
    """
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_INT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return default
    if (minimum is not None and number < minimum) or (
        maximum is not None and number > maximum
    ):
        return default
    return number


def is_int(value) -> bool:
    """True when ``parse_int`` would read ``value`` as a number."""
    return parse_int(value) is not None
