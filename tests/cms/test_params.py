"""parse_int: the one reader of whole numbers from requests and options."""

import pytest

from cms.core.params import parse_int


@pytest.mark.parametrize(
    "value, expected",
    [("7", 7), (" 12 ", 12), (3, 3), ("0", 0), ("9" * 18, int("9" * 18))],
)
def test_ascii_digits_are_numbers(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    "value",
    ["²", "١٢", "０", "-1", "+1", "1_000", "1.0", "", " ", "9" * 19, None, [1], True],
)
def test_anything_else_is_the_default(value):
    assert parse_int(value) is None
    assert parse_int(value, 5) == 5


def test_bounds_give_the_default():
    assert parse_int("10", 1, minimum=1, maximum=9) == 1
    assert parse_int("0", 1, minimum=1) == 1
    assert parse_int("9", 1, minimum=1, maximum=9) == 9
