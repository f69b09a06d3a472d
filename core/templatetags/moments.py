"""Times for machines: the `datetime` attribute of <time>."""

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def machine_time(value) -> str:
    """A moment as HTML's <time datetime> wants it: ISO 8601 in the site's time zone, to the
    second. |date:"c" adds microseconds, which are no valid time in HTML."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()
