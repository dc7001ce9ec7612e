"""The registry of field types: one class per type, found by its name.

base.py is the FieldType class and the registry, parts.py the block parts the
types share; each other module is one family of types, registered as it is
imported. ``menu_order`` places a type in the block menu; ``group`` is imported
last because a group's block offers the types registered before it. See
docs/architecture.md, "Adding a field type".
"""

# isort: off
from forms.builder.field_types import text, values, choices  # noqa: F401
from forms.builder.field_types import identifiers, region, upload  # noqa: F401
from forms.builder.field_types import group  # noqa: F401 - last, see above
from forms.builder.field_types import editor  # noqa: F401 - the editor's adapters
# isort: on

from forms.builder.field_types.base import (
    PLAIN,
    FieldType,
    HoldsFiles,
    Sealing,
    TypeNames,
    build_field,
    display_answer,
    field_blocks,
    field_types,
    files_field,
    register,
    registered,
    seal_value,
    type_named,
    type_of,
    unregister,
    unseal_value,
)

# Every answerable type, and those whose answer lives in the answers JSON
# (uploads do not); both follow the registry as it is when asked.
FIELD_TYPES = TypeNames(lambda kind: True)
VALUE_TYPES = TypeNames(lambda kind: kind.has_answer)

__all__ = [
    "FIELD_TYPES",
    "PLAIN",
    "VALUE_TYPES",
    "FieldType",
    "HoldsFiles",
    "Sealing",
    "build_field",
    "display_answer",
    "field_blocks",
    "field_types",
    "files_field",
    "register",
    "registered",
    "seal_value",
    "type_named",
    "type_of",
    "unregister",
    "unseal_value",
]
