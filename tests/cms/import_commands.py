"""Running the import commands in tests: shared by the department and policy tests."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions read the English messages; the Chinese ones are checked in
    test_import_departments.test_row_errors_are_reported_in_chinese_by_default."""
    with translation.override("en"):
        yield


def run_command(command: str, path, *extra) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(command, str(path), *extra, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def failing_command(command: str, path, *extra) -> str:
    """The command's report and error, for a run that must be refused."""
    stderr = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(command, str(path), *extra, stdout=io.StringIO(), stderr=stderr)
    return stderr.getvalue() + str(raised.value)
