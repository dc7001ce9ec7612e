from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def in_minutes(duration: timedelta | None) -> int:
    """A lockout or code lifetime as whole minutes, rounded up, for messages."""
    if not duration:
        return 0
    return int(-(-duration.total_seconds() // 60))
