"""Administrators' answer patterns, matched in linear time.

A form's "pattern" is a regular expression written by an administrator and run on
every answer an applicant types. Python's ``re`` backtracks: ``^(a+)+$`` against 35
characters held a worker for a minute. Patterns are therefore compiled and matched
by RE2 (google-re2), whose running time is linear in the input whatever the
pattern, and the same engine checks them where they are saved (the builder's
blocks, the definition validator that ``import_form`` runs), so a pattern that is
accepted is a pattern that can run.

Decision on a fallback: there is none. google-re2 is a pinned requirement (a wheel
for every platform we deploy on); falling back to ``re`` when it is missing would
silently bring the hang back, so the import fails loudly instead.

RE2 refuses what cannot be matched in linear time (back-references, look-around)
and has its own spelling for a few escapes; ``\\Z`` and ``\\uXXXX`` (Python's) are
translated, anything else it cannot compile is refused with its reason.
"""

import functools
import re

import re2
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PATTERN_LENGTH = 200
# Longest answer a pattern is run on: the long text field's own maximum. Longer
# answers are refused by the field's length check before this matters.
MAX_INPUT_LENGTH = 5000
# RE2's memory budget per compiled pattern; patterns that need more (huge
# counted repetitions) are refused when saved.
MAX_PROGRAM_BYTES = 1 << 20

_UNICODE_ESCAPE = re.compile(r"u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})")


class PatternError(ValueError):
    """A pattern that cannot be used, with the reason in the administrator's words."""


def _options() -> re2.Options:
    options = re2.Options()
    # RE2 would also print every refused pattern to stderr.
    options.log_errors = False
    options.max_mem = MAX_PROGRAM_BYTES
    return options


def _to_re2_syntax(pattern: str) -> str:
    """Python's spellings of the end of text and of Unicode escapes, in RE2's."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char != "\\" or index + 1 >= len(pattern):
            out.append(char)
            index += 1
            continue
        following = pattern[index + 1]
        if following == "Z":
            out.append(r"\z")
            index += 2
            continue
        unicode_escape = _UNICODE_ESCAPE.match(pattern, index + 1)
        if unicode_escape:
            out.append(r"\x{%s}" % (unicode_escape.group(1) or unicode_escape.group(2)))
            index = unicode_escape.end()
            continue
        out.append(pattern[index : index + 2])
        index += 2
    return "".join(out)


def compile_pattern(pattern: str):
    """The RE2 program for a pattern the whole answer must match.

    Raises PatternError when the pattern is not text, too long, or not
    something RE2 can run.
    """
    if not isinstance(pattern, str):
        raise PatternError(_("The pattern must be text."))
    return _compile(pattern)


@functools.lru_cache(maxsize=256)
def _compile(pattern: str):
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(
            _("The pattern is too long (at most %(max)d characters).")
            % {"max": MAX_PATTERN_LENGTH}
        )
    if "\x00" in pattern:
        raise PatternError(_("The pattern contains a NUL character."))
    try:
        return re2.compile(f"(?:{_to_re2_syntax(pattern)})", _options())
    except re2.error as error:
        reason = error.args[0] if error.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(
            _(
                "This pattern cannot be used: %(reason)s. Back-references and "
                "look-ahead or look-behind are not supported."
            )
            % {"reason": reason or _("not a valid regular expression")}
        ) from error


def check_pattern(pattern) -> str | None:
    """The reason a pattern cannot be saved, or None when it can."""
    try:
        compile_pattern(pattern)
    except PatternError as error:
        return str(error)
    return None


class PatternValidator:
    """Django validator: the whole answer matches the administrator's pattern."""

    def __init__(self, pattern: str, message: str):
        self.pattern = pattern
        self.message = message

    def __call__(self, value) -> None:
        text = str(value)
        if len(text) > MAX_INPUT_LENGTH:
            raise ValidationError(
                _("The answer is too long (at most %(max)d characters).")
                % {"max": MAX_INPUT_LENGTH},
                code="max_length",
            )
        try:
            program = compile_pattern(self.pattern)
        except PatternError:
            # Saved before patterns were checked with RE2: the answer cannot be
            # checked, so it is refused rather than let through unchecked.
            raise ValidationError(self.message, code="invalid") from None
        if program.fullmatch(text) is None:
            raise ValidationError(self.message, code="invalid")

    def __eq__(self, other) -> bool:
        return isinstance(other, PatternValidator) and (self.pattern, self.message) == (
            other.pattern,
            other.message,
        )
