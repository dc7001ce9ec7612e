"""Repeatable groups on the applicant's side: rows stored as draft inputs.

The group field type (its block, widget and field) is
forms/builder/field_types/group.py; this is what the step views do with rows. Inputs are named ``<key>-<row>-<subkey>``; ``<key>-rows`` holds the number of rows
shown. The "add a row" and "remove this row" buttons are plain submit buttons, so
groups work without JavaScript.
"""

from cms.core.params import parse_int

ADD_ROW = "_add_row"
REMOVE_ROW = "_remove_row"


def row_limits(item: dict) -> tuple[int, int]:
    """A group's (min_rows, max_rows); the definition validator has checked them,
    so anything else here is an old definition and gets the defaults."""
    minimum = parse_int(item.get("min_rows") or 0, 0)
    maximum = parse_int(item.get("max_rows") or 1, 1)
    return minimum, maximum


def apply_row_actions(data: dict[str, list[str]], post) -> bool:
    """Handle the add/remove row buttons on the stored data; True if one was used."""
    if post.get(ADD_ROW):
        name = post[ADD_ROW]
        current = _stored_row_count(data, name)
        data[f"{name}-rows"] = [str(current + 1)]
        return True
    if post.get(REMOVE_ROW) and ":" in post[REMOVE_ROW]:
        name, _sep, row = post[REMOVE_ROW].rpartition(":")
        removed = parse_int(row)
        if removed is None:
            return True
        current = _stored_row_count(data, name)
        shifted: dict[str, list[str]] = {}
        for field_name, values in list(data.items()):
            prefix, _dash, rest = field_name.partition("-")
            index_text, _dash2, sub = rest.partition("-")
            index = parse_int(index_text)
            if prefix != name or index is None or not sub:
                continue
            del data[field_name]
            if index == removed:
                continue
            new_index = index - (1 if index > removed else 0)
            shifted[f"{name}-{new_index}-{sub}"] = values
        data.update(shifted)
        data[f"{name}-rows"] = [str(max(current - 1, 0))]
        return True
    return False


def _stored_row_count(data: dict, name: str) -> int:
    # Stored inputs come from earlier posts, so the counter may be anything; the
    # widget clamps it to the group's limits when the rows are drawn.
    return parse_int((data.get(f"{name}-rows") or ["1"])[-1], 1)
