import json

from django import template

register = template.Library()


@register.filter
def tojson(value) -> str:
    """JSON text for a data- attribute; autoescaping makes it attribute-safe."""
    return json.dumps(value, ensure_ascii=False)
