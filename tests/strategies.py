"""Hypothesis strategies for hostile input: wrong types, control characters, huge
and nested values. Shared by the property tests (tests/*/test_fuzz_*.py)."""

from hypothesis import strategies as st

# Every character but lone surrogates (which cannot be encoded at all), with the
# troublemakers made likely: NUL and other controls, digits that are not ASCII,
# full-width forms, right-to-left marks, Chinese.
NASTY_CHARACTERS = st.one_of(
    st.sampled_from(
        ["\x00", "\x1f", "\x7f", "\u200f", "\ufeff", "²", "١", "０", "\n", "%", "人"]
    ),
    st.characters(blacklist_categories=("Cs",)),
)

nasty_text = st.one_of(
    st.text(NASTY_CHARACTERS, max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "sNaN",
            "-Infinity",
            "1e999999",
            "9" * 40,
            "-1",
            "0",
            "²",
            "abc",
            "a" * 6000,
            "^(a+)+$",
            "(?=a)",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
        ]
    ),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    nasty_text,
)

json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(nasty_text, children, max_size=4),
    ),
    max_leaves=20,
)


def deeply_nested(depth: int = 200):
    """A list nested `depth` times: deep enough to trip naive recursion."""
    return st.integers(min_value=1, max_value=depth).map(_nest)


def _nest(depth: int):
    value: list = []
    for _level in range(depth):
        value = [value]
    return value
