from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A calculator answer by fact key; empty when there is none."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
