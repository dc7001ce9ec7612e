"""Demo employers and one account for every role (data/people.json).

Employers are invented; their unified social credit codes are built the way
GB 32100 builds them (registration authority and type, the district's division
code, a GB 11714 organisation code with its own check digit, then the check
character), so that every validator accepts them.
"""

from cms.core.identifiers import uscc_check_char
from forms.casework.roles import (  # noqa: F401 (cases.py reads them here)
    APPROVERS,
    PUBLICITY,
    REVIEWERS,
    STATISTICS,
    WINDOW_CLERKS,
)

from .files import read_json

ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORGANISATION_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organisation_code(first8: str) -> str:
    """A GB 11714 organisation code: eight characters and their check digit."""
    total = sum(
        ORGANISATION_CODE_CHARS.index(char) * weight
        for char, weight in zip(first8, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return first8 + {10: "X", 11: "0"}.get(check, str(check))


def build_uscc(kind: str, division_code: str, first8: str) -> str:
    """kind is the authority-and-type pair: 91 enterprise, 12 public institution."""
    first17 = kind + division_code + organisation_code(first8)
    return first17 + uscc_check_char(first17)


def employer_rows() -> list[dict]:
    """The employers as model fields (data/people.json), with their district's
    name to resolve; their codes were made with build_uscc."""
    return [dict(row) for row in read_json("people.json")["employers"]]


HOUSING = "泉州市住房和城乡建设局"
RSJ = "泉州市人力资源和社会保障局"

# "groups" names city roles; "unit_group" is ("editors" | "moderators" |
# "casework") of the account's department (or district, for casework), whose
# group name the provisioning chose.
ACCOUNTS = read_json("people.json")["accounts"]
