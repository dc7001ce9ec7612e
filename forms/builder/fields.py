"""Live Django form fields built from definition items (see forms/builder/definition.py).

Each field type builds its own field (forms/builder/field_types/); ``build_field``
asks the registry. Every input of a field is named after its key: ``key`` itself
or ``key-<part>`` (MultiWidget parts, group rows ``key-<row>-<subkey>``). Keys
match ``[a-z][a-z0-9_]*``, so ``key-`` never collides with another field.

The region names are kept here for the callers outside the builder (the demo,
manage.py refresh_regions) that read the region list.
"""

from forms.builder.field_types import build_field as build_field
from forms.builder.field_types.region import REGION_HISTORY_FILE as REGION_HISTORY_FILE
from forms.builder.field_types.region import REGIONS_FILE as REGIONS_FILE
from forms.builder.field_types.region import region_chain as region_chain
from forms.builder.field_types.region import region_index as region_index
from forms.builder.field_types.region import region_name as region_name
