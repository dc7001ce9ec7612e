import json

from django import template

from forms.notifications.inbox import unread_count

register = template.Library()


@register.filter
def tojson(value) -> str:
    """JSON text for a data- attribute; autoescaping makes it attribute-safe."""
    return json.dumps(value, ensure_ascii=False)


@register.simple_tag(takes_context=True)
def unread_messages_count(context) -> int:
    """Unread in-site messages of the signed-in user, for a badge in the header."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return unread_count(user) if user is not None else 0
